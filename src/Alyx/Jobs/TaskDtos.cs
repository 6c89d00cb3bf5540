using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Jobs;

/// <summary>A task in <c>/tasks</c> lists, the detail and the write responses (TaskSerializer, <c>fields = '__all__'</c>; spec 50 §3.1).</summary>
public sealed record TaskItem(
    Guid Id,
    List<Guid> Parents,
    Guid? Session,
    string? DataRepository,
    string? Status,
    string? Name,
    int? Priority,
    int? IoCharge,
    int? Level,
    int? Gpu,
    int? Cpu,
    int? Ram,
    int? TimeOutSecs,
    double? TimeElapsedSecs,
    string? Executable,
    string? Graph,
    string? Log,
    string? Version,
    DateTime Datetime,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Arguments);

static class TaskDtos
{
    public const string UniqueMessage = "The fields name, session, arguments must make a unique set.";

    /// <summary>The columns Django declares as SmallIntegerField, bounded as DRF's IntegerField for them.</summary>
    public static readonly string[] SmallIntegers = ["priority", "io_charge", "level", "gpu", "cpu", "ram", "time_out_secs"];

    public const int SmallMin = short.MinValue;

    public const int SmallMax = short.MaxValue;

    static Field[] Fields(bool sessionRequired) =>
    [
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("parents", FieldKind.SlugList) { Description = "Ids of the tasks this one depends on." },
        // UniqueTogetherValidator(name, session, arguments) makes the key required on create (spec 50 §3.2).
        new Field("session", FieldKind.Slug) { Nullable = true, Required = sessionRequired, Format = "uuid", Description = "Session id." },
        new Field("data_repository", FieldKind.Slug) { Description = "Data repository name." },
        new Field("status", FieldKind.Choice)
        {
            Choices = TaskStatusCodes.Labels, AllowBlank = false, ChoiceMessage = TaskStatusCodes.ChoicesMessage,
            Description = string.Join(" / ", TaskStatusCodes.All.Select(s => $"{s.Code}: {s.Label}")),
        },
        new Field("name", FieldKind.String) { Nullable = true, MaxLength = 64 },
        .. SmallIntegers.Select(n => new Field(n, FieldKind.Integer) { Nullable = true }),
        new Field("time_elapsed_secs", FieldKind.Float) { Nullable = true },
        new Field("executable", FieldKind.String) { Nullable = true, MaxLength = 128, Description = "Usually the Python class name on the workers" },
        new Field("graph", FieldKind.String)
        {
            Nullable = true, MaxLength = 64,
            Description = "The name of the graph containing a set of related and possibly dependent tasks",
        },
        new Field("log", FieldKind.String) { Nullable = true },
        new Field("version", FieldKind.String) { Nullable = true, MaxLength = 64, Description = "version of the algorithm generating the file" },
        new Field("datetime", FieldKind.DateTime) { ReadOnly = true },
        new Field("arguments", FieldKind.Json) { Nullable = true, Description = "dictionary of input arguments" },
    ];

    public static readonly Serializer Detail = new("Task", Fields(sessionRequired: false));

    public static readonly Serializer Create = new("Task", Fields(sessionRequired: true));

    /// <summary>The label of the stored code, or null for a code without one (Django's default 10 in imported rows).</summary>
    static readonly Expression<Func<int, string?>> Label = BuildLabel();

    static Expression<Func<int, string?>> BuildLabel()
    {
        var code = Expression.Parameter(typeof(int), "code");
        Expression label = Expression.Constant(null, typeof(string));
        foreach (var (value, text) in TaskStatusCodes.All.Reverse())
            label = Expression.Condition(Expression.Equal(code, Expression.Constant(value)), Expression.Constant(text, typeof(string)), label);
        return Expression.Lambda<Func<int, string?>>(label, code);
    }

    public static readonly Expression<Func<PipelineTask, TaskItem>> Item = BuildItem();

    static Expression<Func<PipelineTask, TaskItem>> BuildItem()
    {
        Expression<Func<PipelineTask, string?, TaskItem>> item = (t, status) => new TaskItem(
            t.Id,
            t.Parents.OrderBy(p => p.Id).Select(p => p.Id).ToList(),
            t.SessionId,
            t.DataRepository == null ? null : t.DataRepository.Name,
            status,
            t.Name,
            t.Priority,
            t.IoCharge,
            t.Level,
            t.Gpu,
            t.Cpu,
            t.Ram,
            t.TimeOutSecs,
            t.TimeElapsedSecs,
            t.Executable,
            t.Graph,
            t.Log,
            t.Version,
            t.Datetime,
            t.Arguments);
        // The status label as a CASE over the code, in the same query.
        var t = item.Parameters[0];
        var status = new Substitute(Label.Parameters[0], Expression.Property(t, nameof(PipelineTask.Status))).Visit(Label.Body);
        var body = new Substitute(item.Parameters[1], status).Visit(item.Body);
        return Expression.Lambda<Func<PipelineTask, TaskItem>>(body, t);
    }

    sealed class Substitute(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
