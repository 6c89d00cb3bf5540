namespace Alyx.Actions;

static class SessionDatasets
{
    public static Task<List<SessionDataset>> ReadAsync(Database.AlyxDb db, string root, Guid sessionId, CancellationToken ct) => Task.FromResult(new List<SessionDataset>());
}
