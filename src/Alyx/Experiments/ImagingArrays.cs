using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Experiments;

/// <summary>
/// The ArrayField columns of FOV locations (<c>x</c>, <c>y</c>, <c>z</c> floats, <c>n_xyz</c> integers), kept as text in the form
/// Django's dumpdata gives them: a JSON list of each element's string (Python's <c>str</c> of the float or int), nulls as null,
/// e.g. <c>["-1.25", "3.0"]</c>. Dumps load and export as they are; the REST API reads and writes JSON numbers.
/// </summary>
static class ImagingArrays
{
    /// <summary>
    /// A request's list (JSON text) in the stored form, or the error: the original's ListField takes any list, and the database
    /// then refuses (a 500) elements that are not numbers (or, for <paramref name="integers"/>, not whole numbers).
    /// </summary>
    public static string? Store(string json, bool integers, out string stored)
    {
        stored = "[]";
        var node = JsonNode.Parse(json);
        if (node is not JsonArray array) return $"Expected a list of items but got type \"{(node is null ? "NoneType" : Serializer.PythonType(node))}\".";
        var parts = new List<string>();
        foreach (var item in array)
        {
            if (item is null)
            {
                parts.Add("null");
                continue;
            }
            double value;
            var kind = item.GetValueKind();
            if (kind == JsonValueKind.Number) value = item.GetValue<double>();
            else if (kind != JsonValueKind.String
                || !double.TryParse(item.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                return integers ? "A valid integer is required." : "A valid number is required.";
            if (integers)
            {
                if (value != Math.Floor(value) || Math.Abs(value) > int.MaxValue) return "A valid integer is required.";
                parts.Add(JsonSerializer.Serialize(((long)value).ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                if (!double.IsFinite(value)) return "A valid number is required.";
                parts.Add(JsonSerializer.Serialize(PythonFloat.Repr(value)));
            }
        }
        stored = "[" + string.Join(", ", parts) + "]";
        return null;
    }

    /// <summary>The JSON text searched for by the array filters: one element in its stored form (<c>"2.0"</c>).</summary>
    public static string Element(double value, bool integers) =>
        JsonSerializer.Serialize(integers ? ((long)value).ToString(CultureInfo.InvariantCulture) : PythonFloat.Repr(value));

    /// <summary>Writes a stored array as JSON numbers.</summary>
    public static void Write(Utf8JsonWriter writer, string? stored, bool integers)
    {
        writer.WriteStartArray();
        if (!string.IsNullOrEmpty(stored) && JsonNode.Parse(stored) is JsonArray array)
        {
            foreach (var item in array)
            {
                string? text = item is null ? null
                    : item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item.ToJsonString();
                if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    writer.WriteNullValue();
                    continue;
                }
                if (integers) writer.WriteNumberValue((long)value);
                else writer.WriteRawValue(Encoding.UTF8.GetBytes(double.IsFinite(value) ? PythonFloat.Repr(value) : "null"), skipInputValidation: true);
            }
        }
        writer.WriteEndArray();
    }
}

/// <summary>A stored float array (<see cref="ImagingArrays"/>) written as a JSON array of numbers.</summary>
sealed class FloatArrayConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonDocument.ParseValue(ref reader).RootElement.GetRawText();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => ImagingArrays.Write(writer, value, false);
}

/// <summary>A stored integer array (<see cref="ImagingArrays"/>) written as a JSON array of numbers.</summary>
sealed class IntArrayConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonDocument.ParseValue(ref reader).RootElement.GetRawText();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => ImagingArrays.Write(writer, value, true);
}
