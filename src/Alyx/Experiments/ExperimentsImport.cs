using Alyx.Database.Import;

namespace Alyx.Experiments;

/// <summary>
/// Experiments-app models in dumps (spec 40 §7): the brain-region tree (parents written before children), probe models and probe insertions with their dataset links, as raw rows
/// (the save hook that re-links datasets does not run); coordinate systems, chronic insertions (whose
/// <c>actions.chronicrecording</c> parent row the actions app loads), trajectory estimates and channels; imaging types, stacks, fields of view (with their dataset links, as raw rows) and
/// their locations (the ArrayField columns as dumped, <see cref="ImagingArrays"/>).
/// </summary>
sealed class ExperimentsImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("experiments.brainregion");
        models.Add("experiments.coordinatesystem");
        models.Add("experiments.probemodel");
        models.Add("experiments.chronicinsertion");
        models.Add("experiments.probeinsertion");
        models.Add("experiments.trajectoryestimate");
        models.Add("experiments.channel");
        models.Add("experiments.imagingtype");
        models.Add("experiments.imagingstack");
        models.Add("experiments.fov");
        models.Add("experiments.fovlocation");
    }
}
