using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Actions;

/// <summary>
/// GET /sessions/{id} sends a fixed, small number of statements whatever the session holds (issue 16): the row, one statement per
/// nested list (users, procedures, projects, water administrations, datasets and their URLs, probe insertions, notes); none grows with
/// the nested rows.
/// </summary>
public sealed class SessionDetailStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A session with <paramref name="n"/> of each nested row, entered in the reverse of the order the detail lists them.</summary>
    async Task<(Guid Id, List<Guid> Datasets, List<string> Users)> SessionAsync(int n)
    {
        var lab = new Lab { Name = AlyxApp.Unique("lab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("stmt"), LabId = lab.Id };
        var session = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = new DateTime(2024, 3, 1, 9, 0, 0), Number = 1 };
        var repository = new DataRepository { Name = AlyxApp.Unique("repo"), DataUrl = "https://data.example/", GlobusIsPersonal = false };
        var type = new DatasetType { Name = AlyxApp.Unique("type") };
        var format = new DataFormat { Name = AlyxApp.Unique("fmt") };
        var users = new List<string>();
        var datasets = new List<Guid>();
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject, session, repository, type, format);
            for (var i = n - 1; i >= 0; i--)
            {
                // Usernames u0_… < u1_… <; datasets by name ds0 < ds1 <; administrations by time.
                var user = new LabMember { Username = $"u{i}_{Guid.NewGuid():N}", DateJoined = new DateTime(2020, 1, 1) };
                users.Insert(0, user.Username);
                session.Users.Add(user);
                session.Procedures.Add(new ProcedureType { Name = AlyxApp.Unique("proc") });
                session.Projects.Add(new Project { Name = AlyxApp.Unique("proj") });
                db.Add(new WaterAdministration
                {
                    SubjectId = subject.Id,
                    SessionId = session.Id,
                    DateTime = new DateTime(2024, 3, 1, 10, 0, 0).AddMinutes(i),
                    WaterAdministered = 1 + i / 4.0,
                });
                var dataset = new Dataset
                {
                    Name = $"ds{i}.npy",
                    SessionId = session.Id,
                    DatasetTypeId = type.Id,
                    DataFormatId = format.Id,
                    Collection = "alf",
                };
                datasets.Insert(0, dataset.Id);
                db.Add(dataset);
                db.Add(new FileRecord { DatasetId = dataset.Id, DataRepositoryId = repository.Id, RelativePath = $"alf/ds{i}.npy", Exists = true });
            }
            await db.SaveChangesAsync(Ct);
        });
        return (session.Id, datasets, users);
    }

    Task<(int Commands, JsonNode Body)> DetailAsync(HttpClient client, Guid id) => app.Commands.GetJsonAsync(client, $"/sessions/{id}", Ct);

    [Fact]
    public async Task SessionDetail_ManyNestedRows_SendsAsManyStatementsAsOne()
    {
        var client = await app.ClientForAsync("stmt_user");
        var shortOne = await SessionAsync(1);
        var longOne = await SessionAsync(6);
        await DetailAsync(client, shortOne.Id); // the token lookup is remembered after the first request

        var (few, shortBody) = await DetailAsync(client, shortOne.Id);
        var (many, longBody) = await DetailAsync(client, longOne.Id);

        Assert.Equal(few, many);
        // The row, users, procedures, projects, water administrations, datasets, their URLs, probe insertions, notes.
        Assert.Equal(9, many);
        Assert.Single(shortBody["users"]!.AsArray());
        Assert.Equal(longOne.Users, longBody["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(6, longBody["procedures"]!.AsArray().Count);
        Assert.Equal(6, longBody["projects"]!.AsArray().Count);
        var water = longBody["wateradmin_session_related"]!.AsArray();
        Assert.Equal(6, water.Count);
        Assert.Equal(2.25, water[5]!["water_administered"]!.GetValue<double>());
        var datasets = longBody["data_dataset_session_related"]!.AsArray();
        Assert.Equal(longOne.Datasets.Select(d => d.ToString("D")), datasets.Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal("ds5.npy", datasets[5]!["name"]!.GetValue<string>());
        Assert.Equal($"https://data.example/alf/ds5.{longOne.Datasets[5]:D}.npy", datasets[5]!["data_url"]!.GetValue<string>());
    }
}
