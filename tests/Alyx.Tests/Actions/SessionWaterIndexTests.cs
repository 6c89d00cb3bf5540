using Alyx.Actions;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Actions;

/// <summary>
/// A session's water administrations are found through an index on SQLite even when the planner's statistics say that nearly
/// every administration has no session (as in a lab, where most are given outside sessions): the index holds the rows with a
/// session only, so SQLite does not scan the table for a session detail.
/// </summary>
public sealed class SessionWaterIndexTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SessionWaterAdministrations_UseTheIndex_WhenMostHaveNoSession()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite's planner and its statistics");
        var plan = await app.WithDbAsync(async db =>
        {
            var lab = new Lab { Name = AlyxApp.Unique("lab") };
            var subject = new Subject { Nickname = AlyxApp.Unique("wi"), LabId = lab.Id };
            var session = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = new DateTime(2024, 3, 1, 9, 0, 0), Number = 1 };
            db.AddRange(lab, subject, session);
            for (var i = 0; i < 3000; i++)
                db.Add(new WaterAdministration { SubjectId = subject.Id, DateTime = new DateTime(2024, 1, 1).AddHours(i), WaterAdministered = 0.5 });
            db.Add(new WaterAdministration { SubjectId = subject.Id, SessionId = session.Id, DateTime = new DateTime(2024, 3, 1, 10, 0, 0) });
            await db.SaveChangesAsync(Ct);
            await db.Database.ExecuteSqlRawAsync("ANALYZE", Ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM actions_wateradministration WHERE session_id = $id ORDER BY date_time, id";
            command.Parameters.AddWithValue("$id", session.Id.ToString("D"));
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var lines = new List<string>();
            while (await reader.ReadAsync(Ct)) lines.Add(reader.GetString(3));
            return string.Join("\n", lines);
        });
        Assert.Contains("USING INDEX IX_actions_wateradministration_session_id (session_id=?)", plan);
        Assert.DoesNotContain("SCAN", plan.Replace("SCAN CONSTANT", "", StringComparison.Ordinal));
    }
}
