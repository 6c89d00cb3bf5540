using System.Globalization;
using System.Text;

namespace Alyx.Http;

/// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, fixed notation for exponents -4..15, else scientific.</summary>
public static class PythonFloat
{
    /// <summary>The longest text <see cref="Format"/> writes (sign, "0.", four zeros and 17 digits; or 17 digits and "e-308").</summary>
    public const int MaxLength = 32;

    public static string Repr(double value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return Encoding.ASCII.GetString(text[..Format(value, text)]);
    }

    /// <summary>
    /// <see cref="Repr"/> as ASCII bytes into <paramref name="destination"/> (at least <see cref="MaxLength"/> long), without
    /// allocating; returns the number of bytes written.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value)) return Copy("NaN"u8, destination);
        if (double.IsPositiveInfinity(value)) return Copy("Infinity"u8, destination);
        if (double.IsNegativeInfinity(value)) return Copy("-Infinity"u8, destination);
        if (value == 0) return Copy(double.IsNegative(value) ? "-0.0"u8 : "0.0"u8, destination);

        // .NET's "R" is the shortest round-trip form too, in its own notation (1E-05, 1.2345678901234568E+17).
        Span<byte> r = stackalloc byte[MaxLength];
        value.TryFormat(r, out var length, "R", CultureInfo.InvariantCulture);
        r = r[..length];
        var pos = 0;
        if (r[0] == (byte)'-')
        {
            destination[pos++] = (byte)'-';
            r = r[1..];
        }
        var exponent = 0;
        var e = r.IndexOfAny((byte)'E', (byte)'e');
        if (e >= 0)
        {
            var negative = r[e + 1] == (byte)'-';
            for (var i = e + 1; i < r.Length; i++)
            {
                if (r[i] is >= (byte)'0' and <= (byte)'9') exponent = exponent * 10 + (r[i] - '0');
            }
            if (negative) exponent = -exponent;
            r = r[..e];
        }
        var dot = r.IndexOf((byte)'.');
        var intLength = dot >= 0 ? dot : r.Length;
        // All the digits (integer part then fraction), without the dot.
        Span<byte> all = stackalloc byte[MaxLength];
        var count = 0;
        foreach (var c in r)
        {
            if (c != (byte)'.') all[count++] = c;
        }
        var lead = 0;
        while (lead < count - 1 && all[lead] == (byte)'0') lead++;
        ReadOnlySpan<byte> digits = all[lead..count].TrimEnd((byte)'0');
        if (digits.Length == 0) digits = "0"u8;
        // value = 0.DIGITS x 10^point
        var point = intLength + exponent - lead;
        var sci = point - 1;
        if (sci >= -4 && sci < 16)
        {
            if (point <= 0)
            {
                pos += Copy("0."u8, destination[pos..]);
                destination.Slice(pos, -point).Fill((byte)'0');
                pos += -point;
                pos += Copy(digits, destination[pos..]);
            }
            else if (point >= digits.Length)
            {
                pos += Copy(digits, destination[pos..]);
                destination.Slice(pos, point - digits.Length).Fill((byte)'0');
                pos += point - digits.Length;
                pos += Copy(".0"u8, destination[pos..]);
            }
            else
            {
                pos += Copy(digits[..point], destination[pos..]);
                destination[pos++] = (byte)'.';
                pos += Copy(digits[point..], destination[pos..]);
            }
        }
        else
        {
            destination[pos++] = digits[0];
            if (digits.Length > 1)
            {
                destination[pos++] = (byte)'.';
                pos += Copy(digits[1..], destination[pos..]);
            }
            destination[pos++] = (byte)'e';
            destination[pos++] = sci < 0 ? (byte)'-' : (byte)'+';
            Math.Abs(sci).TryFormat(destination[pos..], out var written, "00", CultureInfo.InvariantCulture);
            pos += written;
        }
        return pos;
    }

    static int Copy(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
