using System.Globalization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Alyx.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx tasks cleanup [--before YYYY-MM-DD] [--status S] [--limit N] [--signed-off] [--dry]</c>: Alyx's <c>manage.py tasks</c>
/// (alyx/jobs/management/commands/tasks.py; spec 50 §6). Deletes the tasks last saved on or before a date (default today),
/// optionally of one status (a code or a label in any case; <c>~</c> keeps that status instead), of signed-off sessions only,
/// and at most the N oldest.
/// </summary>
static class TasksCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var before = args.Option("--before");
        var status = args.Option("--status");
        var limitText = args.Option("--limit");
        var signedOff = args.Flag("--signed-off");
        var dry = args.Flag("--dry");
        var positionals = args.Positionals();
        args.EnsureNoExtra();
        if (positionals.Count != 1) throw new CliException("give one action: cleanup.");
        if (positionals[0] != "cleanup") throw new CliException($"Action \"{positionals[0]}\" not recognized.");
        var db = services.GetRequiredService<AlyxDb>();
        var clock = services.GetRequiredService<AlyxClock>();
        var query = Select(db, clock, before, status, limitText, signedOff);
        var found = await query.CountAsync();
        Console.WriteLine($"Found {found} tasks to delete");
        if (dry) return 0;
        var ids = await query.Select(t => t.Id).ToListAsync();
        foreach (var batch in ids.Chunk(500)) await db.Set<PipelineTask>().Where(t => batch.Contains(t.Id)).ExecuteDeleteAsync();
        Console.WriteLine("Tasks deleted");
        return 0;
    });

    static IQueryable<PipelineTask> Select(AlyxDb db, AlyxClock clock, string? before, string? status, string? limitText, bool signedOff)
    {
        var date = clock.Today;
        if (before is not null && !DateOnly.TryParseExact(before, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            throw new CliException($"--before: \"{before}\" is not a date (YYYY-MM-DD).");
        // datetime__date__lte: saved before the start of the next day.
        var until = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var query = db.Set<PipelineTask>().Where(t => t.Datetime < until);
        if (status is not null)
        {
            var exclude = status.StartsWith('~');
            var code = Code(exclude ? status[1..] : status);
            query = exclude ? query.Where(t => t.Status != code) : query.Where(t => t.Status == code);
        }
        if (signedOff)
            query = DjangoQuery.Where(query, db, "session__json__sign_off_checklist__sign_off_date__isnull", new DjangoValue.Bool(false));
        if (limitText is not null)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
                throw new CliException($"--limit: \"{limitText}\" is not a whole number.");
            query = query.OrderBy(t => t.Datetime).ThenBy(t => t.Id).Take(limit);
        }
        return query;
    }

    /// <summary>A status code (it must be one of the choices) or a label in any case.</summary>
    static int Code(string status)
    {
        if (status.Length > 0 && status.All(char.IsAsciiDigit))
        {
            if (int.TryParse(status, CultureInfo.InvariantCulture, out var code) && TaskStatusCodes.IsCode(code)) return code;
            throw new CliException($"Status {status} not recognized; choices are: " +
                string.Join(", ", TaskStatusCodes.All.Select(s => $"{s.Code} ({s.Label})")) + ".");
        }
        return TaskStatusCodes.All.FirstOrDefault(s => string.Equals(s.Label, status, StringComparison.OrdinalIgnoreCase)) is { Label: not null } match
            ? match.Code
            : throw new CliException($"Status \"{status}\" not recognized; choices are: {string.Join(", ", TaskStatusCodes.Labels)}.");
    }
}
