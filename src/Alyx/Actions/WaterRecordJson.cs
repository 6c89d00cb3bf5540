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
    internal const int MaxLength = 1024;

    public override WaterRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Water records are only written.");

    public override void Write(Utf8JsonWriter writer, WaterRecord value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }

    /// <summary>The record's JSON object into <paramref name="destination"/>; returns its length.</summary>
    internal static int Format(WaterRecord r, Span<byte> destination)
    {
        var pos = Literal(DatePrefix, destination, 0);
        pos += FormatDate(r.Date, destination[pos..]);
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

    /// <summary>What a record's text starts with: its date follows at this length.</summary>
    internal static ReadOnlySpan<byte> DatePrefix => "{\"date\":\""u8;

    /// <summary>The date as <c>YYYY-MM-DD</c> (ten bytes; a <see cref="DateOnly"/>'s year has four digits at most).</summary>
    internal static int FormatDate(DateOnly date, Span<byte> destination)
    {
        var (year, month, day) = date;
        destination[0] = (byte)('0' + year / 1000);
        destination[1] = (byte)('0' + year / 100 % 10);
        destination[2] = (byte)('0' + year / 10 % 10);
        destination[3] = (byte)('0' + year % 10);
        destination[4] = (byte)'-';
        destination[5] = (byte)('0' + month / 10);
        destination[6] = (byte)('0' + month % 10);
        destination[7] = (byte)'-';
        destination[8] = (byte)('0' + day / 10);
        destination[9] = (byte)('0' + day % 10);
        return 10;
    }

    /// <summary>
    /// Whether the two records would be written alike but for their dates: every value the same, bit for bit (0.0 and -0.0
    /// are written differently, and C#'s equality holds them equal).
    /// </summary>
    internal static bool SameExceptDate(WaterRecord a, WaterRecord b) =>
        Same(a.Weight, b.Weight) && Bits(a.WeighingAt) == Bits(b.WeighingAt) && Bits(a.ReferenceWeight) == Bits(b.ReferenceWeight)
        && Same(a.ExpectedWeight, b.ExpectedWeight) && Bits(a.MinWeight) == Bits(b.MinWeight)
        && Bits(a.PercentageWeight) == Bits(b.PercentageWeight) && Same(a.GivenWaterReward, b.GivenWaterReward)
        && Same(a.GivenWaterSupplement, b.GivenWaterSupplement) && Same(a.GivenWaterTotal, b.GivenWaterTotal)
        && Bits(a.ExpectedWater) == Bits(b.ExpectedWater) && Bits(a.ExcessWater) == Bits(b.ExcessWater)
        && a.IsWaterRestricted == b.IsWaterRestricted && Same(a.ImplantWeight, b.ImplantWeight);

    static bool Same(PythonNumber a, PythonNumber b) => a.IsInt == b.IsInt && Bits(a.Value) == Bits(b.Value);

    static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    /// <summary>A missing value apart from every double's bits (NaN's included: those are 0x7FF8...).</summary>
    static (bool, long) Bits(double? value) => value is { } v ? (true, Bits(v)) : (false, 0);

    static int Literal(ReadOnlySpan<byte> text, Span<byte> destination, int pos)
    {
        text.CopyTo(destination[pos..]);
        return pos + text.Length;
    }

    static int Float(double value, Span<byte> destination, int pos) => pos + PythonFloat.Format(value, destination[pos..]);
}

/// <summary>
/// The records of a <c>/water-requirement</c> answer as a JSON array, each as <see cref="WaterRecordConverter"/> writes it. A
/// subject's life is mostly runs of days whose values do not change (before the first weighing, after the last, while nothing
/// is given): a record written like the one before it but for its date is the previous text with the date replaced.
/// </summary>
public sealed class WaterRecordsConverter : JsonConverter<IEnumerable<WaterRecord>>
{
    public override IEnumerable<WaterRecord> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Water records are only written.");

    public override void Write(Utf8JsonWriter writer, IEnumerable<WaterRecord> value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[WaterRecordConverter.MaxLength];
        var dateAt = WaterRecordConverter.DatePrefix.Length;
        WaterRecord? previous = null;
        var length = 0;
        writer.WriteStartArray();
        foreach (var record in value)
        {
            if (previous is not null && WaterRecordConverter.SameExceptDate(previous, record))
                WaterRecordConverter.FormatDate(record.Date, text[dateAt..]);
            else
                length = WaterRecordConverter.Format(record, text);
            writer.WriteRawValue(text[..length], skipInputValidation: true);
            previous = record;
        }
        writer.WriteEndArray();
    }
}
