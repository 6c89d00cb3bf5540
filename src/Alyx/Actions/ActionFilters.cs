using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>
/// The C# twins of alyx/actions/views.py <c>BaseActionFilter</c> and its subclasses (spec 20-actions §6.3-6.8): the
/// generated per-column filters, <c>subject</c>/<c>nickname</c> (nickname, case-insensitive), <c>json</c>, <c>django</c>,
/// and for actions <c>users</c> (all of), <c>date_range</c>, <c>lab</c>, <c>location</c>.
/// </summary>
static class ActionFilters
{
    public const string DateRangeMessage = "Enter two dates as YYYY-MM-DD,YYYY-MM-DD.";

    /// <summary>The filter set of an action model (restrictions, surgeries).</summary>
    public static FilterSet<T> ForAction<T>() where T : BaseAction => Common<T>()
        .Add(new FilterDoc("users", "string", Description: "Comma-separated usernames; actions involving all of them."), (q, raw, _) =>
        {
            foreach (var username in raw.Trim().Split(',').Distinct(StringComparer.Ordinal))
                q = q.Where(a => a.Users.Any(u => u.Username == username));
            return q;
        })
        .Add(new FilterDoc("date_range", "string", Description: "Two dates YYYY-MM-DD,YYYY-MM-DD: start time on or between them."), (q, raw, errors) =>
        {
            // The original answers a value without a comma or with a bad date with a 500.
            var parts = raw.Split(',');
            if (parts.Length < 2 || !AlyxFormats.TryParseDate(parts[0].Trim(), out var first) || !AlyxFormats.TryParseDate(parts[1].Trim(), out var last))
            {
                errors.Add("date_range", DateRangeMessage);
                return q;
            }
            var from = first.ToDateTime(TimeOnly.MinValue);
            var to = last == DateOnly.MaxValue ? DateTime.MaxValue : last.AddDays(1).ToDateTime(TimeOnly.MinValue);
            return q.Where(a => a.StartTime >= from && a.StartTime < to);
        })
        .Add(new LookupFilter<T>(new FilterDoc("lab", "string", Description: "Lab name (case-insensitive) of the action itself."), "lab__name__iexact"))
        .Add(new LookupFilter<T>(new FilterDoc("location", "string", Description: "Location name contains (case-insensitive)."),
            "location__name__icontains"));

    /// <summary>
    /// The filter set of a model that is not an action (weighings, water administrations): the original declares the
    /// action filters <c>users</c>, <c>date_range</c>, <c>lab</c> and <c>location</c> on them too and fails with a 500
    /// when they are used; here they are a 400 naming the missing field.
    /// </summary>
    public static FilterSet<T> ForRecord<T>(string model) where T : class
    {
        var set = Common<T>();
        foreach (var name in new[] { "users", "date_range", "lab", "location" })
        {
            set.Add(new FilterDoc(name, "string", Description: $"Not applicable: {model.ToLowerInvariant()}s have no such field (always a 400)."),
                (q, _, errors) =>
                {
                    errors.Add(name, $"Cannot filter {model.ToLowerInvariant()}s by {name}: a {model} has no such field.");
                    return q;
                });
        }
        return set;
    }

    static FilterSet<T> Common<T>() where T : class
    {
        var set = new FilterSet<T>().Generated();
        foreach (var name in new[] { "subject", "nickname" })
            set.Add(new LookupFilter<T>(new FilterDoc(name, "string", Description: "Subject nickname (case-insensitive)."), "subject__nickname__iexact"));
        return set.Add(new JsonColumnFilter<T>("json")).Django();
    }
}
