using System.Net;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>
/// Lists ordered by name follow the database's collation, as the original's do: on a PostgreSQL cluster made with
/// en_US.UTF-8 (.ci/postgres.sh, Alyx's own images) 'camera.dlc' comes before 'DAQdata.meta'; SQLite orders by code point.
/// </summary>
public sealed class CollationOrderTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DatasetTypes_OrderedByName_FollowTheDatabaseCollation()
    {
        await app.WithDbAsync(db => ReferenceData.LoadAsync(db, Ct));
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/dataset-types", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = (body is System.Text.Json.Nodes.JsonArray a ? a : body["results"]!.AsArray()).Select(t => t!["name"]!.GetValue<string>()).ToList();
        var camera = names.IndexOf("camera.dlc");
        var daq = names.IndexOf("DAQdata.meta");
        Assert.True(camera >= 0 && daq >= 0);
        if (!TestDatabase.IsPostgres)
        {
            // SQLite's BINARY collation: 'D' (U+0044) before 'c' (U+0063).
            Assert.True(daq < camera);
            return;
        }
        var collation = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("SELECT datcollate AS \"Value\" FROM pg_database WHERE datname = current_database()").SingleAsync(Ct));
        if (collation.StartsWith("en_US", StringComparison.OrdinalIgnoreCase))
        {
            // en_US.UTF-8 compares letters first, case later: c(amera) < D(AQdata).
            Assert.True(camera < daq, $"camera.dlc at {camera}, DAQdata.meta at {daq} under {collation}");
            return;
        }
        // Another collation: the database's own order of the two names.
        var first = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("SELECT x AS \"Value\" FROM (VALUES ('camera.dlc'), ('DAQdata.meta')) v(x) ORDER BY x LIMIT 1").SingleAsync(Ct));
        Assert.Equal(first == "camera.dlc", camera < daq);
    }
}
