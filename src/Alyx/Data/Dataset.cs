using Alyx.Actions;
using Alyx.Database;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Data;

/// <summary>A file format (npy, parquet, ...): the extension a registered file's format is recognised by.</summary>
public sealed class DataFormat : AlyxModel
{
    public string Description { get; set; } = "";
    public string FileExtension { get; set; } = "";
    public string MatlabLoaderFunction { get; set; } = "";
    public string PythonLoaderFunction { get; set; } = "";
}

/// <summary>What a dataset holds (<c>trials.intervals</c>); a file belongs to the one type whose wildcard pattern it matches.</summary>
public sealed class DatasetType : AlyxModel
{
    public Guid? CreatedById { get; set; }
    public LabMember? CreatedBy { get; set; }
    public string Description { get; set; } = "";

    /// <summary>Lower-case shell wildcard over file names; NULL (read back as <c>''</c>) when the name is matched instead.</summary>
    public string? FilenamePattern { get; set; }
}

/// <summary>A dataset revision: the <c>#name#</c> folder above a re-computed file.</summary>
public sealed class Revision : AlyxModel
{
    public string Description { get; set; } = "";
    public DateTime? CreatedDatetime { get; set; }
}

/// <summary>A label on datasets; protected tags freeze their datasets, public tags release them.</summary>
public sealed class Tag : AlyxModel
{
    public string Description { get; set; } = "";
    public bool Protected { get; set; }
    public bool Public { get; set; }
    public string? Hash { get; set; }
    public List<Dataset> Datasets { get; set; } = [];
}

/// <summary>
/// One logical file of a session (or, through a content type and object id, of another object: aggregate datasets),
/// stored as file records in one or more repositories.
/// </summary>
public sealed class Dataset : AlyxModel
{
    public Guid? SessionId { get; set; }
    public Session? Session { get; set; }
    public Guid? CreatedById { get; set; }
    public LabMember? CreatedBy { get; set; }
    public DateTime? CreatedDatetime { get; set; }
    public string GeneratingSoftware { get; set; } = "";
    public Guid? ProvenanceDirectoryId { get; set; }
    public Dataset? ProvenanceDirectory { get; set; }
    public int? ContentTypeId { get; set; }
    public ContentType? ContentType { get; set; }
    public Guid? ObjectId { get; set; }
    public long? FileSize { get; set; }
    public Guid? Md5 { get; set; }
    public string Hash { get; set; } = "";
    public string Version { get; set; } = "";
    public string Collection { get; set; } = "";
    public Guid DatasetTypeId { get; set; }
    public DatasetType? DatasetType { get; set; }
    public Guid DataFormatId { get; set; }
    public DataFormat? DataFormat { get; set; }
    public Guid? RevisionId { get; set; }
    public Revision? Revision { get; set; }
    public List<Tag> Tags { get; set; } = [];
    public DateTime? AutoDatetime { get; set; }
    public bool DefaultDataset { get; set; } = true;

    /// <summary>A <see cref="QcCodes"/> code.</summary>
    public int Qc { get; set; }

    public List<FileRecord> FileRecords { get; set; } = [];
    public List<Download> Downloads { get; set; } = [];
    public List<DataNotice> DataNotices { get; set; } = [];

    /// <summary>The probe insertions this dataset is linked to (the insertions' <c>datasets</c> field).</summary>
    public List<Experiments.ProbeInsertion> ProbeInsertions { get; set; } = [];
}

/// <summary>One physical copy of a dataset: a path inside a data repository.</summary>
public sealed class FileRecord : AlyxModel
{
    public Guid DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    public Guid DataRepositoryId { get; set; }
    public DataRepository? DataRepository { get; set; }
    public string RelativePath { get; set; } = "";
    public bool Exists { get; set; }
}

/// <summary>How often a user downloaded a dataset, and for which projects.</summary>
public sealed class Download : AlyxModel
{
    public Guid UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid DatasetId { get; set; }
    public Dataset? Dataset { get; set; }
    public DateTime FirstDownload { get; set; }
    public DateTime LastDownload { get; set; }
    public int Count { get; set; }
    public List<Project> Projects { get; set; } = [];
}

/// <summary>A notice about a data-quality issue affecting datasets.</summary>
public sealed class DataNotice : AlyxModel
{
    public string Description { get; set; } = "";
    public int Importance { get; set; } = DataNoticeImportance.Insignificant;
    public List<Dataset> Datasets { get; set; } = [];
    public Guid? CreatedById { get; set; }
    public LabMember? CreatedBy { get; set; }
    public DateTime CreatedDatetime { get; set; }
    public string VersionAffected { get; set; } = "";
    public DateOnly? AffectedDateStart { get; set; }
    public DateOnly? AffectedDateEnd { get; set; }
}

/// <summary>
/// What identifies a dataset: session, content type and object id (aggregate datasets), collection, name and revision, with
/// NULLs equal. Register-file relies on it so that concurrent identical registrations cannot create duplicates.
/// </summary>
public static class DatasetIdentity
{
    public const string IndexName = "data_dataset_identity_uniq";

    /// <summary>SQLite only: a generated column joining the nullable parts (PostgreSQL uses NULLS NOT DISTINCT instead).</summary>
    public const string SqliteKeyColumn = "identity_key";
}

/// <summary>Data notice importance codes, in Alyx's declaration order.</summary>
public static class DataNoticeImportance
{
    public const int Critical = 50;
    public const int Major = 40;
    public const int Minor = 30;
    public const int Insignificant = 20;

    public static readonly IReadOnlyList<(int Code, string Name)> All =
        [(Critical, "CRITICAL"), (Major, "MAJOR"), (Minor, "MINOR"), (Insignificant, "INSIGNIFICANT")];
}

sealed class DatasetConfiguration :
    IEntityTypeConfiguration<DataFormat>, IEntityTypeConfiguration<DatasetType>, IEntityTypeConfiguration<Revision>,
    IEntityTypeConfiguration<Tag>, IEntityTypeConfiguration<Dataset>, IEntityTypeConfiguration<FileRecord>,
    IEntityTypeConfiguration<Download>, IEntityTypeConfiguration<DataNotice>
{
    public void Configure(EntityTypeBuilder<DataFormat> b)
    {
        b.IsAlyxModel("data_dataformat", "data.dataformat");
        b.HasIndex(f => f.Name).IsUnique();
        b.Property(f => f.Description).HasMaxLength(255);
        b.Property(f => f.FileExtension).HasMaxLength(255);
        b.Property(f => f.MatlabLoaderFunction).HasMaxLength(255);
        b.Property(f => f.PythonLoaderFunction).HasMaxLength(255);
        b.HasIndex(f => f.FileExtension);
    }

    public void Configure(EntityTypeBuilder<DatasetType> b)
    {
        b.IsAlyxModel("data_datasettype", "data.datasettype");
        b.HasIndex(t => t.Name).IsUnique();
        b.HasOne(t => t.CreatedBy).WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.Cascade);
        b.Property(t => t.Description).HasMaxLength(1023);
        b.Property(t => t.FilenamePattern).HasMaxLength(255);
        b.HasIndex(t => t.FilenamePattern).IsUnique();
    }

    public void Configure(EntityTypeBuilder<Revision> b)
    {
        b.IsAlyxModel("data_revision", "data.revision");
        b.HasIndex(r => r.Name).IsUnique();
        b.Property(r => r.Description).HasMaxLength(1023);
        b.HasIndex(r => r.CreatedDatetime);
    }

    public void Configure(EntityTypeBuilder<Tag> b)
    {
        b.IsAlyxModel("data_tag", "data.tag");
        b.HasIndex(t => t.Name).IsUnique();
        b.Property(t => t.Description).HasMaxLength(1023);
        b.Property(t => t.Hash).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<Dataset> b)
    {
        b.IsAlyxModel("data_dataset", "data.dataset");
        b.HasOne(d => d.Session).WithMany(s => s.Datasets).HasForeignKey(d => d.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(d => d.CreatedBy).WithMany().HasForeignKey(d => d.CreatedById).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(d => d.ProvenanceDirectory).WithMany().HasForeignKey(d => d.ProvenanceDirectoryId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(d => d.ContentType).WithMany().HasForeignKey(d => d.ContentTypeId).OnDelete(DeleteBehavior.Cascade);
        // Django's SET_DEFAULT (re-point to the 'unknown' row) is done by the code that deletes a type or format.
        b.HasOne(d => d.DatasetType).WithMany().HasForeignKey(d => d.DatasetTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(d => d.DataFormat).WithMany().HasForeignKey(d => d.DataFormatId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(d => d.Revision).WithMany().HasForeignKey(d => d.RevisionId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(d => d.Tags).WithMany(t => t.Datasets).UsingEntity<Dictionary<string, object>>(
            "data_dataset_tags",
            r => r.HasOne<Tag>().WithMany().HasForeignKey("tag_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Dataset>().WithMany().HasForeignKey("dataset_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("dataset_id", "tag_id");
                j.HasIndex("tag_id");
            });
        b.Property(d => d.GeneratingSoftware).HasMaxLength(255);
        b.Property(d => d.Hash).HasMaxLength(64);
        b.Property(d => d.Version).HasMaxLength(64);
        b.Property(d => d.Collection).HasMaxLength(255);
        // The default-revision cascade and name lookups use this index. Alyx has no uniqueness beyond the key; here a dataset's
        // identity (DatasetIdentity) is unique, with one provider-specific index each (ProviderDbs).
        b.HasIndex(d => new { d.SessionId, d.Collection, d.Name });
        b.HasIndex(d => d.Name);
        b.HasIndex(d => d.Collection);
        b.HasIndex(d => new { d.CreatedDatetime, d.Id });
        // /datasets?dataset_type=: the type's rows already in the list's order (created_datetime, id), no sort of the whole type.
        b.HasIndex(d => new { d.DatasetTypeId, d.CreatedDatetime, d.Id });
        b.HasIndex(d => d.AutoDatetime);
        b.HasIndex(d => d.ObjectId);
        b.HasIndex(d => d.Hash);
        b.HasIndex(d => d.Qc);
        b.Navigation(d => d.Downloads).HasAnnotation(AlyxAnnotations.DjangoName, "download");
        b.Navigation(d => d.ProbeInsertions).HasAnnotation(AlyxAnnotations.DjangoName, "probe_insertion");
    }

    public void Configure(EntityTypeBuilder<FileRecord> b)
    {
        b.IsAlyxModel("data_filerecord", "data.filerecord");
        b.HasOne(f => f.Dataset).WithMany(d => d.FileRecords).HasForeignKey(f => f.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(f => f.DataRepository).WithMany(r => r.FileRecords).HasForeignKey(f => f.DataRepositoryId).OnDelete(DeleteBehavior.Cascade);
        b.Property(f => f.RelativePath).HasMaxLength(1000);
        b.HasIndex(f => new { f.DataRepositoryId, f.RelativePath }).IsUnique();
        b.HasIndex(f => f.RelativePath);
        b.HasIndex(f => f.Exists);
    }

    public void Configure(EntityTypeBuilder<Download> b)
    {
        b.IsAlyxModel("data_download", "data.download");
        b.HasOne(d => d.User).WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(d => d.Dataset).WithMany(s => s.Downloads).HasForeignKey(d => d.DatasetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.UserId, d.DatasetId }).IsUnique();
        b.HasIndex(d => d.Count);
        b.HasMany(d => d.Projects).WithMany().UsingEntity<Dictionary<string, object>>(
            "data_download_projects",
            r => r.HasOne<Project>().WithMany().HasForeignKey("project_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Download>().WithMany().HasForeignKey("download_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("download_id", "project_id"));
    }

    public void Configure(EntityTypeBuilder<DataNotice> b)
    {
        b.IsAlyxModel("data_datanotice", "data.datanotice");
        b.HasOne(n => n.CreatedBy).WithMany().HasForeignKey(n => n.CreatedById).OnDelete(DeleteBehavior.SetNull);
        b.Property(n => n.VersionAffected).HasMaxLength(64);
        b.HasMany(n => n.Datasets).WithMany(d => d.DataNotices).UsingEntity<Dictionary<string, object>>(
            "data_datanotice_datasets",
            r => r.HasOne<Dataset>().WithMany().HasForeignKey("dataset_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<DataNotice>().WithMany().HasForeignKey("datanotice_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("datanotice_id", "dataset_id");
                j.HasIndex("dataset_id");
            });
        b.HasIndex(n => new { n.Importance, n.CreatedDatetime, n.Name });
        b.HasIndex(n => n.VersionAffected);
        b.HasIndex(n => n.AffectedDateStart);
        b.HasIndex(n => n.AffectedDateEnd);
    }
}
