using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alyx.Http;

/// <summary>The one set of JSON options used by the server, the importer and the tests: Alyx's wire format.</summary>
public static class AlyxJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.WriteIndented = false;
        o.Converters.Add(new PythonFloatConverter());
        o.Converters.Add(new NullablePythonFloatConverter());
        o.Converters.Add(new NaiveDateTimeConverter());
        o.Converters.Add(new IsoDateConverter());
        o.Converters.Add(new LowerGuidConverter());
        return o;
    }
}

/// <summary>Writes doubles as Python's repr does (<c>25.0</c>, <c>1e-05</c>, <c>NaN</c>).</summary>
public sealed class PythonFloatConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture)
            : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>Python's repr of <paramref name="value"/> as a raw JSON value, formatted on the stack.</summary>
    public static void WriteValue(Utf8JsonWriter writer, double value)
    {
        Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
        writer.WriteRawValue(text[..PythonFloat.Format(value, text)], skipInputValidation: true);
    }
}

public sealed class NullablePythonFloatConverter : JsonConverter<double?>
{
    public override bool HandleNull => true;

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : new PythonFloatConverter().Read(ref reader, typeof(double), options);

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else PythonFloatConverter.WriteValue(writer, value.Value);
    }
}

/// <summary>Naive datetimes: <c>2017-06-19T18:03:35.598000</c>, six-digit fraction only when non-zero, never an offset.</summary>
public sealed class NaiveDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AlyxFormats.TryParseDateTime(reader.GetString(), out var value) ? value : throw new JsonException("Datetime has wrong format.");

    /// <summary><see cref="AlyxFormats.FormatDateTime"/>'s text, formatted into the writer without a string per value.</summary>
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[32];
        var format = value.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.ffffff";
        value.TryFormat(text, out var written, format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..written]);
    }
}

public sealed class IsoDateConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AlyxFormats.TryParseDate(reader.GetString(), out var value) ? value : throw new JsonException("Date has wrong format.");

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

public sealed class LowerGuidConverter : JsonConverter<Guid>
{
    public override Guid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Guid.Parse(reader.GetString()!);

    /// <summary>Lowercase with hyphens (the writer's own Guid text), without a string per value.</summary>
    public override void Write(Utf8JsonWriter writer, Guid value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
