using System.Text;
using System.Text.RegularExpressions;

namespace Alyx.Data;

/// <summary>The parts of an ALF file name: <c>(_namespace_)object.attribute(_timescale)(.extra...).extension</c>.</summary>
public sealed record AlfFileName(string? Namespace, string Object, string Attribute, string? Timescale, string? Extra, string Extension);

/// <summary>The session named by a register-file <c>path</c>: <c>subject/YYYY-MM-DD/N...</c> (number as an integer).</summary>
public sealed record AlfSession(string Subject, string Date, int Number);

/// <summary>
/// Where one registered file lives: its collection and revision (<c>''</c> when none), its base name, and the folder its
/// relative path starts with (<c>subject/date/number</c> as written, or <c>''</c> for aggregate datasets).
/// </summary>
public sealed record AlfLocation(string SessionDir, string Collection, string Revision, string FileName)
{
    /// <summary>The file record's relative path: the non-empty parts of session folder, collection, <c>#revision#</c>, name.</summary>
    public string RelativePath => string.Join('/',
        new[] { SessionDir, Collection, Revision.Length > 0 ? $"#{Revision}#" : "", FileName }.Where(p => p.Length > 0));
}

/// <summary>Why a file's path could not be parsed, with the message the 400 body carries.</summary>
public sealed record AlfPathError(string Message);

/// <summary>
/// The ALF naming rules the server relies on (spec 30 §2; ONE's <c>one.alf.spec</c> and <c>one.alf.path</c>): the
/// session part of a path, collections and revisions of registered files, file-name parts, and the matching of file
/// names to dataset types and formats. Pure string functions.
/// </summary>
public static partial class Alf
{
    const string Subject = @"[\w.-]+";
    const string Date = @"\d{4}-\d{2}-\d{2}";
    const string Number = @"\d{1,3}";
    const string CollectionPart = @"[\w./-]+";
    const string RevisionPart = @"[\w.-]+";

    public const string InvalidFolderMessage =
        "Invalid ALF path. Only letters, numbers, hyphen and underscores allowed. A revision folder must be surrounded by pound signs (#).";

    // The missing space in "containsub" is the original's text.
    public const string NestedRevisionMessage =
        "Invalid ALF path. There must be only 1 revision and it cannot containsub folders. A revision folder must be surrounded by pound signs (#).";

    [GeneratedRegex($"^(?<subject>{Subject})/(?<date>{Date})/(?<number>{Number})")]
    private static partial Regex SessionPrefix();

    [GeneratedRegex($@"((?<lab>\w+)/Subjects/)?(?<subject>{Subject})/(?<date>{Date})/(?<number>{Number})/((?<collection>{CollectionPart})/)?(#(?<revision>{RevisionPart})#/)?")]
    private static partial Regex SessionFolder();

    [GeneratedRegex($"^((?<collection>{CollectionPart})/)?(#(?<revision>{RevisionPart})#/)?")]
    private static partial Regex CollectionFolder();

    [GeneratedRegex(@"^_?(?<namespace>(?<=_)[a-zA-Z0-9]+)?_?(?<object>\w+)\.(?<attribute>(?:_[a-z]+_)?[a-zA-Z0-9]+(?:_times(?=[_.])|_intervals(?=[_.]))?)(?:_(?<timescale>\w+))?(?:\.(?<extra>[.\w-]+))*\.(?<extension>\w+)$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex($"^{CollectionPart}$")]
    private static partial Regex CollectionText();

    [GeneratedRegex($"^{RevisionPart}$")]
    private static partial Regex RevisionText();

    /// <summary>A valid collection (<c>alf</c>, <c>alf/probe00</c>); the empty collection is valid too.</summary>
    public static bool IsCollection(string collection) => collection.Length == 0 || CollectionText().IsMatch(collection);

    public static bool IsRevision(string revision) => RevisionText().IsMatch(revision);

    /// <summary>P1: <c>subject/date/number</c> at the start of <paramref name="path"/>, anything after; null when absent.</summary>
    public static AlfSession? ParseSessionPath(string path)
    {
        var m = SessionPrefix().Match(path);
        if (!m.Success) return null;
        return new AlfSession(m.Groups["subject"].Value, m.Groups["date"].Value, int.Parse(m.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The parts of a valid ALF file name, or null.</summary>
    public static AlfFileName? ParseFileName(string name)
    {
        var m = FileNamePattern().Match(name);
        if (!m.Success) return null;
        string? Optional(string group) => m.Groups[group].Success ? m.Groups[group].Value : null;
        var extras = m.Groups["extra"].Captures;
        return new AlfFileName(Optional("namespace"), m.Groups["object"].Value, m.Groups["attribute"].Value, Optional("timescale"),
            extras.Count == 0 ? null : string.Join('.', extras.Select(c => c.Value)), m.Groups["extension"].Value);
    }

    /// <summary>
    /// Why <paramref name="text"/> (a request path or file name) is unsafe, or null: NUL and other control characters,
    /// backslashes, absolute paths and <c>..</c> segments.
    /// </summary>
    public static string? UnsafeReason(string text)
    {
        if (text.Any(char.IsControl)) return "control characters are not allowed";
        if (text.Contains('\\', StringComparison.Ordinal)) return "backslashes are not allowed";
        if (text.StartsWith('/')) return "absolute paths are not allowed";
        if (text.Split('/').Any(s => s == "..")) return "'..' segments are not allowed";
        return null;
    }

    /// <summary>Path segments as Python's <c>PurePosixPath</c> keeps them: empty and <c>.</c> segments dropped.</summary>
    static List<string> Segments(string path) => path.Split('/').Where(s => s.Length > 0 && s != ".").ToList();

    /// <summary>
    /// P2, a session dataset: the collection and revision of <paramref name="file"/> under the session folder
    /// <paramref name="path"/>. Every folder between the session and the file must be collection text, with at most one
    /// <c>#revision#</c> folder, directly above the file.
    /// </summary>
    public static (AlfLocation? Location, AlfPathError? Error) ParseSessionFile(string path, string file)
    {
        var segments = Segments(path);
        segments.AddRange(Segments(file));
        if (segments.Count == 0) return (null, new AlfPathError(InvalidFolderMessage));
        var name = segments[^1];
        var parents = segments[..^1];
        var folder = string.Join('/', parents) + "/";
        var m = SessionFolder().Match(folder);
        if (!m.Success) return (null, new AlfPathError(InvalidFolderMessage));
        var revision = m.Groups["revision"].Success ? m.Groups["revision"].Value : "";
        if (revision.Length > 0)
        {
            var at = parents.IndexOf($"#{revision}#");
            if (at < 0) return (null, new AlfPathError(InvalidFolderMessage));
            if (at != parents.Count - 1) return (null, new AlfPathError(NestedRevisionMessage));
        }
        // The original searches anywhere and ignores folders it cannot parse; here every folder must be accounted for.
        if (m.Index != 0 || m.Length != folder.Length)
        {
            var rest = m.Index != 0 ? folder[..^1] : folder[m.Length..^1];
            return (null, new AlfPathError($"Invalid ALF path \"{file}\": the folder \"{rest}\" is not a valid collection. "
                + "Only letters, numbers, hyphen and underscores allowed. A revision folder must be surrounded by pound signs (#)."));
        }
        var session = $"{m.Groups["subject"].Value}/{m.Groups["date"].Value}/{m.Groups["number"].Value}";
        var collection = m.Groups["collection"].Success ? m.Groups["collection"].Value : "";
        if (OutsideFolder(file, collection, revision, name) is { } outside) return (null, outside);
        return (new AlfLocation(session, collection, revision, name), null);
    }

    /// <summary>P3, an aggregate dataset: every folder of <c>path/file</c> is the collection, except an optional last <c>#revision#</c>.</summary>
    public static (AlfLocation? Location, AlfPathError? Error) ParseAggregateFile(string path, string file)
    {
        var segments = Segments(path);
        segments.AddRange(Segments(file));
        if (segments.Count == 0) return (null, new AlfPathError(InvalidFolderMessage));
        var name = segments[^1];
        var parents = segments[..^1];
        var m = CollectionFolder().Match(parents.Count == 0 ? "/" : string.Join('/', parents) + "/");
        var collection = m.Groups["collection"].Success ? m.Groups["collection"].Value : "";
        var revision = m.Groups["revision"].Success ? m.Groups["revision"].Value : "";
        var expected = (collection.Length == 0 ? 0 : collection.Split('/').Length) + (revision.Length > 0 ? 1 : 0);
        if (parents.Count != expected) return (null, new AlfPathError(InvalidFolderMessage));
        if (OutsideFolder(file, collection, revision, name) is { } outside) return (null, outside);
        return (new AlfLocation("", collection, revision, name), null);
    }

    /// <summary>
    /// The stored relative path may not leave its folder: no collection segment or revision that is empty, <c>.</c> or
    /// <c>..</c> (a <c>#..#</c> folder included), and a file name that is a name.
    /// </summary>
    static AlfPathError? OutsideFolder(string file, string collection, string revision, string name)
    {
        static bool Bad(string part) => part.Length == 0 || part is "." or ".." || part.Contains('/', StringComparison.Ordinal)
            || part.Contains('\\', StringComparison.Ordinal);
        var parts = (collection.Length == 0 ? [] : collection.Split('/')).Append(name);
        if (revision.Length > 0) parts = parts.Append(revision);
        if (!parts.Any(Bad)) return null;
        return new AlfPathError($"Invalid ALF path \"{file}\": a collection or revision folder may not be empty, \".\" or \"..\", "
            + "nor hold a separator.");
    }

    /// <summary>Python's <c>os.path.splitext</c> extension: from the last dot, unless only dots precede it (<c>.hidden</c> → <c>''</c>).</summary>
    public static string Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0) return "";
        for (var i = 0; i < dot; i++)
        {
            if (name[i] != '.') return name[dot..];
        }
        return "";
    }

    /// <summary>Python's <c>PurePath.stem</c>: the name without its last suffix (a suffix needs a non-leading dot and a character after it).</summary>
    public static string Stem(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 ? name[..dot] : name;
    }

    /// <summary>What a dataset type without a pattern is matched by: <c>object.attribute</c> of an ALF name, else the stem.</summary>
    public static string ObjectAttribute(string name) => ParseFileName(name) is { } parts ? $"{parts.Object}.{parts.Attribute}" : Stem(name);

    /// <summary>Python's <c>fnmatch</c> over the whole, case-folded name: <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[!abc]</c>.</summary>
    public static bool WildcardMatch(string name, string pattern) => WildcardPattern(pattern).IsMatch(name.ToLowerInvariant());

    // Dataset-type patterns are few and fixed; Regex's own cache (15 entries) would re-parse them on every file name.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    static Regex WildcardPattern(string pattern)
    {
        if (Patterns.TryGetValue(pattern, out var regex)) return regex;
        if (Patterns.Count >= 4096) Patterns.Clear();
        regex = new Regex(WildcardRegex(pattern.ToLowerInvariant()), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        Patterns[pattern] = regex;
        return regex;
    }

    /// <summary>The dataset types a file name matches (exactly one is required).</summary>
    public static List<T> MatchingTypes<T>(string name, IEnumerable<T> types, Func<T, string> typeName, Func<T, string?> pattern)
    {
        string? objectAttribute = null;
        var result = new List<T>();
        foreach (var type in types)
        {
            var p = pattern(type);
            if (string.IsNullOrWhiteSpace(p))
            {
                objectAttribute ??= ObjectAttribute(name);
                if (typeName(type) == objectAttribute) result.Add(type);
            }
            else if (WildcardMatch(name, p)) result.Add(type);
        }
        return result;
    }

    /// <summary>Python's <c>fnmatch.translate</c>, anchored.</summary>
    static string WildcardRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    {
                        var j = i + 1;
                        if (j < pattern.Length && pattern[j] == '!') j++;
                        if (j < pattern.Length && pattern[j] == ']') j++;
                        while (j < pattern.Length && pattern[j] != ']') j++;
                        if (j >= pattern.Length)
                        {
                            sb.Append(@"\[");
                            break;
                        }
                        var set = pattern[(i + 1)..j];
                        var negate = set.StartsWith('!');
                        if (negate) set = set[1..];
                        else if (set.StartsWith('^')) set = @"\" + set;
                        sb.Append('[').Append(negate ? "^" : "").Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)
                            .Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                        i = j;
                        break;
                    }
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.Append('$').ToString();
    }
}
