using System.Text.Json;
using Alyx.Database.Import;

namespace Alyx.Data;

/// <summary>
/// Data-app models in dumps (spec 30 §1.14): raw rows, none of the save hooks (pattern lower-casing, revision
/// validation, probe-insertion linking, automatic 'unknown' types) run. Defaults for missing keys are Django's.
/// </summary>
sealed class DataImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("data.datarepositorytype");
        models.Add("data.datarepository").Default("timezone", clock => clock.Zone.Id);
        models.Add("data.dataformat").CreatedOnMigrate("name", UnknownRows.Name);
        // Alyx stores an empty pattern as NULL (CharNullField) and dumps it as "".
        models.Add("data.datasettype").Convert("filename_pattern", NullIfEmpty).CreatedOnMigrate("name", UnknownRows.Name);
        models.Add("data.revision").Default("created_datetime", clock => clock.Now);
        models.Add("data.tag");
        models.Add("data.dataset").Default("created_datetime", clock => clock.Now);
        models.Add("data.filerecord");
        models.Add("data.download")
            .Default("first_download", clock => clock.Now)
            .Default("last_download", clock => clock.Now);
        models.Add("data.datanotice").Default("created_datetime", clock => clock.Now);
    }

    static object? NullIfEmpty(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
