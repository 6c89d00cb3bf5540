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

    /// <summary>
    /// Writes a stored array as JSON numbers (each element parsed and written again, so that a float is Python's repr of it);
    /// an element that is not a number, or a float that is not finite, is written as null. Read with a reader over the stored
    /// text's bytes: a page of locations writes hundreds of these.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, string? stored, bool integers)
    {
        writer.WriteStartArray();
        if (!string.IsNullOrEmpty(stored))
        {
            // A location's arrays are a few elements: their bytes on the stack, no array per value.
            var max = Encoding.UTF8.GetMaxByteCount(stored.Length);
            Span<byte> bytes = max <= 512 ? stackalloc byte[512] : new byte[max];
            var reader = new Utf8JsonReader(bytes[..Encoding.UTF8.GetBytes(stored, bytes)]);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryElement(ref reader, out var value) || !integers && !double.IsFinite(value)) writer.WriteNullValue();
                    else if (integers) writer.WriteNumberValue((long)value);
                    else writer.WriteRawValue(text[..PythonFloat.Format(value, text)], skipInputValidation: true);
                }
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>The element at the reader as a number: a JSON number, or a string holding one; a nested list or object is skipped.</summary>
    static bool TryElement(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonTokenType.String when reader.ValueSpan.Length <= 64:
                Span<char> chars = stackalloc char[64];
                return double.TryParse(chars[..reader.CopyString(chars)], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonTokenType.String:
                return double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonTokenType.StartArray or JsonTokenType.StartObject:
                reader.Skip();
                return false;
            default:
                return false;
        }
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
