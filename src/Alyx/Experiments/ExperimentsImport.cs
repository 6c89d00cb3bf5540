using Alyx.Database.Import;

namespace Alyx.Experiments;

/// <summary>
/// Experiments-app models in dumps (spec 40 §7): the brain-region tree (parents written before children), probe models and probe insertions with their dataset links, as raw rows
/// (the save hook that re-links datasets does not run). This server has no chronic insertions, so a probe insertion's
/// <c>chronic_insertion</c> field is reported as unknown and dropped.
/// </summary>
sealed class ExperimentsImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("experiments.brainregion");
        models.Add("experiments.probemodel");
        models.Add("experiments.probeinsertion");
    }
}
