using Alyx.Database.Import;

namespace Alyx.Jobs;

/// <summary>
/// Jobs-app models in dumps (spec 50 §8): tasks as raw rows (the status code as stored, <c>datetime</c> as written), their
/// parent links written after every row, as many-to-many links are.
/// </summary>
sealed class JobsImport : IDumpModels
{
    public void Register(DumpModelRegistry models) => models.Add("jobs.task");
}
