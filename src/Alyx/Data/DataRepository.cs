using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Data;

public sealed class DataRepositoryType : AlyxModel;

public sealed class DataRepository : AlyxModel
{
    public Guid? RepositoryTypeId { get; set; }
    public DataRepositoryType? RepositoryType { get; set; }
    public string Hostname { get; set; } = "";
    public string? DataUrl { get; set; }
    public string Timezone { get; set; } = "";
    public string GlobusPath { get; set; } = "";
    public Guid? GlobusEndpointId { get; set; }
    public bool? GlobusIsPersonal { get; set; }
    public List<Lab> Labs { get; set; } = [];
    public List<FileRecord> FileRecords { get; set; } = [];
}

sealed class DataRepositoryConfiguration : IEntityTypeConfiguration<DataRepository>, IEntityTypeConfiguration<DataRepositoryType>
{
    public void Configure(EntityTypeBuilder<DataRepository> b)
    {
        b.IsAlyxModel("data_datarepository", "data.datarepository");
        b.HasIndex(r => r.Name).IsUnique();
        b.HasOne(r => r.RepositoryType).WithMany().HasForeignKey(r => r.RepositoryTypeId).OnDelete(DeleteBehavior.Cascade);
        b.Property(r => r.Hostname).HasMaxLength(200);
        b.Property(r => r.DataUrl).HasMaxLength(200);
        b.Property(r => r.Timezone).HasMaxLength(64);
        b.Property(r => r.GlobusPath).HasMaxLength(1000);
        b.Navigation(r => r.Labs).HasAnnotation(AlyxAnnotations.DjangoName, "lab");
        b.Navigation(r => r.FileRecords).HasAnnotation(AlyxAnnotations.DjangoName, "filerecord");
    }

    public void Configure(EntityTypeBuilder<DataRepositoryType> b)
    {
        b.IsAlyxModel("data_datarepositorytype", "data.datarepositorytype");
        b.HasIndex(r => r.Name).IsUnique();
    }
}
