using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Experiments;

/// <summary>The app with Alyx's reference rows loaded (the probe models 3A, 3B2, NP2.1, NP2.4, Fiber among them).</summary>
public sealed class ProbeApp : AlyxApp, IAsyncLifetime
{
    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await WithDbAsync(db => ReferenceData.LoadAsync(db));
    }
}

/// <summary>
/// What the upstream insertion tests set up, with names unique per test: a subject in its own lab, a session with an
/// <c>ephys</c> task protocol and a project, a dataset type and a format for datasets to be made of.
/// </summary>
sealed record ProbeWorld(string Subject, Guid SubjectId, string Lab, Guid LabId, Guid Session, string Project, Guid Type, string TypeName, Guid Format,
    string FormatName)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly DateTime Start = new(2024, 3, 5, 10, 0, 0);

    public static async Task<ProbeWorld> CreateAsync(AlyxApp app)
    {
        var lab = new Lab { Name = AlyxApp.Unique("plab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = lab.Id };
        var project = new Project { Name = AlyxApp.Unique("brain_wide") };
        var session = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = Start, Number = 1, TaskProtocol = "ephys", Projects = [project] };
        var type = new DatasetType { Name = AlyxApp.Unique("spikes.times") };
        var format = new DataFormat { Name = AlyxApp.Unique("npy"), FileExtension = "." + AlyxApp.Unique("x") };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject, project, session, type, format);
            await db.SaveChangesAsync(Ct);
        });
        return new ProbeWorld(subject.Nickname, subject.Id, lab.Name, lab.Id, session.Id, project.Name, type.Id, type.Name, format.Id, format.Name);
    }

    /// <summary>Another session of the same subject.</summary>
    public async Task<Guid> SessionAsync(AlyxApp app, DateTime? start, int number, string protocol = "ephys")
    {
        var session = new Session { SubjectId = SubjectId, LabId = LabId, StartTime = start, Number = number, TaskProtocol = protocol };
        await app.WithDbAsync(async db =>
        {
            db.Add(session);
            await db.SaveChangesAsync(Ct);
        });
        return session.Id;
    }

    /// <summary>A dataset made directly in the database (no save hook runs, as Dataset.objects.create would not link).</summary>
    public async Task<Dataset> DatasetAsync(AlyxApp app, string name, string collection, int qc = 0, Guid? session = null, Guid? type = null)
    {
        var dataset = new Dataset
        {
            SessionId = session ?? Session,
            Name = name,
            Collection = collection,
            Qc = qc,
            DatasetTypeId = type ?? Type,
            DataFormatId = Format,
            Hash = "abc",
            Version = "1.2.3",
            FileSize = 1234,
        };
        await app.WithDbAsync(async db =>
        {
            db.Add(dataset);
            await db.SaveChangesAsync(Ct);
        });
        return dataset;
    }

    public static async Task<JsonNode> PostAsync(HttpClient client, object body) =>
        await (await client.PostAsync("/insertions", Json.Body(body), Ct)).ReadJsonAsync(HttpStatusCode.Created);

    public async Task<JsonNode> InsertAsync(HttpClient client, string name, Guid? session = null, string model = "3A") =>
        await PostAsync(client, new { session = (session ?? Session).ToString(), name, model });

    public static async Task<JsonNode> ListAsync(HttpClient client, string query) =>
        (await (await client.GetAsync("/insertions?limit=1000&" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]!;

    public static List<string> Names(JsonNode results) => results.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    public static List<string> Ids(JsonNode results) => results.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
}
