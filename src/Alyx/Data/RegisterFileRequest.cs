using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Http;

namespace Alyx.Data;

/// <summary>
/// The body of <c>/register-file</c> and <c>/check-protected</c> as the original reads it (spec 30 §3.9): lists or
/// comma-separated strings, string booleans true only when exactly <c>True</c>, per-file lists zipped (shortest wins).
/// </summary>
sealed class RegisterFileRequest
{
    public string? CreatedBy { get; init; }
    public string? RepositoryName { get; init; }
    public string? Hostname { get; init; }
    public string Path { get; init; } = "";
    public List<string> Filenames { get; init; } = [];
    public List<string?> Hashes { get; init; } = [];
    public List<JsonNode?> Filesizes { get; init; } = [];
    public List<string?> Versions { get; init; } = [];
    public List<JsonNode?> Qcs { get; init; } = [];
    public bool ServerOnly { get; init; }

    /// <summary>Truthy <c>default</c>: other revisions lose the default flag.</summary>
    public bool DefaultCascade { get; init; } = true;

    /// <summary><c>default</c> is exactly <c>true</c> (or <c>"True"</c>): the registered datasets are the default.</summary>
    public bool DefaultFlag { get; init; } = true;

    public bool CheckProtected { get; init; }
    public bool Exists { get; init; } = true;
    public List<string> Labs { get; init; } = [];
    public string? ContentType { get; init; }
    public string? ObjectId { get; init; }

    /// <summary>Reads a register-file body (a form's repeated key counts by its last value, as Django's QueryDict.get).</summary>
    public static RegisterFileRequest From(RequestData body, bool stripPath)
    {
        JsonNode? Get(string key)
        {
            if (!body.Fields.TryGetPropertyValue(key, out var node)) return null;
            return body.IsForm && node is JsonArray a ? a.LastOrDefault() : node;
        }
        bool Has(string key) => body.Fields.ContainsKey(key);

        var path = Text(Get("path")) ?? "";
        path = path.Replace('\\', '/').Replace("//", "/", StringComparison.Ordinal);
        if (stripPath) path = path.Trim('/');
        var filenames = (Items(Get("filenames")) ?? []).Select(Text).Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).ToList();
        var n = filenames.Count;

        List<string?> Strings(string key, bool replicateSingle)
        {
            if (!Has(key)) return [.. Enumerable.Repeat<string?>(null, n)];
            var node = Get(key);
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var parts = v.GetValue<string>().Split(',').Select(p => (string?)p).ToList();
                return replicateSingle && parts.Count == 1 ? [.. Enumerable.Repeat(parts[0], n)] : parts;
            }
            return node is JsonArray array ? array.Select(Text).ToList() : [Text(node)];
        }

        List<JsonNode?> sizes;
        var sizeNode = Get("filesizes");
        if (!Has("filesizes")) sizes = [.. Enumerable.Repeat<JsonNode?>(null, n)];
        else if (sizeNode is JsonValue sv && sv.GetValueKind() == JsonValueKind.String)
            sizes = sv.GetValue<string>().Split(',').Select(p => (JsonNode?)JsonValue.Create(p)).ToList();
        else if (sizeNode is JsonArray sa) sizes = [.. sa.Select(x => x?.DeepClone())];
        else sizes = [sizeNode?.DeepClone()];

        // `qc or 'NOT_SET'`: a falsy value (absent list aside) is one NOT_SET for every file.
        List<JsonNode?> qcs;
        var qcNode = Get("qc");
        if (!Has("qc")) qcs = [.. Enumerable.Repeat<JsonNode?>(null, n)];
        else
        {
            if (!Truthy(qcNode)) qcNode = JsonValue.Create("NOT_SET");
            if (qcNode is JsonValue qv && qv.GetValueKind() == JsonValueKind.String)
            {
                var parts = qv.GetValue<string>().Split(',').Select(p => (JsonNode?)JsonValue.Create(p)).ToList();
                qcs = parts.Count == 1 ? [.. Enumerable.Range(0, n).Select(_ => parts[0]?.DeepClone())] : parts;
            }
            else if (qcNode is JsonArray qa) qcs = [.. qa.Select(x => x?.DeepClone())];
            else qcs = [qcNode?.DeepClone()];
        }

        var defaultNode = Get("default");
        var labs = (Items(Get("labs")) ?? []).Concat(Items(Get("projects")) ?? []).Select(Text).Where(l => !string.IsNullOrEmpty(l)).Select(l => l!);
        return new RegisterFileRequest
        {
            CreatedBy = NonEmpty(Get("created_by")),
            RepositoryName = NonEmpty(Get("name")),
            Hostname = NonEmpty(Get("hostname")),
            Path = path,
            Filenames = filenames,
            Hashes = Strings("hashes", replicateSingle: false),
            Versions = Strings("versions", replicateSingle: true),
            Filesizes = sizes,
            Qcs = qcs,
            ServerOnly = Has("server_only") && Flag(Get("server_only")),
            DefaultCascade = !Has("default") || Flag(defaultNode),
            DefaultFlag = !Has("default") || defaultNode is JsonValue dv && (dv.GetValueKind() == JsonValueKind.True
                || dv.GetValueKind() == JsonValueKind.String && dv.GetValue<string>() == "True"),
            CheckProtected = Has("check_protected") && Flag(Get("check_protected")),
            Exists = !Has("exists") || Flag(Get("exists")),
            Labs = [.. labs],
            ContentType = NonEmpty(Get("content_type")),
            ObjectId = NonEmpty(Get("object_id")),
        };
    }

    /// <summary>
    /// Text no field can hold, each named: lone surrogates anywhere, NUL characters in the names looked up or stored (a NUL
    /// in <c>path</c> or <c>filenames</c> is refused later with the file it is in, as every unsafe path).
    /// </summary>
    public static ErrorMap? TextErrors(RequestData body)
    {
        var errors = new ErrorMap();
        foreach (var (key, node) in body.Fields)
        {
            var problem = Serializer.SurrogateProblem(key) ?? Serializer.SurrogateIn(node);
            if (problem is null && key is not ("path" or "filenames")) problem = Serializer.NulIn(node);
            if (problem is not null) errors.Add(key, problem);
        }
        return errors.Any ? errors : null;
    }

    /// <summary>A string flag is true only when exactly <c>True</c>; anything else by Python truthiness.</summary>
    static bool Flag(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() == "True" : Truthy(node);

    public static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.GetValue<double>() != 0,
            JsonValueKind.True => true,
            _ => false,
        },
        _ => false,
    };

    /// <summary>A list value, or a comma-separated string split.</summary>
    static List<JsonNode?>? Items(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => [.. a],
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [.. v.GetValue<string>().Split(',').Select(p => (JsonNode?)JsonValue.Create(p))],
        _ => [node],
    };

    /// <summary>Python's <c>str()</c> of a JSON scalar (null stays null).</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "True",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "False",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    static string? NonEmpty(JsonNode? node) => Truthy(node) ? Text(node) : null;

    /// <summary><c>int(size)</c>: integers, integral floats and integer strings; null when absent; false when invalid.</summary>
    public static bool TrySize(JsonNode? node, out long? size)
    {
        size = null;
        if (node is null) return true;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue<long>(out var l))
            {
                size = l;
                return true;
            }
            var d = v.GetValue<double>();
            if (!double.IsFinite(d) || Math.Abs(d) >= 9.2e18) return false;
            size = (long)Math.Truncate(d);
            return true;
        }
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String
            && long.TryParse(s.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            size = parsed;
            return true;
        }
        return false;
    }

    /// <summary>ONE's <c>QC.validate</c>: a label in any case, a numeric string or a number of a QC code; empty is NOT_SET.</summary>
    public static int? Qc(JsonNode? node)
    {
        if (!Truthy(node)) return 0;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var d = v.GetValue<double>();
            return Actions.QcCodes.All.Any(q => q.Code == d) ? (int)d : null;
        }
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            var text = s.GetValue<string>();
            // ONE's validation takes the text as it is: surrounding blanks make it invalid.
            return text.Trim().Length == text.Length ? Actions.QcCodes.FromLabelOrCode(text) : null;
        }
        return null;
    }
}
