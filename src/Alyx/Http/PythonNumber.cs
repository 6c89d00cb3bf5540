using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alyx.Http;

/// <summary>
/// A number Python computes as either an <c>int</c> or a <c>float</c>: some Alyx functions return the literal
/// <c>0</c> when there is nothing to compute from (<c>WaterControl.weight</c>: <c>cw[1] if cw else 0</c>) and a float
/// otherwise, and the JSON shows the difference (<c>0</c> vs <c>0.0</c>). Arithmetic uses <see cref="Value"/>.
/// </summary>
[JsonConverter(typeof(PythonNumberConverter))]
public readonly record struct PythonNumber(double Value, bool IsInt)
{
    public static PythonNumber Int(long value) => new(value, true);

    public static PythonNumber Float(double value) => new(value, false);

    public static implicit operator double(PythonNumber number) => number.Value;

    public override string ToString() =>
        IsInt ? ((long)Value).ToString(CultureInfo.InvariantCulture) : PythonFloat.Repr(Value);

    /// <summary><see cref="ToString"/> as ASCII bytes into <paramref name="destination"/> (at least <see cref="PythonFloat.MaxLength"/> long).</summary>
    public int Format(Span<byte> destination)
    {
        if (!IsInt) return PythonFloat.Format(Value, destination);
        ((long)Value).TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }
}

public sealed class PythonNumberConverter : JsonConverter<PythonNumber>
{
    public override PythonNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TryGetInt64(out var i) ? PythonNumber.Int(i) : PythonNumber.Float(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, PythonNumber value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
        writer.WriteRawValue(text[..value.Format(text)], skipInputValidation: true);
    }
}
