using System.Globalization;
using System.Text.RegularExpressions;

namespace Alyx.Http;

/// <summary>Parsing and printing of Alyx's dates and naive datetimes (conventions §10.2, §10.3).</summary>
public static partial class AlyxFormats
{
    public static string FormatDateTime(DateTime value)
    {
        var micro = (int)(value.Ticks / 10 % 1_000_000);
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micro == 0 ? text : text + "." + micro.ToString("000000", CultureInfo.InvariantCulture);
    }

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})-(\d{1,2})$")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^(\d{4})(\d{2})(\d{2})$")]
    private static partial Regex CompactDateRegex();

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex DateTimeRegex();

    public static bool TryParseDate(string? text, out DateOnly value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var m = DateRegex().Match(text);
        if (!m.Success) m = CompactDateRegex().Match(text);
        if (!m.Success) return false;
        var y = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var mo = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var d = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo)) return false;
        value = new DateOnly(y, mo, d);
        return true;
    }

    /// <summary>ISO 8601 as Python's fromisoformat; a date alone means midnight; an offset converts to UTC and is dropped.</summary>
    public static bool TryParseDateTime(string? text, out DateTime value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = DateTimeRegex().Match(text.Trim());
        if (!m.Success) return false;
        int I(int g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        int y = I(1), mo = I(2), d = I(3), h = I(4), mi = I(5), s = I(6);
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return false;
        var micro = 0;
        if (m.Groups[7].Success)
        {
            var f = m.Groups[7].Value;
            f = f.Length > 6 ? f[..6] : f.PadRight(6, '0');
            micro = int.Parse(f, CultureInfo.InvariantCulture);
        }
        var dt = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Unspecified).AddTicks(micro * 10L);
        if (m.Groups[8].Success && m.Groups[8].Value != "Z")
        {
            var z = m.Groups[8].Value.Replace(":", "", StringComparison.Ordinal);
            var sign = z[0] == '-' ? -1 : 1;
            var oh = int.Parse(z.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var om = z.Length >= 5 ? int.Parse(z.AsSpan(3, 2), CultureInfo.InvariantCulture) : 0;
            if (oh > 23 || om > 59) return false;
            try
            {
                dt = dt.AddMinutes(-sign * (oh * 60 + om));
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }
        value = DateTime.SpecifyKind(dt, DateTimeKind.Unspecified);
        return true;
    }
}
