using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Jobs;

/// <summary>What the upstream task tests set up, with names unique per test: a lab, a subject, a session and a data repository.</summary>
sealed record TaskWorld(string Lab, Guid Session, DateTime Start, string Repository, Guid RepositoryId, Guid SubjectId, Guid LabId)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TaskWorld> CreateAsync(AlyxApp app, DateTime? start = null)
    {
        var lab = new Lab { Name = AlyxApp.Unique("tlab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = lab.Id };
        var when = start ?? new DateTime(2024, 3, 5, 10, 0, 0);
        var session = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = when, Number = 1, TaskProtocol = "ephys" };
        var repository = new DataRepository { Name = AlyxApp.Unique("myrepo") };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject, session, repository);
            await db.SaveChangesAsync(Ct);
        });
        return new TaskWorld(lab.Name, session.Id, when, repository.Name, repository.Id, subject.Id, lab.Id);
    }

    /// <summary>Another session of the same subject.</summary>
    public async Task<Guid> SessionAsync(AlyxApp app, DateTime? start, int number)
    {
        var session = new Session { SubjectId = SubjectId, LabId = LabId, StartTime = start, Number = number };
        await app.WithDbAsync(async db =>
        {
            db.Add(session);
            await db.SaveChangesAsync(Ct);
        });
        return session.Id;
    }

    /// <summary>POSTs a task (201 expected) and returns the answer.</summary>
    public static async Task<JsonNode> PostAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/tasks", Json.Body(json), Ct);
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }
}
