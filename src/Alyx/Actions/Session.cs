using Alyx.Database;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

/// <summary>An experimental session: the action that datasets hang off.</summary>
public sealed class Session : BaseAction
{
    public Guid? ParentSessionId { get; set; }
    public Session? ParentSession { get; set; }
    public List<Project> Projects { get; set; } = [];
    public string? Type { get; set; }
    public int? Number { get; set; }
    public string TaskProtocol { get; set; } = "";
    public int? NTrials { get; set; }
    public int? NCorrectTrials { get; set; }
    public int Qc { get; set; }
    public string? ExtendedQc { get; set; }
    public DateTime? AutoDatetime { get; set; }
    public List<Session> ChildSessions { get; set; } = [];
    public List<WaterAdministration> WaterAdministrations { get; set; } = [];
    public List<Data.Dataset> Datasets { get; set; } = [];
    public List<Experiments.ProbeInsertion> ProbeInsertions { get; set; } = [];
    public List<Jobs.PipelineTask> Tasks { get; set; } = [];
}

/// <summary>Session QC codes and their labels, in Alyx's declaration order (also used by datasets).</summary>
public static class QcCodes
{
    public static readonly IReadOnlyList<(int Code, string Label)> All =
        [(50, "CRITICAL"), (40, "FAIL"), (30, "WARNING"), (0, "NOT_SET"), (10, "PASS")];

    public static readonly string[] Labels = [.. All.Select(q => q.Label)];

    /// <summary>The labels from least to most severe (NOT_SET, PASS, WARNING, FAIL, CRITICAL): the codes' order.</summary>
    public static readonly string[] BySeverity = [.. All.OrderBy(q => q.Code).Select(q => q.Label)];

    public static readonly string ChoicesMessage = "Invalid qc, choices are: " + string.Join(", ", Labels);

    public static readonly int Fail = All.First(q => q.Label == "FAIL").Code;

    public static string Label(int code) => All.FirstOrDefault(q => q.Code == code).Label ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The code of a label in any case, surrounding blanks ignored; null for anything else.</summary>
    public static int? FromLabel(string text)
    {
        var label = text.Trim().ToUpperInvariant();
        var match = All.FirstOrDefault(q => q.Label == label);
        return match.Label is null ? null : match.Code;
    }

    /// <summary>A label (any case) or the digits of a code; null for anything else.</summary>
    public static int? FromLabelOrCode(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0 && trimmed.All(char.IsAsciiDigit))
            return int.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, out var code) && All.Any(q => q.Code == code) ? code : null;
        return FromLabel(trimmed);
    }
}

/// <summary>The <c>qc</c> list filter of sessions and datasets: a label in any case; codes and unknown labels are a 400 (a 500 upstream).</summary>
public sealed class QcFilter<T>(System.Linq.Expressions.Expression<Func<T, int>> qc) : Filtering.IFilter<T>
{
    public Filtering.FilterDoc Doc { get; } = new("qc", "string", Enum: QcCodes.Labels);

    public ValueTask<IQueryable<T>> ApplyAsync(Filtering.FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, Http.ErrorMap errors)
    {
        if (QcCodes.FromLabel(values[^1]) is not { } code)
        {
            errors.Add("qc", QcCodes.ChoicesMessage);
            return ValueTask.FromResult(query);
        }
        return ValueTask.FromResult(query.Where(Filtering.Expr.Equal<T>(qc, code)));
    }
}

sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> b)
    {
        b.IsBaseAction("actions_session", "actions.session", s => s.Sessions);
        b.HasOne(s => s.ParentSession).WithMany(s => s.ChildSessions).HasForeignKey(s => s.ParentSessionId).OnDelete(DeleteBehavior.SetNull);
        b.Navigation(s => s.ChildSessions).HasAnnotation(AlyxAnnotations.DjangoName, "session");
        b.Navigation(s => s.WaterAdministrations).HasAnnotation(AlyxAnnotations.DjangoName, "wateradmin_session_related");
        b.Property(s => s.Type).HasMaxLength(255);
        b.Property(s => s.TaskProtocol).HasMaxLength(1023);
        b.Property(s => s.ExtendedQc).IsJson();
        b.HasMany(s => s.Projects).WithMany().UsingEntity<Dictionary<string, object>>(
            "actions_session_projects",
            r => r.HasOne<Project>().WithMany().HasForeignKey("project_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Session>().WithMany().HasForeignKey("session_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("session_id", "project_id"));
        b.HasIndex(s => new { s.SubjectId, s.StartTime });
        b.HasIndex(s => s.TaskProtocol);
        b.Navigation(s => s.Datasets).HasAnnotation(AlyxAnnotations.DjangoName, "data_dataset_session_related");
        b.Navigation(s => s.ProbeInsertions).HasAnnotation(AlyxAnnotations.DjangoName, "probe_insertion");
    }
}
