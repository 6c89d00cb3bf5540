using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>
/// The upstream data tests' set-up, with names unique per test so that tests sharing a database never collide: a subject
/// in its own lab, a base session on 2018-01-01 and its child number 2, dataset types <c>{P}a.a</c>..<c>{P}a.d</c> (patterns
/// <c>{P}a.x.*</c>) and formats for the extensions <c>{E}1</c>/<c>{E}2</c>, a repository <c>dr</c> with a hostname.
/// </summary>
sealed record DataWorld(string Prefix, string Ext, string Subject, Guid SubjectId, string Lab, Guid BaseSession, Guid Session,
    string Repository, string Hostname)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A file name of type <c>{P}a.{letter}</c> with format <c>{E}{n}</c>.</summary>
    public string File(char letter, int format = 1) => $"{Prefix}a.{letter}.{Ext}{format}";

    public string Type(char letter) => $"{Prefix}a.{letter}";

    public string Format(int n) => $"fmt{Ext}{n}";

    public static async Task<DataWorld> CreateAsync(AlyxApp app)
    {
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        var ext = "x" + Guid.NewGuid().ToString("N")[..6];
        var lab = new Lab { Name = AlyxApp.Unique("lab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = lab.Id };
        var repository = new DataRepository { Name = AlyxApp.Unique("dr"), Hostname = AlyxApp.Unique("host") };
        var start = new DateTime(2018, 1, 1, 12, 0, 0);
        var baseSession = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = start, Number = 1 };
        var child = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = start, Number = 2, ParentSessionId = baseSession.Id };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject, repository, baseSession, child);
            foreach (var letter in "abcd")
                db.Add(new DatasetType { Name = $"{prefix}a.{letter}", FilenamePattern = $"{prefix}a.{letter}.*" });
            db.Add(new DataFormat { Name = $"fmt{ext}1", FileExtension = $".{ext}1" });
            db.Add(new DataFormat { Name = $"fmt{ext}2", FileExtension = $".{ext}2" });
            await db.SaveChangesAsync(Ct);
        });
        return new DataWorld(prefix, ext, subject.Nickname, subject.Id, lab.Name, baseSession.Id, child.Id, repository.Name, repository.Hostname);
    }

    /// <summary>Repositories (name, globus_is_personal) and a lab holding them.</summary>
    public static async Task<(string Lab, List<string> Repositories)> LabWithRepositoriesAsync(AlyxApp app, params bool?[] personal)
    {
        var lab = new Lab { Name = AlyxApp.Unique("rlab") };
        var repositories = personal.Select(p => new DataRepository { Name = AlyxApp.Unique("repo"), GlobusIsPersonal = p }).ToList();
        await app.WithDbAsync(async db =>
        {
            lab.Repositories.AddRange(repositories);
            db.Add(lab);
            await db.SaveChangesAsync(Ct);
        });
        return (lab.Name, repositories.Select(r => r.Name).ToList());
    }

    public static async Task<JsonNode> RegisterAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync("/register-file", Json.Body(body), Ct)).ReadJsonAsync(expected);
}
