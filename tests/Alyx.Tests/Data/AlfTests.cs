using Alyx.Data;

namespace Alyx.Tests.Data;

/// <summary>ALF naming (spec 30 §2; upstream TestTransfers.test_get_name_collection_revision / test_get_aggregate_collection_revision).</summary>
public sealed class AlfTests
{
    [Theory]
    [InlineData("_ibl_trials.goCue_times_bpod.csv", "ibl", "trials", "goCue_times", "bpod", null, "csv")]
    [InlineData("trials.intervals.npy", null, "trials", "intervals", null, null, "npy")]
    [InlineData("spikes.times.probe00.npy", null, "spikes", "times", null, "probe00", "npy")]
    [InlineData("_iblrig_Camera.raw.left.mp4", "iblrig", "Camera", "raw", null, "left", "mp4")]
    [InlineData("obj.attr.a.b.ext", null, "obj", "attr", null, "a.b", "ext")]
    [InlineData("wheel.position_times.npy", null, "wheel", "position_times", null, null, "npy")]
    public void ValidFileNames_SplitIntoTheirParts(string name, string? ns, string obj, string attribute, string? timescale, string? extra, string extension)
    {
        var parts = Alf.ParseFileName(name);
        Assert.Equal(new AlfFileName(ns, obj, attribute, timescale, extra, extension), parts);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("foo.npy")]
    [InlineData("obj.attr")]
    [InlineData("obj..npy")]
    [InlineData("obj.att-r.npy")]
    public void InvalidFileNames_AreNotAlf(string name) => Assert.Null(Alf.ParseFileName(name));

    [Theory]
    [InlineData("ZM_1085/2019-02-12/002", "ZM_1085", "2019-02-12", 2)]
    [InlineData("ZM_1085/2019-02-12/002/alf/x", "ZM_1085", "2019-02-12", 2)]
    [InlineData("a.b-c/2019-02-12/7", "a.b-c", "2019-02-12", 7)]
    [InlineData("s/2019-02-12/1234", "s", "2019-02-12", 123)]
    public void SessionPaths_SubjectDateAndNumber(string path, string subject, string date, int number) =>
        Assert.Equal(new AlfSession(subject, date, number), Alf.ParseSessionPath(path));

    [Theory]
    [InlineData("mainenlab/Subjects/ZM_1085/2019-02-12/002")]
    [InlineData("ZM_1085/2019-2-12/002")]
    [InlineData("ZM_1085/2019-02-12")]
    public void SessionPaths_Invalid(string path) => Assert.Null(Alf.ParseSessionPath(path));

    [Theory]
    [InlineData("s/2020-01-01/001", "a.b.npy", "s/2020-01-01/001", "", "", "s/2020-01-01/001/a.b.npy")]
    [InlineData("s/2020-01-01/001/alf", "probe00/a.b.npy", "s/2020-01-01/001", "alf/probe00", "", "s/2020-01-01/001/alf/probe00/a.b.npy")]
    [InlineData("s/2020-01-01/1", "alf/#2021-01-01#/a.b.npy", "s/2020-01-01/1", "alf", "2021-01-01", "s/2020-01-01/1/alf/#2021-01-01#/a.b.npy")]
    [InlineData("s/2020-01-01/001/#v1#", "a.b.npy", "s/2020-01-01/001", "", "v1", "s/2020-01-01/001/#v1#/a.b.npy")]
    [InlineData("s/2020-01-01/001", "raw.data/x/./a.b.npy", "s/2020-01-01/001", "raw.data/x", "", "s/2020-01-01/001/raw.data/x/a.b.npy")]
    public void SessionFiles_CollectionAndRevision(string path, string file, string session, string collection, string revision, string relative)
    {
        var (location, error) = Alf.ParseSessionFile(path, file);
        Assert.Null(error);
        Assert.Equal((session, collection, revision), (location!.SessionDir, location.Collection, location.Revision));
        Assert.Equal(relative, location.RelativePath);
    }

    [Theory]
    [InlineData("s/2020-01-01/001", "#v1#/alf/a.b.npy", Alf.NestedRevisionMessage)]
    [InlineData("s/2020-01-01/001/#v1#", "#v2#/a.b.npy", Alf.NestedRevisionMessage)]
    [InlineData("s/2020-01-01", "a.b.npy", Alf.InvalidFolderMessage)]
    [InlineData("s/2020-01-01/0012", "a.b.npy", Alf.InvalidFolderMessage)]
    public void SessionFiles_OriginalErrors(string path, string file, string message) =>
        Assert.Equal(message, Alf.ParseSessionFile(path, file).Error!.Message);

    [Theory]
    [InlineData("s/2020-01-01/001", "dir+x/a.b.npy", "dir+x")]
    [InlineData("s/2020-01-01/001", "alf/x y/a.b.npy", "x y")]
    public void SessionFiles_UnparsedFoldersAreErrorsNamingTheFile(string path, string file, string folder)
    {
        var error = Alf.ParseSessionFile(path, file).Error!.Message;
        Assert.StartsWith($"Invalid ALF path \"{file}\": the folder \"{folder}\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Subjects/lab/SP044", "a.b.npy", "Subjects/lab/SP044", "")]
    [InlineData("Subjects/lab/SP044", "#2020-01-01#/a.b.npy", "Subjects/lab/SP044", "2020-01-01")]
    [InlineData("Tags/2026_Q1", "a.b.npy", "Tags/2026_Q1", "")]
    [InlineData("", "a.b.npy", "", "")]
    public void AggregateFiles_AllFoldersAreTheCollection(string path, string file, string collection, string revision)
    {
        var (location, error) = Alf.ParseAggregateFile(path, file);
        Assert.Null(error);
        Assert.Equal((collection, revision), (location!.Collection, location.Revision));
    }

    [Theory]
    [InlineData("Subjects/l+ba/SP044", "a.b.npy")]
    [InlineData("Subjects/lab", "#r#/x/a.b.npy")]
    public void AggregateFiles_Invalid(string path, string file) => Assert.Equal(Alf.InvalidFolderMessage, Alf.ParseAggregateFile(path, file).Error!.Message);

    [Theory]
    [InlineData("a.tar.bz2", ".bz2")]
    [InlineData(".hidden", "")]
    [InlineData("..a", "")]
    [InlineData("noext", "")]
    [InlineData("foo.", ".")]
    [InlineData("_ibl_trials.table.pqt", ".pqt")]
    public void Extension_IsPythonsSplitext(string name, string extension) => Assert.Equal(extension, Alf.Extension(name));

    [Theory]
    [InlineData("_ibl_trials.intervals.npy", "*trials.intervals*", true)]
    [InlineData("_IBL_Trials.Intervals.NPY", "*trials.intervals*", true)]
    [InlineData("trials.intervals.npy", "trials.interval?.npy", true)]
    [InlineData("trials.intervals.npy", "trials.[a-i]ntervals.*", true)]
    [InlineData("trials.intervals.npy", "trials.[!i]ntervals.*", false)]
    [InlineData("trials.intervals.npy", "trials.intervals", false)]
    [InlineData("a[b.npy", "a[b.*", true)]
    [InlineData("a+b.npy", "a+b.*", true)]
    public void Wildcards_AreFnmatchOverTheWholeCaseFoldedName(string name, string pattern, bool matches) =>
        Assert.Equal(matches, Alf.WildcardMatch(name, pattern));

    [Fact]
    public void DatasetTypes_PatternOrObjectAttribute_ExactlyOneExpected()
    {
        var types = new (string Name, string? Pattern)[] { ("trials.table", null), ("wheel.position", "*wheel.position*"), ("foo", "") };
        List<string> Match(string file) => Alf.MatchingTypes(file, types, t => t.Name, t => t.Pattern).Select(t => t.Name).ToList();
        Assert.Equal(["trials.table"], Match("_ibl_trials.table.pqt"));
        Assert.Equal(["wheel.position"], Match("_ibl_wheel.position.npy"));
        // Not ALF: the name without its last extension.
        Assert.Equal(["foo"], Match("foo.bin"));
        Assert.Empty(Match("trials.table2.pqt"));
    }

    [Theory]
    [InlineData("alf/x.npy", null)]
    [InlineData("a..b/x.npy", null)]
    [InlineData("../x.npy", "'..' segments are not allowed")]
    [InlineData("/x.npy", "absolute paths are not allowed")]
    [InlineData("a\\x.npy", "backslashes are not allowed")]
    [InlineData("a\nx.npy", "control characters are not allowed")]
    public void UnsafeText(string text, string? reason) => Assert.Equal(reason, Alf.UnsafeReason(text));

    [Theory]
    [InlineData("alf/probe00", true)]
    [InlineData("raw_ephys_data", true)]
    [InlineData("", true)]
    [InlineData("a b", false)]
    [InlineData("#rev#", false)]
    public void Collections(string collection, bool valid) => Assert.Equal(valid, Alf.IsCollection(collection));

    [Theory]
    [InlineData("2024-05-01", true)]
    [InlineData("v1.2_a", true)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Revisions(string revision, bool valid) => Assert.Equal(valid, Alf.IsRevision(revision));
}
