using System.Net;
using Alyx.Actions;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

/// <summary>
/// POST /weighings and POST /water-administrations send a fixed, small number of statements (issue 16): the references are
/// read once, the row is inserted, the underweight check reads only the water figures' rows, and the answer is read back.
/// A subject with a long history sends as many as one without.
/// </summary>
public sealed class WritePathStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task AddHistoryAsync(Guid subject, int rows)
    {
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < rows; i++)
            {
                db.Add(new Weighing { SubjectId = subject, DateTime = new DateTime(2024, 3, 1, 9, 0, 0).AddDays(i), Weight = 20 + i / 10.0 });
                db.Add(new WaterAdministration { SubjectId = subject, DateTime = new DateTime(2024, 3, 1, 17, 0, 0).AddDays(i), WaterAdministered = 1 });
            }
            await db.SaveChangesAsync(Ct);
        });
    }

    async Task<int> PostAsync(HttpClient client, string path, object body) =>
        await app.Commands.CountAsync(async () =>
            await (await client.PostAsync(path, Json.Body(body), Ct)).AssertStatusAsync(HttpStatusCode.Created));

    [Fact]
    public async Task PostWeighing_SendsFourStatements_WhateverTheHistory()
    {
        var fresh = await SubjectAsync(app);
        var old = await SubjectAsync(app);
        await AddHistoryAsync(old.Id, 30);
        var client = await app.ClientForAsync();
        // The first request of a client looks its token up; later ones find it remembered.
        await PostAsync(client, "/weighings", new { subject = fresh.Nickname, weight = 21.0, date_time = "2024-05-01T10:00:00" });

        var few = await PostAsync(client, "/weighings", new { subject = fresh.Nickname, weight = 21.5, date_time = "2024-05-02T10:00:00" });
        var many = await PostAsync(client, "/weighings", new { subject = old.Nickname, weight = 22.5, date_time = "2024-05-02T10:00:00" });

        // The subject by nickname with its lab, the insert, the water figures' rows (underweight check: the subject's
        // columns are the row already read), the answer.
        Assert.Equal(4, few);
        Assert.Equal(4, many);
        var stored = await app.WithDbAsync(db => db.Set<Weighing>().Where(w => w.SubjectId == old.Id).CountAsync(Ct));
        Assert.Equal(31, stored);
    }

    [Fact]
    public async Task PostWaterAdministration_SendsFiveStatements_AndReadsTheSubjectOnce()
    {
        var fresh = await SubjectAsync(app);
        var old = await SubjectAsync(app);
        await AddHistoryAsync(old.Id, 30);
        var client = await app.ClientForAsync();
        await PostAsync(client, "/water-administrations", new { subject = fresh.Nickname, water_administered = 1.0, date_time = "2024-05-01T10:00:00" });

        var few = await PostAsync(client, "/water-administrations", new { subject = fresh.Nickname, water_administered = 0.5, date_time = "2024-05-02T10:00:00" });
        var many = await PostAsync(client, "/water-administrations", new { subject = old.Nickname, water_administered = 0.5, date_time = "2024-05-02T10:00:00" });

        // The subject by nickname, its latest restriction's water type, the type named Water (no restriction), the insert,
        // the answer.
        Assert.Equal(5, few);
        Assert.Equal(5, many);
        var stored = await app.WithDbAsync(db => db.Set<WaterAdministration>().Where(w => w.SubjectId == old.Id).CountAsync(Ct));
        Assert.Equal(31, stored);
    }

    [Fact]
    public async Task PostSession_ReadsTheSubjectOnce()
    {
        var subject = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        await PostAsync(client, "/sessions", new { subject = subject.Nickname, number = 1, start_time = "2024-05-01T10:00:00", task_protocol = "bench" });

        var statements = await PostAsync(client, "/sessions",
            new { subject = subject.Nickname, number = 2, start_time = "2024-05-02T10:00:00", task_protocol = "bench" });

        // The subject by nickname (its lab is the session's: not read again), the session and its user link inserted (one
        // batched command on PostgreSQL, two on SQLite; the caller, the default user, is linked by key without reading it),
        // then the new session's row read back: its one user (the caller) and no procedures or projects are the ones written,
        // and no other request can have added water administrations, datasets, probe insertions or notes to a session whose
        // id it has not been told yet.
        Assert.Equal(TestDatabase.IsPostgres ? 3 : 4, statements);
        var stored = await app.WithDbAsync(db => db.Sessions.Where(s => s.SubjectId == subject.Id && s.Number == 2)
            .Select(s => new { s.LabId, Users = s.Users.Count }).SingleAsync(Ct));
        Assert.Equal(subject.LabId, stored.LabId);
        Assert.Equal(1, stored.Users);
    }

    [Fact]
    public async Task PostSession_AnswersTheBytesOfItsDetail()
    {
        var subject = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        await app.ClientForAsync("write_path_other");
        var project = AlyxApp.Unique("proj");
        var procedure = AlyxApp.Unique("Behavior");
        var location = AlyxApp.Unique("rig");
        await app.WithDbAsync(async db =>
        {
            db.Projects.Add(new Project { Name = project });
            db.ProcedureTypes.Add(new ProcedureType { Name = procedure });
            db.LabLocations.Add(new LabLocation { Name = location, LabId = subject.LabId });
            await db.SaveChangesAsync(Ct);
        });

        using var created = await client.PostAsync("/sessions", Json.Body(new
        {
            subject = subject.Nickname,
            users = new[] { "write_path_other", "test_user" },
            projects = new[] { project },
            procedures = new[] { procedure },
            location,
            type = "Experiment",
            number = 7,
            n_trials = 600,
            qc = "WARNING",
            extended_qc = new { task = "PASS" },
            json = new { rig = 2 },
            start_time = "2024-03-05T10:12:00",
        }), Ct);
        var (answer, node, detail) = await AnswerAndDetailAsync(client, created);

        // The create's answer, read without the collections a new session cannot have yet, is the detail a GET reads whole.
        Assert.Equal(detail, answer);
        Assert.Equal("[]", node["wateradmin_session_related"]!.ToJsonString());
        Assert.Equal("[]", node["data_dataset_session_related"]!.ToJsonString());
        Assert.Equal("[]", node["probe_insertion"]!.ToJsonString());
        Assert.Equal("[]", node["notes"]!.ToJsonString());
        Assert.Equal([project], node["projects"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal([procedure], node["procedures"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task PostSession_WithTheCallerAsItsUser_AnswersTheBytesOfItsDetail()
    {
        var subject = await SubjectAsync(app);
        var client = await app.ClientForAsync();

        using var created = await client.PostAsync("/sessions", Json.Body(new
        {
            subject = subject.Nickname,
            number = 8,
            task_protocol = "bench",
            start_time = "2024-03-06T09:00:00",
        }), Ct);
        var (answer, node, detail) = await AnswerAndDetailAsync(client, created);

        // The answer's users, procedures and projects are the rows the create wrote (the caller, none, none): what a GET reads.
        Assert.Equal(detail, answer);
        Assert.Equal(["test_user"], node["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal("[]", node["procedures"]!.ToJsonString());
        Assert.Equal("[]", node["projects"]!.ToJsonString());
    }

    /// <summary>A create's answer (its text and JSON) and the detail a GET of its url answers then.</summary>
    static async Task<(string Answer, System.Text.Json.Nodes.JsonNode Node, string Detail)> AnswerAndDetailAsync(HttpClient client, HttpResponseMessage created)
    {
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await created.Content.ReadAsStringAsync(Ct);
        var node = System.Text.Json.Nodes.JsonNode.Parse(answer)!;
        return (answer, node, await client.GetStringAsync(new Uri(node["url"]!.GetValue<string>()).PathAndQuery, Ct));
    }
}
