using Alyx.Database.Import;

namespace Alyx.Auth;

/// <summary>DRF tokens, when a dump includes them (Alyx's own dumps exclude them).</summary>
sealed class AuthImport : IDumpModels
{
    public void Register(DumpModelRegistry models) =>
        models.Add("authtoken.token").Default("created", clock => clock.Now);
}
