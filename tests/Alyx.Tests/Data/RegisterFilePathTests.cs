using System.Net;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>
/// /register-file never stores a relative path that leaves its folder, whichever way a path component is given: in the
/// path, as a collection or revision folder of a file name, or as the file name itself; session and aggregate forms.
/// </summary>
public sealed class RegisterFilePathTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string OutsideMessage = "a collection or revision folder may not be empty, \".\" or \"..\", nor hold a separator.";

    Task<int> WrittenAsync(DataWorld w) => app.WithDbAsync(async db =>
        await db.Datasets.CountAsync(d => d.Name.StartsWith(w.Prefix), Ct)
        + await db.FileRecords.CountAsync(f => f.RelativePath.Contains(w.Prefix), Ct)
        + await db.Revisions.CountAsync(r => r.Name == "." || r.Name == "..", Ct));

    /// <summary>Revision folders that are dot segments or empty, in a file name under a session.</summary>
    [Theory]
    [InlineData("#..#/")]
    [InlineData("alf/#..#/")]
    [InlineData("#.#/")]
    [InlineData("alf/#.#/")]
    [InlineData("alf/probe00/#..#/")]
    public async Task Session_DotRevisionInTheFileName_Is400NamingTheFile(string folder)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var bad = folder + w.File('a');
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = new[] { w.File('b'), bad } },
            HttpStatusCode.BadRequest);
        Assert.Equal($"Invalid ALF path \"{bad}\": {OutsideMessage}", error["detail"]!.GetValue<string>());
        Assert.Equal(0, await WrittenAsync(w));
    }

    /// <summary>Other malformed revision or collection folders, and dot segments anywhere: refused, the file (or path) named.</summary>
    [Theory]
    [InlineData("##/", "Invalid ALF path \"{0}\"")]
    [InlineData("alf/#a/b#/", "Invalid ALF path \"{0}\"")]
    [InlineData("alf/#a\\b#/", "Invalid file name \"{0}\": backslashes are not allowed.")]
    [InlineData("#2020-01-01#/#..#/", "Invalid ALF path. There must be only 1 revision")]
    [InlineData("alf/../", "Invalid file name \"{0}\": '..' segments are not allowed.")]
    [InlineData("../", "Invalid file name \"{0}\": '..' segments are not allowed.")]
    public async Task Session_OtherBadFolders_Are400(string folder, string expected)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var bad = folder + w.File('a');
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = new[] { bad } },
            HttpStatusCode.BadRequest);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, bad), error["detail"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Equal(0, await WrittenAsync(w));
    }

    /// <summary>The collection or revision given in the path rather than the file name.</summary>
    [Theory]
    [InlineData("/#..#", "Invalid ALF path \"{0}\": " + OutsideMessage)]
    [InlineData("/alf/#.#", "Invalid ALF path \"{0}\": " + OutsideMessage)]
    [InlineData("/alf/..", "Invalid path \"{1}\": '..' segments are not allowed.")]
    public async Task Session_DotFolderInThePath_Is400(string suffix, string expected)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var path = $"{w.Subject}/2018-01-01/2{suffix}";
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path, filenames = new[] { w.File('a') } }, HttpStatusCode.BadRequest);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, w.File('a'), path), error["detail"]!.GetValue<string>());
        Assert.Equal(0, await WrittenAsync(w));
    }

    /// <summary>A file name that is itself a dot segment.</summary>
    [Theory]
    [InlineData("alf/..", "Invalid file name \"alf/..\": '..' segments are not allowed.")]
    [InlineData("..", "Invalid file name \"..\": '..' segments are not allowed.")]
    public async Task Session_DotFileName_Is400(string file, string expected)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = new[] { file } },
            HttpStatusCode.BadRequest);
        Assert.Equal(expected, error["detail"]!.GetValue<string>());
        Assert.Equal(0, await WrittenAsync(w));
    }

    /// <summary>Aggregate datasets: the same refusals in the path and in the file name.</summary>
    [Theory]
    [InlineData("Subjects/laba", "#..#/")]
    [InlineData("Subjects/laba", "#.#/")]
    [InlineData("Subjects/laba/#..#", "")]
    [InlineData("#..#", "")]
    public async Task Aggregate_DotRevision_Is400NamingTheFile(string path, string folder)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var bad = folder + w.File('a');
        var error = await DataWorld.RegisterAsync(client, new
        {
            path,
            filenames = bad,
            hostname = w.Hostname,
            object_id = w.SubjectId.ToString(),
            content_type = "subject",
        }, HttpStatusCode.BadRequest);
        Assert.Equal($"Invalid ALF path \"{bad}\": {OutsideMessage}", error["detail"]!.GetValue<string>());
        Assert.Equal(0, await WrittenAsync(w));
    }

    /// <summary>A real revision folder is still accepted, under a session and for an aggregate.</summary>
    [Fact]
    public async Task ValidRevisionFolders_AreStillRegistered()
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var session = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = $"alf/#2024-01-01#/{w.File('a')}" });
        Assert.Equal($"{w.Subject}/2018-01-01/2/alf/#2024-01-01#/{w.File('a')}", session[0]!["file_records"]![0]!["relative_path"]!.GetValue<string>());
        var aggregate = await DataWorld.RegisterAsync(client, new
        {
            path = "Subjects/laba",
            filenames = $"#..a#/{w.File('b')}",
            hostname = w.Hostname,
            object_id = w.SubjectId.ToString(),
            content_type = "subject",
        });
        Assert.Equal($"Subjects/laba/#..a#/{w.File('b')}", aggregate[0]!["file_records"]![0]!["relative_path"]!.GetValue<string>());
    }

    /// <summary>A model whose rows are not keyed by a UUID cannot hold datasets: the original's invalid-content-type answer.</summary>
    [Theory]
    [InlineData("authtoken.token")]
    [InlineData("token")]
    public async Task Aggregate_ModelThatCannotHoldDatasets_IsInvalidContentType(string contentType)
    {
        var client = await app.ClientForAsync("reg_path_user");
        var w = await DataWorld.CreateAsync(app);
        var error = await DataWorld.RegisterAsync(client, new
        {
            path = "Subjects/laba",
            filenames = w.File('a'),
            hostname = w.Hostname,
            object_id = Guid.NewGuid().ToString(),
            content_type = contentType,
        }, HttpStatusCode.BadRequest);
        Assert.Equal($"Invalid content type: {contentType}", error["detail"]!.GetValue<string>());
        Assert.Equal(0, await WrittenAsync(w));
    }
}
