using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>
/// A <see cref="WaterRecord"/> as the serializer would write it under <see cref="AlyxJson.Options"/> (keys in declaration order,
/// snake_case, Python's numbers), composed on the stack and written as one raw value: <c>/water-requirement</c> writes one per
/// day of a subject's life, thousands per answer.
/// </summary>
public sealed class WaterRecordConverter : JsonConverter<WaterRecord>
{
    /// <summary>Room for the keys (about 290 bytes) and fourteen values of at most <see cref="PythonFloat.MaxLength"/> bytes.</summary>
    const int MaxLength = 1024;

    public override WaterRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Water records are only written.");

    public override void Write(Utf8JsonWriter writer, WaterRecord value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }

    /// <summary>The record's JSON object into <paramref name="destination"/>; returns its length.</summary>
    static int Format(WaterRecord r, Span<byte> destination)
    {
        var pos = Literal("{\"date\":\""u8, destination, 0);
        r.Date.TryFormat(destination[pos..], out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        pos += written;
        pos = Literal("\",\"weight\":"u8, destination, pos);
        pos += r.Weight.Format(destination[pos..]);
        pos = Literal(",\"weighing_at\":"u8, destination, pos);
        pos = r.WeighingAt is { } at ? Float(at, destination, pos) : Literal("null"u8, destination, pos);
        pos = Literal(",\"reference_weight\":"u8, destination, pos);
        pos = Float(r.ReferenceWeight, destination, pos);
        pos = Literal(",\"expected_weight\":"u8, destination, pos);
        pos += r.ExpectedWeight.Format(destination[pos..]);
        pos = Literal(",\"min_weight\":"u8, destination, pos);
        pos = Float(r.MinWeight, destination, pos);
        pos = Literal(",\"percentage_weight\":"u8, destination, pos);
        pos = Float(r.PercentageWeight, destination, pos);
        pos = Literal(",\"given_water_reward\":"u8, destination, pos);
        pos += r.GivenWaterReward.Format(destination[pos..]);
        pos = Literal(",\"given_water_supplement\":"u8, destination, pos);
        pos += r.GivenWaterSupplement.Format(destination[pos..]);
        pos = Literal(",\"given_water_total\":"u8, destination, pos);
        pos += r.GivenWaterTotal.Format(destination[pos..]);
        pos = Literal(",\"expected_water\":"u8, destination, pos);
        pos = Float(r.ExpectedWater, destination, pos);
        pos = Literal(",\"excess_water\":"u8, destination, pos);
        pos = Float(r.ExcessWater, destination, pos);
        pos = Literal(",\"is_water_restricted\":"u8, destination, pos);
        pos = Literal(r.IsWaterRestricted ? "true"u8 : "false"u8, destination, pos);
        pos = Literal(",\"implant_weight\":"u8, destination, pos);
        pos += r.ImplantWeight.Format(destination[pos..]);
        return Literal("}"u8, destination, pos);
    }

    static int Literal(ReadOnlySpan<byte> text, Span<byte> destination, int pos)
    {
        text.CopyTo(destination[pos..]);
        return pos + text.Length;
    }

    static int Float(double value, Span<byte> destination, int pos) => pos + PythonFloat.Format(value, destination[pos..]);
}
