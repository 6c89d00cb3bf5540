using Alyx.Database;
using Alyx.Database.Import;

namespace Alyx.Misc;

/// <summary>Misc models in dumps (misc spec §11): raw rows, no housing duplication and no membership closing.</summary>
sealed class MiscImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        // Alyx: Lab.timezone defaults to settings.TIME_ZONE.
        models.Add("misc.lab").Default("timezone", clock => clock.Zone.Id);
        // groups / user_permissions point at auth tables this server does not keep (empty in Alyx dumps).
        models.Add("misc.labmember").Ignore("groups", "user_permissions").Default("date_joined", clock => clock.Now);
        models.Add("misc.lablocation").Default("lab", _ => DatabaseSetup.DefaultLabId);
        models.Add("misc.labmembership").Default("start_date", clock => clock.Today);
        models.Add("misc.cagetype");
        models.Add("misc.enrichment");
        models.Add("misc.food");
        models.Add("misc.housing");
        models.Add("misc.housingsubject");
    }
}
