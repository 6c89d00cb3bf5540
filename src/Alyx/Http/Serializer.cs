using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Alyx.Http;

public enum FieldKind
{
    String,
    Boolean,
    Integer,
    Float,
    Uuid,
    Date,
    DateTime,
    Json,
    Slug,
    SlugList,
    Choice,
    Image,
}

/// <summary>One field of a wire representation: drives body validation and the OpenAPI component alike.</summary>
public sealed record Field(string Name, FieldKind Kind)
{
    public bool ReadOnly { get; init; }
    public bool WriteOnly { get; init; }
    public bool Required { get; init; }
    public bool Nullable { get; init; }
    public bool AllowBlank { get; init; } = true;
    public int? MaxLength { get; init; }

    /// <summary>For integers: a 64-bit column (Django BigIntegerField), validated against the long range.</summary>
    public bool Int64 { get; init; }
    public string? Pattern { get; init; }
    public string? PatternMessage { get; init; }
    public string? Format { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>The message for a value outside <see cref="Choices"/> (blank included) where the original's field has its own.</summary>
    public string? ChoiceMessage { get; init; }

    /// <summary>For read-only computed fields: the JSON type they really have (the schema shows it).</summary>
    public string? ReadType { get; init; }
}

/// <summary>Validated input: field name to typed value (string, bool, int, double, Guid, DateOnly, DateTime, List of string, JSON text).</summary>
public sealed class Validated
{
    readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    public bool Has(string name) => values.ContainsKey(name);

    public T? Get<T>(string name) => values.TryGetValue(name, out var v) && v is T t ? t : default;

    public bool TryGet<T>(string name, out T? value)
    {
        value = default;
        if (!values.TryGetValue(name, out var v)) return false;
        value = v is T t ? t : default;
        return true;
    }

    internal void Set(string name, object? value) => values[name] = value;
}

/// <summary>
/// A DRF serializer's declaration: a component name and its fields in wire order. <see cref="Validate"/> reproduces
/// DRF's field validation and messages (conventions §9.5); database checks (slugs, uniqueness) are the handler's.
/// </summary>
public sealed class Serializer(string component, params Field[] fields)
{
    public string Component { get; } = component;

    public IReadOnlyList<Field> Fields { get; } = fields;

    public Validated Validate(RequestData body, bool partial, ErrorMap errors)
    {
        var result = new Validated();
        foreach (var field in Fields)
        {
            if (field.ReadOnly) continue;
            var present = body.Fields.TryGetPropertyValue(field.Name, out var node);
            if (!present)
            {
                if (body.IsForm && field.Kind == FieldKind.SlugList && !partial) result.Set(field.Name, new List<string>());
                else if (field.Required && !partial) errors.Add(field.Name, "This field is required.");
                continue;
            }
            if (node is null)
            {
                if (field.Nullable) result.Set(field.Name, null);
                else errors.Add(field.Name, "This field may not be null.");
                continue;
            }
            var error = Convert(field, node, body.IsForm, out var value);
            if (error is not null) errors.Add(field.Name, error);
            else result.Set(field.Name, value);
        }
        return result;
    }

    static string? Convert(Field field, JsonNode node, bool form, out object? value)
    {
        value = null;
        switch (field.Kind)
        {
            case FieldKind.String:
            case FieldKind.Slug:
            case FieldKind.Choice:
                {
                    if (!TryString(node, out var s)) return "Not a valid string.";
                    if (TextProblem(s) is { } problem) return problem;
                    s = s.Trim();
                    if (field.Kind == FieldKind.Choice)
                    {
                        if (field.ChoiceMessage is not null)
                        {
                            if (field.Choices is not null && !field.Choices.Contains(s)) return field.ChoiceMessage;
                            value = s;
                            return null;
                        }
                        // DRF's ChoiceField(allow_blank=True) accepts '' even when it is not one of the choices.
                        if (s.Length == 0 && field.AllowBlank)
                        {
                            value = s;
                            return null;
                        }
                        if (field.Choices is not null && !field.Choices.Contains(s))
                            return s.Length == 0 && !field.AllowBlank ? "This field may not be blank." : $"\"{s}\" is not a valid choice.";
                        value = s;
                        return null;
                    }
                    if (s.Length == 0)
                    {
                        // DRF's RelatedField reads '' as None: null when allowed, else "may not be null".
                        if (field.Kind == FieldKind.Slug) return field.Nullable ? null : "This field may not be null.";
                        if (!field.AllowBlank) return "This field may not be blank.";
                    }
                    if (field.MaxLength is { } max && s.Length > max) return $"Ensure this field has no more than {max} characters.";
                    if (field.Pattern is not null && s.Length > 0 && !Regex.IsMatch(s, field.Pattern))
                        return field.PatternMessage ?? "Enter a valid value.";
                    if (field.Format == "email" && s.Length > 0 && !IsEmail(s)) return "Enter a valid email address.";
                    value = s;
                    return null;
                }
            case FieldKind.Boolean:
                {
                    var b = node.GetValueKind() switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.Number => node.GetValue<double>() switch { 1 => true, 0 => false, _ => (bool?)null },
                        JsonValueKind.String => node.GetValue<string>().Trim().ToUpperInvariant() switch
                        {
                            "TRUE" or "T" or "YES" or "Y" or "ON" or "1" => true,
                            "FALSE" or "F" or "NO" or "N" or "OFF" or "0" => false,
                            _ => null,
                        },
                        _ => null,
                    };
                    if (b is null) return "Must be a valid boolean.";
                    value = b.Value;
                    return null;
                }
            case FieldKind.Integer:
                {
                    if (!TryDouble(node, out var d) || d != Math.Floor(d)) return "A valid integer is required.";
                    if (field.Int64)
                    {
                        if (d >= 9223372036854775807d) return "Ensure this value is less than or equal to 9223372036854775807.";
                        if (d < -9223372036854775808d) return "Ensure this value is greater than or equal to -9223372036854775808.";
                        value = node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var exact) ? exact : (long)d;
                        return null;
                    }
                    if (d > int.MaxValue) return $"Ensure this value is less than or equal to {int.MaxValue}.";
                    if (d < int.MinValue) return $"Ensure this value is greater than or equal to {int.MinValue}.";
                    value = (int)d;
                    return null;
                }
            case FieldKind.Float:
                {
                    if (!TryDouble(node, out var d)) return "A valid number is required.";
                    value = d;
                    return null;
                }
            case FieldKind.Uuid:
                {
                    if (!TryString(node, out var s) || !Guid.TryParse(s.Trim(), out var g)) return "Must be a valid UUID.";
                    value = g;
                    return null;
                }
            case FieldKind.Date:
                {
                    if (!IsString(node, out var s) || !AlyxFormats.TryParseDate(s, out var d))
                        return "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
                    value = d;
                    return null;
                }
            case FieldKind.DateTime:
                {
                    if (!IsString(node, out var s) || !AlyxFormats.TryParseDateTime(s, out var d))
                        return "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
                    value = d;
                    return null;
                }
            case FieldKind.Json:
                {
                    // jsonb holds neither a lone surrogate nor a NUL character: refused alike on both providers.
                    if ((SurrogateIn(node) ?? NulIn(node)) is { } problem) return problem;
                    if (form && node.GetValueKind() == JsonValueKind.String)
                    {
                        try
                        {
                            var parsed = JsonNode.Parse(node.GetValue<string>());
                            value = parsed?.ToJsonString();
                        }
                        catch (JsonException)
                        {
                            return "Value must be valid JSON.";
                        }
                        return null;
                    }
                    value = node.ToJsonString();
                    return null;
                }
            case FieldKind.SlugList:
                {
                    if (node is JsonArray array)
                    {
                        var list = new List<string>();
                        foreach (var item in array)
                        {
                            if (item is null || !TryString(item, out var s)) return "Invalid value.";
                            if (TextProblem(s) is { } problem) return problem;
                            list.Add(s);
                        }
                        value = list;
                        return null;
                    }
                    if (form && TryString(node, out var single))
                    {
                        if (TextProblem(single) is { } problem) return problem;
                        value = new List<string> { single };
                        return null;
                    }
                    return $"Expected a list of items but got type \"{PythonType(node)}\".";
                }
            case FieldKind.Image:
                return "The submitted data was not a file. Check the encoding type on the form.";
            default:
                return "Invalid value.";
        }
    }

    static bool TryString(JsonNode node, out string value)
    {
        value = "";
        switch (node.GetValueKind())
        {
            case JsonValueKind.String:
                value = node.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                value = node.ToJsonString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A JSON string only: DRF's date and datetime fields refuse numbers with their wrong-format message.</summary>
    static bool IsString(JsonNode node, out string value)
    {
        value = "";
        if (node.GetValueKind() != JsonValueKind.String) return false;
        value = node.GetValue<string>();
        return true;
    }

    /// <summary>
    /// DRF's CharField validators (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator), applied to every
    /// text, slug and choice value: such text cannot be stored (PostgreSQL refuses both) nor looked up.
    /// </summary>
    public static string? TextProblem(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal)) return "Null characters are not allowed.";
        return SurrogateProblem(text);
    }

    /// <summary>The message for the first lone UTF-16 surrogate of <paramref name="text"/> (a pair is one valid character).</summary>
    public static string? SurrogateProblem(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return $"Surrogate characters are not allowed: U+{(int)c:X}.";
        }
        return null;
    }

    /// <summary>A lone surrogate anywhere in a JSON value, keys included.</summary>
    public static string? SurrogateIn(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => SurrogateProblem(p.Key) ?? SurrogateIn(p.Value)).FirstOrDefault(m => m is not null),
        JsonArray a => a.Select(SurrogateIn).FirstOrDefault(m => m is not null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => SurrogateProblem(v.GetValue<string>()),
        _ => null,
    };

    /// <summary>A NUL character anywhere in a JSON value, keys included.</summary>
    public static string? NulIn(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => p.Key.Contains('\0', StringComparison.Ordinal) ? "Null characters are not allowed." : NulIn(p.Value))
            .FirstOrDefault(m => m is not null),
        JsonArray a => a.Select(NulIn).FirstOrDefault(m => m is not null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\0', StringComparison.Ordinal) =>
            "Null characters are not allowed.",
        _ => null,
    };

    static bool TryDouble(JsonNode node, out double value)
    {
        value = 0;
        var kind = node.GetValueKind();
        if (kind == JsonValueKind.Number) value = node.GetValue<double>();
        else if (kind == JsonValueKind.String)
        {
            if (!double.TryParse(node.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        }
        else return false;
        return double.IsFinite(value);
    }

    /// <summary>The Python type name DRF's messages give a JSON value.</summary>
    public static string PythonType(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Object => "dict",
        JsonValueKind.Array => "list",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => node.ToJsonString().Contains('.', StringComparison.Ordinal) ? "float" : "int",
        _ => "NoneType",
    };

    static bool IsEmail(string s) => Regex.IsMatch(s, @"^[^@\s]+@[^@\s]+\.[^@\s]+$");
}
