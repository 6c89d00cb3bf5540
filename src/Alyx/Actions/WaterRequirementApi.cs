using System.Globalization;
using System.Text.RegularExpressions;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>
/// The <c>/water-requirement/{nickname}</c> body (alyx/actions/views.py <c>WaterRequirement</c>), keys in its order. The records
/// are computed day by day as they are written (thousands for a subject's whole life), not held in a list first.
/// </summary>
public sealed record WaterRequirement(
    string Subject, PythonNumber ImplantWeight, double ReferenceWeightPct, double ZscoreWeightPct,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(WaterRecordsConverter))] IEnumerable<WaterRecord> Records);

/// <summary>
/// GET <c>/water-requirement/{nickname}</c>: the subject's daily water-control records (spec 20-actions §6.7).
/// Departures from the original, which answers all of these with a 500: unknown nickname → 404, a nickname shared by
/// subjects of several labs → 400, a malformed date → 400, a subject with no data and no birth date → no records.
/// </summary>
static partial class WaterRequirementApi
{
    /// <summary>
    /// At most this many days per requested range (about ten years, longer than any mouse lives). The original builds
    /// every day in the range, so <c>start_date=0001-01-01</c> keeps it busy for 26 s; a longer range that the client asked
    /// for (either date given) is a 400 naming the limit. When neither date is given the range runs, as the original's, from
    /// the first weighing or administration (or the birth date) to today, whatever its length: the subject's whole life.
    /// </summary>
    public const int MaxDays = 3660;

    static readonly FilterDoc[] Parameters =
    [
        new("start_date", "string", Format: "date", Description: "First day (YYYY-MM-DD), default the first weighing or water administration."),
        new("end_date", "string", Format: "date", Description: "Last day (YYYY-MM-DD), default today."),
    ];

    public static void MapWaterRequirementApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOperation(new ApiOperation("/water-requirement/{nickname}", "get", "water-requirement", "read", null, null, _ => Parameters,
            ["nickname"], 200, "Daily weights, expected weights and water given/expected for a subject between start_date and end_date."), GetAsync,
            methods: ["GET"]);
    }

    static async Task<IResult> GetAsync(string nickname, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var query = QueryParams.Of(req);
        // QueryDict.get returns the last value; an empty value counts as absent (`if start_date` upstream).
        var startText = query.TryGetValue("start_date", out var s) ? s[^1] : null;
        var endText = query.TryGetValue("end_date", out var e) ? e[^1] : null;
        DateOnly? startDate = null, endDate = null;
        if (!string.IsNullOrEmpty(startText))
        {
            if (!TryParseDate(startText, out var d)) return BadDate("start_date", startText);
            startDate = d;
        }
        if (!string.IsNullOrEmpty(endText))
        {
            if (!TryParseDate(endText, out var d)) return BadDate("end_date", endText);
            endDate = d;
        }

        // Subject.objects.get(nickname=...): exact and case-sensitive, which SQLite's = and PostgreSQL's = both are.
        var (found, wc) = await WaterControl.LoadByNicknameAsync(db, nickname, clock, ct);
        if (found > 1) return AlyxResults.BadRequest($"Multiple objects with nickname={nickname}");
        if (wc is null) return AlyxResults.NotFound("Subject");

        // to_jsonable: given dates are taken at 12:00; the defaults are the first data point (its own time of day) and now.
        var start = startDate?.ToDateTime(new TimeOnly(12, 0)) ?? wc.FirstDate();
        var end = endDate?.ToDateTime(new TimeOnly(12, 0)) ?? wc.Now;
        IEnumerable<WaterRecord> records = [];
        if (start is { } first)
        {
            var days = (long)end.Date.Subtract(first.Date).TotalDays;
            if (days >= MaxDays && (startDate is not null || endDate is not null))
                return AlyxResults.BadRequest(
                    $"The range from start_date to end_date spans {days + 1} days; at most {MaxDays} days can be requested at once.");
            records = wc.Records(first, end);
        }
        // The implant weight at the start of the restriction in force at *midnight* of start_date (Q-29), or now.
        var implant = wc.ReferenceImplantWeight(startDate?.ToDateTime(TimeOnly.MinValue));
        return AlyxResults.Ok(new WaterRequirement(nickname, implant, wc.ReferenceWeightPct, wc.ZscoreWeightPct, records));
    }

    static IResult BadDate(string name, string value) =>
        AlyxResults.BadRequest($"Invalid {name} \"{value}\": expected a date as YYYY-MM-DD.");

    /// <summary>
    /// Python's <c>strptime(value, '%Y-%m-%d')</c>: a four-digit year, month and day of one or two digits (a day may
    /// also be a space and a digit), and a real calendar date.
    /// </summary>
    static bool TryParseDate(string value, out DateOnly date)
    {
        date = default;
        var m = DatePattern().Match(value);
        if (!m.Success) return false;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups[3].Value.Trim(), CultureInfo.InvariantCulture);
        if (year < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    [GeneratedRegex(@"^([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])\z")]
    private static partial Regex DatePattern();
}
