using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alyx.Http;

/// <summary>A JSON column carried as text and written as the JSON value it holds (or null).</summary>
public sealed class RawJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.ValueKind == JsonValueKind.Null ? null : doc.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        using var doc = JsonDocument.Parse(value);
        doc.RootElement.WriteTo(writer);
    }
}
