using Alyx.Actions;
using Alyx.Auth;
using Alyx.Data;
using Alyx.Experiments;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Database;

/// <summary>
/// The unit of work. Provider-neutral; <see cref="SqliteAlyxDb"/> and <see cref="PostgresAlyxDb"/> carry one
/// migration set each. Tables and columns are named as Django names them (<c>misc_labmember.is_stock_manager</c>).
/// </summary>
public abstract class AlyxDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<LabMember> Users => Set<LabMember>();
    public DbSet<AuthToken> Tokens => Set<AuthToken>();
    public DbSet<Lab> Labs => Set<Lab>();
    public DbSet<LabMembership> LabMemberships => Set<LabMembership>();
    public DbSet<LabLocation> LabLocations => Set<LabLocation>();
    public DbSet<Note> Notes => Set<Note>();
    public DbSet<ContentType> ContentTypes => Set<ContentType>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<CageType> CageTypes => Set<CageType>();
    public DbSet<Enrichment> Enrichments => Set<Enrichment>();
    public DbSet<Food> Foods => Set<Food>();
    public DbSet<DataRepositoryType> DataRepositoryTypes => Set<DataRepositoryType>();
    public DbSet<DataRepository> DataRepositories => Set<DataRepository>();
    public DbSet<DataFormat> DataFormats => Set<DataFormat>();
    public DbSet<DatasetType> DatasetTypes => Set<DatasetType>();
    public DbSet<Revision> Revisions => Set<Revision>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<FileRecord> FileRecords => Set<FileRecord>();
    public DbSet<Download> Downloads => Set<Download>();
    public DbSet<DataNotice> DataNotices => Set<DataNotice>();
    public DbSet<Subject> Subjects => Set<Subject>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Species> Species => Set<Species>();
    public DbSet<Strain> Strains => Set<Strain>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<Line> Lines => Set<Line>();
    public DbSet<Allele> Alleles => Set<Allele>();
    public DbSet<Sequence> Sequences => Set<Sequence>();
    public DbSet<Zygosity> Zygosities => Set<Zygosity>();
    public DbSet<GenotypeTest> GenotypeTests => Set<GenotypeTest>();
    public DbSet<ZygosityRule> ZygosityRules => Set<ZygosityRule>();
    public DbSet<BreedingPair> BreedingPairs => Set<BreedingPair>();
    public DbSet<Litter> Litters => Set<Litter>();
    public DbSet<SubjectRequest> SubjectRequests => Set<SubjectRequest>();
    public DbSet<WaterRestriction> WaterRestrictions => Set<WaterRestriction>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<ProcedureType> ProcedureTypes => Set<ProcedureType>();
    public DbSet<ProbeModel> ProbeModels => Set<ProbeModel>();
    public DbSet<ProbeInsertion> ProbeInsertions => Set<ProbeInsertion>();
    public DbSet<BrainRegion> BrainRegions => Set<BrainRegion>();
    public DbSet<CoordinateSystem> CoordinateSystems => Set<CoordinateSystem>();
    public DbSet<ChronicInsertion> ChronicInsertions => Set<ChronicInsertion>();
    public DbSet<TrajectoryEstimate> TrajectoryEstimates => Set<TrajectoryEstimate>();
    public DbSet<Channel> Channels => Set<Channel>();

    /// <summary>
    /// A query whose projection nests small collections: loaded in the same query on PostgreSQL (one round trip), in
    /// split queries on SQLite, whose planner turns the single-query joins into scans of the whole child tables.
    /// </summary>
    public IQueryable<T> WithCollections<T>(IQueryable<T> query) where T : class =>
        Provider == DatabaseProvider.Postgres ? query.AsSingleQuery() : query.AsSplitQuery();

    /// <summary>Which provider this context talks to; used where SQL differs (errors, JSON functions).</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// A save that changes a user's password or deactivates a user also deletes that user's tokens, in the same
    /// transaction (<see cref="TokenRevocation"/>).
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var revoked = TokenRevocation.PendingRevocations(this);
        if (revoked.Count == 0) return base.SaveChanges(acceptAllChangesOnSuccess);
        using var own = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        TokenRevocation.Revoke(this, revoked);
        var written = base.SaveChanges(acceptAllChangesOnSuccess);
        own?.Commit();
        return written;
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var revoked = TokenRevocation.PendingRevocations(this);
        if (revoked.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        await TokenRevocation.RevokeAsync(this, revoked, cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (own is not null) await own.CommitAsync(cancellationToken);
        return written;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AlyxDb).Assembly, t => !t.IsAbstract);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                    property.SetColumnName(Naming.Snake(property.Name));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<string>().AreUnicode();
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
