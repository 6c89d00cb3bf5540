using Alyx.Admin;
using Alyx.Data;
using Alyx.Misc;

namespace Alyx.Actions;

/// <summary>Alyx: actions/admin.py WeighingAdmin.</summary>
sealed class WeighingAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Weighing);

    public AdminOptions Options { get; } = new()
    {
        Columns = [new("subject", "Subject", "Subject.Nickname"), new("date_time", "Date time", "DateTime"), new("weight", "Weight (g)", "Weight"), new("user", "User", "User.Username")],
        Search = ["Subject.Nickname", "User.Username"],
        Filters = [AdminFilter.Values<LabMember>("user", "user", "Username")],
        Ordering = "-DateTime",
        Display = ["Subject.Nickname", "DateTime", "Weight"],
    };
}

/// <summary>Alyx: WaterAdministrationAdmin.</summary>
sealed class WaterAdministrationAdmin : IAdminDeclaration
{
    public Type Entity => typeof(WaterAdministration);

    public AdminOptions Options { get; } = new()
    {
        Columns =
        [
            new("subject", "Subject", "Subject.Nickname"), new("date_time", "Date time", "DateTime"),
            new("water_administered", "Water (mL)", "WaterAdministered"), new("water_type", "Water type", "WaterType.Name"),
            new("adlib", "Ad lib", "Adlib"), new("user", "User", "User.Username"),
        ],
        Search = ["Subject.Nickname", "User.Username"],
        Filters = [AdminFilter.YesNo("adlib", "ad lib")],
        Ordering = "-DateTime",
        Display = ["Subject.Nickname", "DateTime", "WaterAdministered"],
    };
}

/// <summary>Alyx: WaterRestrictionAdmin.</summary>
sealed class WaterRestrictionAdmin : IAdminDeclaration
{
    public Type Entity => typeof(WaterRestriction);

    public AdminOptions Options { get; } = new()
    {
        Columns =
        [
            new("subject", "Subject", "Subject.Nickname"), new("start_time", "Start", "StartTime"), new("end_time", "End", "EndTime"),
            new("reference_weight", "Reference weight (g)", "ReferenceWeight"), new("water_type", "Water type", "WaterType.Name"),
        ],
        Search = ["Subject.Nickname"],
        Ordering = "-StartTime",
        Display = ["Subject.Nickname", "StartTime"],
    };
}

/// <summary>Alyx: SurgeryAdmin.</summary>
sealed class SurgeryAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Surgery);

    public AdminOptions Options { get; } = new()
    {
        Columns = [new("subject", "Subject", "Subject.Nickname"), new("start_time", "Start", "StartTime"), new("name", "Name", "Name"), new("outcome_type", "Outcome", "OutcomeType")],
        Search = ["Subject.Nickname", "Name", "Narrative"],
        Ordering = "-StartTime",
        Display = ["Subject.Nickname", "StartTime", "Name"],
    };
}

/// <summary>Alyx: SessionAdmin: the session's datasets, their file records and QC inline.</summary>
sealed class SessionAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Session);

    public AdminOptions Options { get; } = new()
    {
        Columns =
        [
            new("subject", "Subject", "Subject.Nickname"), new("start_time", "Start", "StartTime"), new("number", "Number", "Number"),
            new("lab", "Lab", "Lab.Name"), new("task_protocol", "Task protocol", "TaskProtocol"),
        ],
        Search = ["Subject.Nickname", "Name", "TaskProtocol"],
        Filters = [AdminFilter.Values<Lab>("lab", "lab", "Name")],
        Ordering = "-StartTime",
        Display = ["Subject.Nickname", "StartTime", "Number"],
        Inlines =
        [
            new("Datasets", typeof(Dataset), "SessionId",
                [("Name", "Name"), ("Collection", "Collection"), ("Revision", "Revision.Name"), ("Default", "DefaultDataset"), ("QC", "Qc"), ("Size (bytes)", "FileSize")],
                "Name") { Limit = 200 },
            new("File records", typeof(FileRecord), "Dataset.SessionId",
                [("Dataset", "Dataset.Name"), ("Collection", "Dataset.Collection"), ("Repository", "DataRepository.Name"), ("Relative path", "RelativePath"), ("Exists", "Exists")],
                "RelativePath") { Limit = 200 },
        ],
    };
}
