using System.Globalization;
using System.Text.RegularExpressions;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;

namespace Alyx;

/// <summary>Settings whose values do not parse: one line per setting, naming it, the value given and what it accepts.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> errors) : Exception(string.Join('\n', errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// One setting of the server: the configuration keys it is read from (environment variables, or <c>--KEY value</c> on the
/// serve command line), in order of precedence; its default, as text that is parsed like a given value (so the help and
/// the binding cannot disagree); a line of help; what it accepts; and the options property it sets. A blank value counts
/// as unset.
/// </summary>
public abstract class Setting(string name, IReadOnlyList<string> keys, string? defaultText, string description, string expected)
{
    /// <summary>The name the documentation and the error messages use.</summary>
    public string Name { get; } = name;

    /// <summary>Every key the setting is read from, the first present one winning.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>The other keys (older or conventional names, <c>--database</c>).</summary>
    public IEnumerable<string> Aliases => Keys.Where(k => k != Name);

    /// <summary>The value used when no key is set (null: none, the property keeps its empty value).</summary>
    public string? Default { get; } = defaultText;

    /// <summary>How the help shows the default, when the text alone would not say it well.</summary>
    public string? DefaultShown { get; init; }

    /// <summary>One line of help.</summary>
    public string Description { get; } = description;

    /// <summary>The values it accepts, as the error message words them ("expected ...").</summary>
    public string Expected { get; } = expected;

    public abstract Type OptionsType { get; }

    /// <summary>The key and value that supply the setting: the first key with a non-blank value.</summary>
    public (string Key, string Value)? Find(IConfiguration config)
    {
        foreach (var key in Keys)
        {
            if (config[key] is { } value && !string.IsNullOrWhiteSpace(value)) return (key, value);
        }
        return null;
    }

    /// <summary>The error line for a value that does not parse, or null when the setting is valid or unset.</summary>
    public abstract string? Check(IConfiguration config);

    /// <summary>Parses the setting (its default when unset) into its property of <paramref name="options"/>.</summary>
    public abstract void Apply(object options, IConfiguration config);

    protected string Error(string key, string value) => $"Invalid setting {key}='{value}': expected {Expected}.";
}

/// <summary>A setting of type <typeparamref name="T"/> held by <typeparamref name="TOptions"/>.</summary>
public sealed class Setting<TOptions, T>(string name, IReadOnlyList<string> keys, string? defaultText, string description, string expected,
    Func<string, T> parse, Action<TOptions, T> assign) : Setting(name, keys, defaultText, description, expected)
    where TOptions : class
{
    public override Type OptionsType => typeof(TOptions);

    /// <summary>The setting's value (its default when unset); <see cref="InvalidSettingsException"/> when it does not parse.</summary>
    public T Read(IConfiguration config)
    {
        var found = Find(config);
        var text = found?.Value ?? Default;
        if (text is null) return default!;
        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            var (key, value) = found ?? (Name, text);
            throw new InvalidSettingsException([Error(key, value)]);
        }
    }

    public override string? Check(IConfiguration config)
    {
        try
        {
            Read(config);
            return null;
        }
        catch (InvalidSettingsException e)
        {
            return e.Message;
        }
    }

    public override void Apply(object options, IConfiguration config) => assign((TOptions)options, Read(config));
}

/// <summary>The parsers of setting values: each returns the value or throws <see cref="FormatException"/>.</summary>
public static partial class SettingParsers
{
    /// <summary>A whole number at least <paramref name="min"/>.</summary>
    public static Func<string, long> WholeNumber(long min) => text =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException();

    /// <summary>A whole number at least <paramref name="min"/> that fits an <see cref="int"/>.</summary>
    public static Func<string, int> Int(int min) => text =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException();

    /// <summary>true, false, 1 or 0, in any case.</summary>
    public static bool Boolean(string text) => text.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => throw new FormatException(),
    };

    /// <summary>A folder or file path, made absolute against the working directory.</summary>
    public static string FullPath(string text)
    {
        try
        {
            return Path.GetFullPath(text.Trim());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>One of <paramref name="choices"/>, exactly.</summary>
    public static Func<string, string> OneOf(params string[] choices) => text =>
        choices.Contains(text.Trim(), StringComparer.Ordinal) ? text.Trim() : throw new FormatException();

    /// <summary>Comma-separated names; blank entries are dropped.</summary>
    public static IReadOnlyList<string> List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Comma-separated names, each one of <paramref name="choices"/>.</summary>
    public static Func<string, IReadOnlyList<string>> ListOf(IReadOnlyList<string> choices) => text =>
    {
        var names = List(text);
        return names.All(n => choices.Contains(n, StringComparer.Ordinal)) ? names : throw new FormatException();
    };

    /// <summary>A TCP port.</summary>
    public static int Port(string text) => Int(1)(text) is var n && n <= 65535 ? n : throw new FormatException();

    /// <summary>An e-mail address MimeKit can parse.</summary>
    public static string MailAddress(string text) =>
        MimeKit.MailboxAddress.TryParse(text.Trim(), out _) && text.Contains('@', StringComparison.Ordinal) ? text.Trim() : throw new FormatException();

    /// <summary>A five-field cron expression (Cronos), or null for "off".</summary>
    public static Misc.CronSchedule? Cron(string text)
    {
        if (text.Trim().Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return new Misc.CronSchedule(text.Trim(), Cronos.CronExpression.Parse(text.Trim()));
        }
        catch (Cronos.CronFormatException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>A log level name (Trace, Debug, Information, Warning, Error, Critical, None), in any case.</summary>
    public static LogLevel LogLevel(string text) =>
        Enum.TryParse<LogLevel>(text.Trim(), ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(text, out _)
            ? level : throw new FormatException();

    /// <summary>The text as given.</summary>
    public static string Text(string text) => text;

    /// <summary>Comma-separated IP addresses and CIDR networks (<c>10.0.0.0/8</c>, <c>::1</c>); at least one.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Networks(string text)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(part, out var network)) networks.Add(network);
            else if (!part.Contains('/', StringComparison.Ordinal) && System.Net.IPAddress.TryParse(part, out var address))
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new FormatException();
        }
        return networks.Count > 0 ? networks : throw new FormatException();
    }

    /// <summary>Listening addresses separated by semicolons, each http:// or https:// (Kestrel reads the rest).</summary>
    public static string Urls(string text)
    {
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length > 0 && parts.All(p => p.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && p.Length > 7
            || p.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && p.Length > 8)
            ? string.Join(';', parts)
            : throw new FormatException();
    }

    /// <summary>A request budget (<see cref="ThrottleRate"/>), or null for none.</summary>
    public static ThrottleRate? Rate(string text) => ThrottleRate.Parse(text);

    /// <summary>PostgreSQL URLs, comma-separated.</summary>
    public static IReadOnlyList<DatabaseUrl> Replicas(string text) =>
        [.. List(text).Select(u => Database(u) is { Provider: DatabaseProvider.Postgres } url ? url : throw new FormatException())];

    public static DatabaseUrl Database(string text)
    {
        try
        {
            return DatabaseUrl.Parse(text);
        }
        catch (ArgumentException e)
        {
            // Npgsql refuses an unknown connection option given as a query parameter.
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>
    /// A time zone known to the system (IANA names such as Europe/London, and UTC). The C library's spellings of TZ are
    /// understood too: a leading colon, and a path into a zoneinfo folder.
    /// </summary>
    public static TimeZoneInfo TimeZone(string text)
    {
        var name = text.Trim().TrimStart(':');
        var zoneinfo = name.LastIndexOf("zoneinfo/", StringComparison.Ordinal);
        if (zoneinfo >= 0) name = name[(zoneinfo + "zoneinfo/".Length)..];
        return name.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : throw new FormatException();
    }

    [GeneratedRegex(@"^(/[A-Za-z0-9._~-]+)+$")]
    private static partial Regex UrlPathSyntax();

    /// <summary>A path below the site root, such as <c>/data</c>: written with or without its slashes, returned as <c>/a/b</c>.</summary>
    public static string UrlPath(string text)
    {
        var path = "/" + text.Trim().Trim('/');
        return UrlPathSyntax().IsMatch(path) && path.Split('/').All(s => s is not ("." or "..")) ? path : throw new FormatException();
    }

    /// <summary>A username Alyx accepts (letters, digits and @/./+/-/_).</summary>
    public static string Username(string text) =>
        Regex.IsMatch(text.Trim(), UserDtos.UsernamePattern) && text.Trim().Length <= 150 ? text.Trim() : throw new FormatException();
}
