using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Subjects;

/// <summary>A project: a group of subjects and sessions, with the people associated to it.</summary>
public sealed class Project : AlyxModel
{
    public string Description { get; set; } = "";
    public List<LabMember> Users { get; set; } = [];
    public List<Subject> Subjects { get; set; } = [];
}

public sealed class Species : AlyxModel
{
    public string Nickname { get; set; } = "";
}

public sealed class Strain : AlyxModel
{
    public string Description { get; set; } = "";
}

public sealed class Source : AlyxModel
{
    public string Description { get; set; } = "";
}

sealed class ColonyReferenceConfiguration :
    IEntityTypeConfiguration<Project>, IEntityTypeConfiguration<Species>, IEntityTypeConfiguration<Strain>, IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.IsAlyxModel("subjects_project", "subjects.project");
        b.HasIndex(p => p.Name).IsUnique();
        b.Property(p => p.Description).HasMaxLength(1023);
        b.HasMany(p => p.Users).WithMany(u => u.Projects).UsingEntity<Dictionary<string, object>>(
            "subjects_project_users",
            r => r.HasOne<LabMember>().WithMany().HasForeignKey("labmember_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Project>().WithMany().HasForeignKey("project_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("project_id", "labmember_id"));
        b.Navigation(p => p.Subjects).HasAnnotation(AlyxAnnotations.DjangoName, "subject");
    }

    public void Configure(EntityTypeBuilder<Species> b)
    {
        b.IsAlyxModel("subjects_species", "subjects.species");
        b.Property(s => s.Nickname).HasMaxLength(255);
        b.HasIndex(s => s.Nickname).IsUnique();
    }

    public void Configure(EntityTypeBuilder<Strain> b)
    {
        b.IsAlyxModel("subjects_strain", "subjects.strain");
        b.HasIndex(s => s.Name);
    }

    public void Configure(EntityTypeBuilder<Source> b) => b.IsAlyxModel("subjects_source", "subjects.source");
}

/// <summary>A transgenic line; its nickname prefixes the automatic names of subjects, litters and breeding pairs.</summary>
public sealed class Line : AlyxModel
{
    public string Nickname { get; set; } = "";
    public string Description { get; set; } = "";
    public string TargetPhenotype { get; set; } = "";
    public List<Allele> Alleles { get; set; } = [];
    public Guid? StrainId { get; set; }
    public Strain? Strain { get; set; }
    public Guid? SourceId { get; set; }
    public Source? Source { get; set; }
    public string SourceIdentifier { get; set; } = "";
    public string SourceUrl { get; set; } = "";
    public string ExpressionDataUrl { get; set; } = "";
    public Guid? SpeciesId { get; set; }
    public Species? Species { get; set; }
    public int SubjectAutonameIndex { get; set; }
    public int BreedingPairAutonameIndex { get; set; }
    public int LitterAutonameIndex { get; set; }
    public bool IsActive { get; set; } = true;
    public Guid LabId { get; set; }
    public Lab? Lab { get; set; }
    public List<Subject> Subjects { get; set; } = [];
}

sealed class LineConfiguration : IEntityTypeConfiguration<Line>
{
    public void Configure(EntityTypeBuilder<Line> b)
    {
        b.IsAlyxModel("subjects_line", "subjects.line");
        b.Property(l => l.Nickname).HasMaxLength(255);
        b.HasIndex(l => l.Nickname).IsUnique();
        b.HasIndex(l => new { l.Nickname, l.LabId }).IsUnique();
        b.HasIndex(l => l.Name);
        b.Property(l => l.TargetPhenotype).HasMaxLength(1023);
        b.Property(l => l.SourceIdentifier).HasMaxLength(64);
        b.Property(l => l.SourceUrl).HasMaxLength(200);
        b.Property(l => l.ExpressionDataUrl).HasMaxLength(200);
        b.HasOne(l => l.Strain).WithMany().HasForeignKey(l => l.StrainId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.Source).WithMany().HasForeignKey(l => l.SourceId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.Species).WithMany().HasForeignKey(l => l.SpeciesId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.Lab).WithMany().HasForeignKey(l => l.LabId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(l => l.Alleles).WithMany(a => a.Lines).UsingEntity<Dictionary<string, object>>(
            "subjects_line_alleles",
            r => r.HasOne<Allele>().WithMany().HasForeignKey("allele_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Line>().WithMany().HasForeignKey("line_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("line_id", "allele_id"));
        b.Navigation(l => l.Subjects).HasAnnotation(AlyxAnnotations.DjangoName, "subject");
    }
}

public sealed class Allele : AlyxModel
{
    public string Nickname { get; set; } = "";
    public List<Sequence> Sequences { get; set; } = [];
    public List<Line> Lines { get; set; } = [];
}

public sealed class Sequence : AlyxModel
{
    public string BasePairs { get; set; } = "";
    public string Description { get; set; } = "";
    public List<Allele> Alleles { get; set; } = [];
}

/// <summary>A subject's genotype for one allele (the subject-allele join of Alyx).</summary>
public sealed class Zygosity : AlyxModel
{
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid AlleleId { get; set; }
    public Allele? Allele { get; set; }
    public int Value { get; set; }
}

/// <summary>The result of a genotyping test of one sequence on one subject.</summary>
public sealed class GenotypeTest : AlyxModel
{
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid SequenceId { get; set; }
    public Sequence? Sequence { get; set; }
    public int TestResult { get; set; }
}

/// <summary>Infers a zygosity of a line's allele from up to two sequence test results.</summary>
public sealed class ZygosityRule : AlyxModel
{
    public Guid? LineId { get; set; }
    public Line? Line { get; set; }
    public Guid? AlleleId { get; set; }
    public Allele? Allele { get; set; }
    public Guid? Sequence0Id { get; set; }
    public Sequence? Sequence0 { get; set; }
    public int? Sequence0Result { get; set; }
    public Guid? Sequence1Id { get; set; }
    public Sequence? Sequence1 { get; set; }
    public int? Sequence1Result { get; set; }
    public int Zygosity { get; set; }
}

sealed class GenotypeConfiguration :
    IEntityTypeConfiguration<Allele>, IEntityTypeConfiguration<Sequence>, IEntityTypeConfiguration<Zygosity>,
    IEntityTypeConfiguration<GenotypeTest>, IEntityTypeConfiguration<ZygosityRule>
{
    public void Configure(EntityTypeBuilder<Allele> b)
    {
        b.IsAlyxModel("subjects_allele", "subjects.allele", nameLength: 1023);
        b.Property(a => a.Nickname).HasMaxLength(255);
        b.HasIndex(a => a.Nickname).IsUnique();
        b.HasMany(a => a.Sequences).WithMany(s => s.Alleles).UsingEntity<Dictionary<string, object>>(
            "subjects_allele_sequences",
            r => r.HasOne<Sequence>().WithMany().HasForeignKey("sequence_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Allele>().WithMany().HasForeignKey("allele_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("allele_id", "sequence_id"));
        b.Navigation(a => a.Lines).HasAnnotation(AlyxAnnotations.DjangoName, "line");
    }

    public void Configure(EntityTypeBuilder<Sequence> b)
    {
        b.IsAlyxModel("subjects_sequence", "subjects.sequence");
        b.HasIndex(s => s.Name).IsUnique();
        b.Property(s => s.Description).HasMaxLength(1023);
        b.Navigation(s => s.Alleles).HasAnnotation(AlyxAnnotations.DjangoName, "allele");
    }

    public void Configure(EntityTypeBuilder<Zygosity> b)
    {
        b.IsAlyxModel("subjects_zygosity", "subjects.zygosity");
        b.Property(z => z.Value).HasColumnName("zygosity").HasAnnotation(AlyxAnnotations.DjangoName, "zygosity");
        b.HasOne(z => z.Subject).WithMany(s => s.Zygosities).HasForeignKey(z => z.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(z => z.Allele).WithMany().HasForeignKey(z => z.AlleleId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<GenotypeTest> b)
    {
        b.IsAlyxModel("subjects_genotypetest", "subjects.genotypetest");
        b.HasOne(t => t.Subject).WithMany(s => s.GenotypeTests).HasForeignKey(t => t.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.Sequence).WithMany().HasForeignKey(t => t.SequenceId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ZygosityRule> b)
    {
        b.IsAlyxModel("subjects_zygosityrule", "subjects.zygosityrule");
        b.HasOne(r => r.Line).WithMany().HasForeignKey(r => r.LineId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(r => r.Allele).WithMany().HasForeignKey(r => r.AlleleId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(r => r.Sequence0).WithMany().HasForeignKey(r => r.Sequence0Id).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(r => r.Sequence1).WithMany().HasForeignKey(r => r.Sequence1Id).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(r => new { r.LineId, r.AlleleId, r.Sequence0Id, r.Sequence0Result, r.Sequence1Id, r.Sequence1Result }).IsUnique();
    }
}

public sealed class BreedingPair : AlyxModel
{
    public Guid? LineId { get; set; }
    public Line? Line { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public Guid? FatherId { get; set; }
    public Subject? Father { get; set; }
    public Guid? Mother1Id { get; set; }
    public Subject? Mother1 { get; set; }
    public Guid? Mother2Id { get; set; }
    public Subject? Mother2 { get; set; }
    public string Description { get; set; } = "";
}

public sealed class Litter : AlyxModel
{
    public Guid? LineId { get; set; }
    public Line? Line { get; set; }
    public Guid? BreedingPairId { get; set; }
    public BreedingPair? BreedingPair { get; set; }
    public string Description { get; set; } = "";
    public DateOnly? BirthDate { get; set; }
    public List<Subject> Subjects { get; set; } = [];
}

public sealed class SubjectRequest : AlyxModel
{
    public Guid? UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid? LineId { get; set; }
    public Line? Line { get; set; }
    public int? Count { get; set; }
    public DateOnly? DateTime { get; set; }
    public DateOnly? DueDate { get; set; }
    public string Description { get; set; } = "";
    public List<Subject> Subjects { get; set; } = [];
}

sealed class BreedingConfiguration :
    IEntityTypeConfiguration<BreedingPair>, IEntityTypeConfiguration<Litter>, IEntityTypeConfiguration<SubjectRequest>
{
    public void Configure(EntityTypeBuilder<BreedingPair> b)
    {
        b.IsAlyxModel("subjects_breedingpair", "subjects.breedingpair");
        b.HasIndex(p => p.Name);
        b.HasOne(p => p.Line).WithMany().HasForeignKey(p => p.LineId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(p => p.Father).WithMany(s => s.FatherOf).HasForeignKey(p => p.FatherId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(p => p.Mother1).WithMany(s => s.Mother1Of).HasForeignKey(p => p.Mother1Id).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(p => p.Mother2).WithMany(s => s.Mother2Of).HasForeignKey(p => p.Mother2Id).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<Litter> b)
    {
        b.IsAlyxModel("subjects_litter", "subjects.litter");
        b.HasIndex(l => l.Name).IsUnique();
        b.HasOne(l => l.Line).WithMany().HasForeignKey(l => l.LineId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.BreedingPair).WithMany().HasForeignKey(l => l.BreedingPairId).OnDelete(DeleteBehavior.SetNull);
        b.Navigation(l => l.Subjects).HasAnnotation(AlyxAnnotations.DjangoName, "subject");
    }

    public void Configure(EntityTypeBuilder<SubjectRequest> b)
    {
        b.IsAlyxModel("subjects_subjectrequest", "subjects.subjectrequest");
        b.HasOne(r => r.User).WithMany(u => u.SubjectsRequested).HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(r => r.Line).WithMany().HasForeignKey(r => r.LineId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(r => r.DateTime);
    }
}
