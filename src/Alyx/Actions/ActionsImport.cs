using Alyx.Database.Import;

namespace Alyx.Actions;

/// <summary>Actions-app models in dumps: raw rows, none of the save hooks (protocol numbers, water types, culls) run.</summary>
sealed class ActionsImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("actions.proceduretype");
        models.Add("actions.watertype");
        models.Add("actions.cullreason");
        models.Add("actions.cullmethod");
        models.Add("actions.weighing");
        models.Add("actions.session");
        models.Add("actions.wateradministration");
        models.Add("actions.waterrestriction");
        models.Add("actions.surgery");
        models.Add("actions.otheraction");
        models.Add("actions.chronicrecording");
        models.Add("actions.virusinjection");
        models.Add("actions.cull");
        models.Add("actions.notification");
        models.Add("actions.notificationrule");
    }
}
