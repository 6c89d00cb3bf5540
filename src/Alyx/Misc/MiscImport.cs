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
        // Django's auth groups (integer keys) and the users' groups (ids, or names with --natural-foreign); Alyx's dumps leave
        // the auth tables out, so a group in neither the dump nor the database is dropped from the user's groups.
        // user_permissions point at a table this server does not keep.
        models.Add("auth.group").Ignore("permissions");
        models.Add("misc.labmember").Ignore("user_permissions").DropMissingLinks("groups").Default("date_joined", clock => clock.Now);
        models.Add("misc.lablocation").Default("lab", _ => DatabaseSetup.DefaultLabId);
        models.Add("misc.labmembership").Default("start_date", clock => clock.Today);
        models.Add("misc.cagetype");
        models.Add("misc.enrichment");
        models.Add("misc.food");
        models.Add("misc.housing");
        models.Add("misc.housingsubject");
    }
}
