using System.Globalization;
using System.Text.Json.Nodes;
using Alyx.Http;

namespace Alyx.OpenApi;

/// <summary>
/// <c>components.schemas</c>: one object schema per serializer (<c>Name</c>), its PATCH twin without a required list
/// (<c>PatchedName</c>), the paginated envelope of list responses (<c>PaginatedNameList</c>) and <c>FieldEnum</c> choices.
/// </summary>
sealed class SchemaComponents
{
    readonly Dictionary<string, JsonObject> schemas = new(StringComparer.Ordinal);

    public static JsonObject Ref(string component) => new() { ["$ref"] = "#/components/schemas/" + component };

    public string Add(Serializer serializer)
    {
        if (!schemas.ContainsKey(serializer.Component)) schemas[serializer.Component] = Object(serializer, withRequired: true);
        return serializer.Component;
    }

    public string AddPatched(Serializer serializer)
    {
        var name = "Patched" + serializer.Component;
        if (!schemas.ContainsKey(name)) schemas[name] = Object(serializer, withRequired: false);
        return name;
    }

    public string AddPaginated(Serializer serializer)
    {
        var item = Add(serializer);
        var name = $"Paginated{item}List";
        if (schemas.ContainsKey(name)) return name;
        schemas[name] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("count", "results"),
            ["properties"] = new JsonObject
            {
                ["count"] = new JsonObject { ["type"] = "integer", ["example"] = 123 },
                ["next"] = PageLink("?offset=400&limit=100"),
                ["previous"] = PageLink("?offset=200&limit=100"),
                ["results"] = new JsonObject { ["type"] = "array", ["items"] = Ref(item) },
            },
        };
        return name;
    }

    static JsonObject PageLink(string example) => new()
    {
        ["type"] = "string",
        ["nullable"] = true,
        ["format"] = "uri",
        ["example"] = example,
    };

    public JsonObject ToJson()
    {
        var result = new JsonObject();
        foreach (var (name, schema) in schemas.OrderBy(p => p.Key, StringComparer.Ordinal)) result[name] = schema;
        return result;
    }

    JsonObject Object(Serializer serializer, bool withRequired)
    {
        var properties = new JsonObject();
        foreach (var field in serializer.Fields) properties[field.Name] = Property(field);
        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        // drf-spectacular lists required and read-only fields (always present in responses) as required.
        var required = serializer.Fields.Where(f => f.Required || f.ReadOnly).Select(f => (JsonNode?)f.Name).ToArray();
        if (withRequired && required.Length > 0) result["required"] = new JsonArray(required);
        return result;
    }

    JsonObject Property(Field field)
    {
        var schema = field.Kind == FieldKind.Choice ? ChoiceSchema(field) : TypeSchema(field);
        if (field.MaxLength is { } max) schema["maxLength"] = max;
        if (field.Pattern is not null) schema["pattern"] = OpenApiPattern(field.Pattern);
        if (field.ReadOnly) schema["readOnly"] = true;
        if (field.WriteOnly) schema["writeOnly"] = true;
        if (field.Nullable) schema["nullable"] = true;
        if (field.Description is not null) schema["description"] = field.Description;
        return schema;
    }

    static JsonObject TypeSchema(Field field)
    {
        if (field.ReadType is { } readType) return Basic(readType, field.Format);
        return field.Kind switch
        {
            FieldKind.Boolean => Basic("boolean"),
            FieldKind.Integer => Basic("integer"),
            FieldKind.Float => Basic("number", "double"),
            FieldKind.Uuid => Basic("string", "uuid"),
            FieldKind.Date => Basic("string", "date"),
            FieldKind.DateTime => Basic("string", "date-time"),
            FieldKind.Json => [],
            FieldKind.SlugList => new JsonObject { ["type"] = "array", ["items"] = Basic("string") },
            FieldKind.Image => Basic("string", "uri"),
            _ => Basic("string", field.Format),
        };
    }

    static JsonObject Basic(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is null && type == "number") format = "double";
        if (format is not null) schema["format"] = format;
        if (type == "array") schema["items"] = new JsonObject();
        return schema;
    }

    /// <summary>A choice field refers to <c>FieldEnum</c>; a blank-allowing one also to <c>BlankEnum</c>, as drf-spectacular does.</summary>
    JsonObject ChoiceSchema(Field field)
    {
        var type = field.ReadType ?? "string";
        var values = new JsonArray();
        foreach (var c in field.Choices ?? []) values.Add(EnumValue(type, c));
        var name = EnumName(field.Name, type, values);
        var choice = Ref(name);
        var blank = field.AllowBlank && type == "string" && field.Choices?.Contains("") != true;
        if (!blank) return new JsonObject { ["allOf"] = new JsonArray(choice) };
        if (!schemas.ContainsKey("BlankEnum")) schemas["BlankEnum"] = new JsonObject { ["enum"] = new JsonArray("") };
        return new JsonObject { ["oneOf"] = new JsonArray(choice, Ref("BlankEnum")) };
    }

    string EnumName(string fieldName, string type, JsonArray values)
    {
        var baseName = string.Concat(fieldName.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "Enum";
        var schema = new JsonObject { ["enum"] = values, ["type"] = type };
        var name = baseName;
        // Two fields of the same name with different choices get numbered names instead of one overwriting the other.
        for (var n = 2; schemas.TryGetValue(name, out var existing); n++)
        {
            if (JsonNode.DeepEquals(existing, schema)) return name;
            name = baseName + n.ToString(CultureInfo.InvariantCulture);
        }
        schemas[name] = schema;
        return name;
    }

    /// <summary>Choice values are strings on the serializer; integer and number enums are written as numbers.</summary>
    public static JsonNode? EnumValue(string type, string value) => type switch
    {
        "integer" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        "boolean" => value is "true" or "True",
        _ => value,
    };

    /// <summary>Patterns are .NET regexes; <c>\z</c> (end of input) is written as ECMA's <c>$</c>, as Alyx's schema shows them.</summary>
    static string OpenApiPattern(string pattern) => pattern.EndsWith(@"\z", StringComparison.Ordinal) ? pattern[..^2] + "$" : pattern;
}
