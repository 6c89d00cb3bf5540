using Alyx.Admin;

namespace Alyx.Data;

/// <summary>Alyx: data/admin.py DatasetAdmin: a dataset's file records inline.</summary>
sealed class DatasetAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Dataset);

    public AdminOptions Options { get; } = new()
    {
        Search = ["Name", "Collection", "Session.Subject.Nickname"],
        Display = ["Collection", "Name"],
        Inlines =
        [
            new("File records", typeof(FileRecord), "DatasetId", [("Repository", "DataRepository.Name"), ("Relative path", "RelativePath"), ("Exists", "Exists")], "RelativePath"),
        ],
    };
}

/// <summary>Alyx: FileRecordAdmin.</summary>
sealed class FileRecordAdmin : IAdminDeclaration
{
    public Type Entity => typeof(FileRecord);

    public AdminOptions Options { get; } = new()
    {
        Search = ["RelativePath", "Dataset.Name"],
        Display = ["DataRepository.Name", "RelativePath"],
    };
}
