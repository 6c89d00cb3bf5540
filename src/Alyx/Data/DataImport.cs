using Alyx.Database.Import;

namespace Alyx.Data;

/// <summary>Data models in dumps.</summary>
sealed class DataImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("data.datarepositorytype");
        models.Add("data.datarepository");
    }
}
