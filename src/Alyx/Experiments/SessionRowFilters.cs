using System.Globalization;
using System.Linq.Expressions;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Experiments;

/// <summary>The <c>date</c> and <c>experiment_number</c> filters of rows that belong to a session (insertions, fields of view).</summary>
static class SessionRowFilters
{
    /// <summary><c>date</c>: rows whose session started on that day; <paramref name="startedIn"/> is the row's session start in [from, until).</summary>
    public static FilterSet<T> AddSessionDate<T>(this FilterSet<T> set, Func<DateTime, DateTime, Expression<Func<T, bool>>> startedIn) where T : class =>
        set.Add(new FilterDoc("date", "string", "date", Description: "Session start date (YYYY-MM-DD)."), (q, raw, errors) =>
        {
            if (!AlyxFormats.TryParseDate(raw.Trim(), out var date) || date == DateOnly.MaxValue)
            {
                errors.Add("date", "Enter a valid date.");
                return q;
            }
            return q.Where(startedIn(date.ToDateTime(TimeOnly.MinValue), date.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        });

    /// <summary><c>experiment_number</c>: rows whose session has that number (the original fails with a 500 on a non-number).</summary>
    public static FilterSet<T> AddExperimentNumber<T>(this FilterSet<T> set, Func<int, Expression<Func<T, bool>>> numbered) where T : class =>
        set.Add(new FilterDoc("experiment_number", "integer", Description: "Session number."), (q, raw, errors) =>
        {
            if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                errors.Add("experiment_number", "Enter a whole number.");
                return q;
            }
            return q.Where(numbered(number));
        });
}
