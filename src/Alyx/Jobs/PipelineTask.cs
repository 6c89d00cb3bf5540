using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Jobs;

/// <summary>
/// A pipeline task (Alyx: jobs.models.Task; spec 50 §1): one job of a session's processing graph, with the resources it needs,
/// its status and its prerequisites (<see cref="Parents"/>). Not a BaseModel: no json column, a nullable name.
/// </summary>
public sealed class PipelineTask : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string? Name { get; set; }
    public int? Priority { get; set; }
    public int? IoCharge { get; set; }
    public int? Level { get; set; }
    public int? Gpu { get; set; }
    public int? Cpu { get; set; }
    public int? Ram { get; set; }
    public int? TimeOutSecs { get; set; }
    public double? TimeElapsedSecs { get; set; }
    public string? Executable { get; set; }
    public string? Graph { get; set; }

    /// <summary>The integer code (<see cref="TaskStatusCodes"/>); Django's column default is 10, which has no label.</summary>
    public int Status { get; set; } = TaskStatusCodes.Unset;
    public string? Log { get; set; }
    public Guid? SessionId { get; set; }
    public Session? Session { get; set; }
    public string? Version { get; set; }

    /// <summary>The direct prerequisites (<c>jobs_task_parents.to_task_id</c>); <see cref="Children"/> is Django's reverse name.</summary>
    public List<PipelineTask> Parents { get; set; } = [];
    public List<PipelineTask> Children { get; set; } = [];

    /// <summary>Django's auto_now: set on every save.</summary>
    public DateTime Datetime { get; set; }
    public string? Arguments { get; set; }
    public Guid? DataRepositoryId { get; set; }
    public DataRepository? DataRepository { get; set; }
}

/// <summary>Task status codes and their labels, in Alyx's declaration order (Task.STATUS_DATA_SOURCES).</summary>
public static class TaskStatusCodes
{
    /// <summary>The model's column default: not one of the choices (the original fails to render it).</summary>
    public const int Unset = 10;

    public const int Waiting = 20;

    public static readonly IReadOnlyList<(int Code, string Label)> All =
    [
        (20, "Waiting"), (25, "Held"), (30, "Started"), (40, "Errored"), (45, "Abandoned"), (50, "Empty"), (55, "Incomplete"), (60, "Complete"),
    ];

    public static readonly string[] Labels = [.. All.Select(s => s.Label)];

    /// <summary>The serializer's message for a value that is not exactly one of the labels (BaseSerializerEnumField).</summary>
    public static readonly string ChoicesMessage = "Invalid status, choices are: " + string.Join(", ", Labels);

    /// <summary>The code of an exact label (the serializer's rule); null for anything else.</summary>
    public static int? FromLabel(string label) => All.FirstOrDefault(s => s.Label == label) is { Label: not null } s ? s.Code : null;

    /// <summary>The code of a label in any case, blanks around ignored (the list filter's rule); null for anything else.</summary>
    public static int? FromAnyCaseLabel(string text)
    {
        var trimmed = text.Trim();
        return All.FirstOrDefault(s => string.Equals(s.Label, trimmed, StringComparison.OrdinalIgnoreCase)) is { Label: not null } s ? s.Code : null;
    }

    public static bool IsCode(int code) => All.Any(s => s.Code == code);
}

sealed class PipelineTaskConfiguration : IEntityTypeConfiguration<PipelineTask>
{
    public void Configure(EntityTypeBuilder<PipelineTask> b)
    {
        b.ToTable("jobs_task").HasModelLabel("jobs.task");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(64);
        // Django SmallIntegerField: the serializer bounds the values to the smallint range.
        foreach (var small in new[] { nameof(PipelineTask.Priority), nameof(PipelineTask.IoCharge), nameof(PipelineTask.Level), nameof(PipelineTask.Gpu),
                     nameof(PipelineTask.Cpu), nameof(PipelineTask.Ram), nameof(PipelineTask.TimeOutSecs) })
            b.Property(small).HasColumnType("smallint");
        b.Property(t => t.Executable).HasMaxLength(128);
        b.Property(t => t.Graph).HasMaxLength(64);
        b.Property(t => t.Version).HasMaxLength(64);
        b.Property(t => t.Arguments).IsJson();
        // The session's start time, kept by the database for the list's order (TaskOrder).
        b.Property<DateTime?>(TaskOrder.SessionStartTime).IsDerived();
        b.HasOne(t => t.Session).WithMany(s => s.Tasks).HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.DataRepository).WithMany().HasForeignKey(t => t.DataRepositoryId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => new { t.Name, t.SessionId });
        b.HasMany(t => t.Parents).WithMany(t => t.Children).UsingEntity<Dictionary<string, object>>(
            "jobs_task_parents",
            r => r.HasOne<PipelineTask>().WithMany().HasForeignKey("to_task_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<PipelineTask>().WithMany().HasForeignKey("from_task_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("from_task_id", "to_task_id");
                j.HasIndex("to_task_id");
            });
    }
}
