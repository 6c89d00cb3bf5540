using Alyx.Data;

namespace Alyx.Tests.Data;

/// <summary>A file record's download URL: the dataset UUID before the file's suffix, a UUID already there replaced, the directory normalised.</summary>
public sealed class DataUrlsTests
{
    const string Id = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

    [Theory]
    [InlineData("alf/_ibl_wheel.position.npy", "alf/_ibl_wheel.position." + Id + ".npy")]
    [InlineData("subject/2020-01-01/001/alf/probe00/spikes.times.npy", "subject/2020-01-01/001/alf/probe00/spikes.times." + Id + ".npy")]
    [InlineData("a.npy", "a." + Id + ".npy")]
    [InlineData("noextension", "noextension." + Id)]
    [InlineData(".hidden", ".hidden." + Id)]
    [InlineData("dir/", "dir/." + Id)]
    [InlineData("a//b/./c/x.y.npy", "a/b/c/x.y." + Id + ".npy")]
    [InlineData("/abs//x.npy", "/abs/x." + Id + ".npy")]
    [InlineData("./x.npy", "x." + Id + ".npy")]
    // A version 4 UUID in the name is replaced; one of another version is kept.
    [InlineData("alf/x.y.11111111-2222-4333-8444-555555555555.npy", "alf/x.y." + Id + ".npy")]
    [InlineData("alf/x.y.11111111-2222-3333-8444-555555555555.npy", "alf/x.y." + Id + ".npy")]
    [InlineData("alf/x.y.11111111-2222-1333-8444-555555555555.npy", "alf/x.y.11111111-2222-1333-8444-555555555555." + Id + ".npy")]
    [InlineData("alf/11111111-2222-4333-8444-555555555555.npy", "alf/" + Id + ".npy")]
    [InlineData("alf/x.11111111-2222-4333-8444-55555555555Z.npy", "alf/x.11111111-2222-4333-8444-55555555555Z." + Id + ".npy")]
    public void WithUuid_InsertsTheDatasetIdBeforeTheSuffix(string relativePath, string expected) =>
        Assert.Equal(expected, DataUrls.WithUuid(relativePath, Guid.Parse(Id)));

    [Fact]
    public void FileRecordUrl_RepositoryUrlThenThePath_NullWithoutOne()
    {
        var id = Guid.Parse(Id);
        Assert.Equal("https://r.example/data/alf/a.b." + Id + ".npy", DataUrls.FileRecordUrl("https://r.example/data/", "alf/a.b.npy", id));
        Assert.Null(DataUrls.FileRecordUrl(null, "alf/a.b.npy", id));
        Assert.Null(DataUrls.FileRecordUrl("", "alf/a.b.npy", id));
        var longPath = string.Join('/', Enumerable.Repeat("folder", 100)) + "/a.npy";
        Assert.Equal("https://r.example/" + longPath[..^4] + "." + Id + ".npy", DataUrls.FileRecordUrl("https://r.example/", longPath, id));
    }
}
