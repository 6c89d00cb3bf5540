using System.Globalization;
using System.Numerics;
using System.Text;

namespace Alyx.Filtering;

/// <summary>A value of a <c>django=</c> condition after conversion (conventions §15.2 and §15.3).</summary>
public abstract record DjangoValue
{
    /// <summary>Python <c>None</c>.</summary>
    public sealed record Null : DjangoValue
    {
        public static readonly Null Instance = new();
    }

    public sealed record Bool(bool Value) : DjangoValue;

    /// <summary>A bare numeric token (always a float, as the original converts it) with its original text.</summary>
    public sealed record Number(double Value, string Text) : DjangoValue;

    /// <summary>An integer literal inside brackets (stays an integer).</summary>
    public sealed record Int(BigInteger Value) : DjangoValue;

    /// <summary>A float literal inside brackets.</summary>
    public sealed record Float(double Value, string Text) : DjangoValue;

    public sealed record Str(string Value) : DjangoValue;

    /// <summary>A list or tuple literal.</summary>
    public sealed record Seq(IReadOnlyList<DjangoValue> Items, bool IsTuple) : DjangoValue
    {
        public bool Equals(Seq? other) => other is not null && IsTuple == other.IsTuple && Items.SequenceEqual(other.Items);

        public override int GetHashCode() => HashCode.Combine(IsTuple, Items.Count);
    }
}

/// <summary>One condition of a <c>django=</c> parameter: its name (maybe starting with <c>~</c>) and converted value.</summary>
public sealed record DjangoCondition(string Name, DjangoValue Value);

/// <summary>
/// The text side of <c>django=</c>: the bracket-aware comma split, the value conversion and a parser for the Python
/// literal subset that the original fed to <c>eval</c> (Alyx: alyx/alyx/base.py _custom_filter_parser). Nothing is
/// ever evaluated: anything outside the grammar is a <see cref="DjangoQueryException"/>.
/// </summary>
public static class DjangoSyntax
{
    /// <summary>The most conditions one parameter may hold (each is a subquery or a join: the bound keeps a query's cost in check).</summary>
    public const int MaxConditions = 20;

    /// <summary>Splits and converts a whole parameter value; duplicate names, an odd token count and too many conditions are errors.</summary>
    public static IReadOnlyList<DjangoCondition> Parse(string value)
    {
        var tokens = Split(value.Trim());
        if (tokens.Count % 2 != 0)
            throw new DjangoQueryException($"Expected name,value pairs in \"{value}\" but got an odd number of items ({tokens.Count}).");
        if (tokens.Count / 2 > MaxConditions)
            throw new DjangoQueryException($"Too many conditions ({tokens.Count / 2}): at most {MaxConditions} are allowed.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var conditions = new List<DjangoCondition>();
        for (var i = 0; i < tokens.Count; i += 2)
        {
            if (!seen.Add(tokens[i])) throw new DjangoQueryException($"Duplicated fields in \"{value}\"");
            conditions.Add(new DjangoCondition(tokens[i], Convert(tokens[i + 1])));
        }
        return conditions;
    }

    /// <summary>The original's split: commas separate tokens except while a closing bracket is expected (no nesting).</summary>
    public static List<string> Split(string value)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? closer = null;
        foreach (var c in value)
        {
            if (c == ',' && closer is null)
            {
                tokens.Add(current.ToString());
                current.Clear();
                continue;
            }
            if (c == '[') closer = ']';
            else if (c == '(') closer = ')';
            else if (c == closer) closer = null;
            current.Append(c);
        }
        tokens.Add(current.ToString());
        return tokens;
    }

    /// <summary>Converts one value token, in the original's order: None, booleans, digits with one dot, bracketed literal, text.</summary>
    public static DjangoValue Convert(string token)
    {
        if (token == "None") return DjangoValue.Null.Instance;
        if (token.Equals("true", StringComparison.OrdinalIgnoreCase)) return new DjangoValue.Bool(true);
        if (token.Equals("false", StringComparison.OrdinalIgnoreCase)) return new DjangoValue.Bool(false);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? token : token.Remove(dot, 1);
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            // Python's float() of the token: "5." and ".5" are valid floats.
            var text = token.EndsWith('.') ? token + "0" : token;
            var number = double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            // Python's float() gives inf here, which no column can be compared with (Django fails converting it).
            if (!double.IsFinite(number)) throw new DjangoQueryException($"The number {Abbreviated(token)} is out of range.");
            return new DjangoValue.Number(number, token);
        }
        if (token.Length > 0 && token[0] is '(' or '[' && token[^1] is ')' or ']') return ParseLiteral(token);
        return new DjangoValue.Str(token);
    }

    static string Abbreviated(string token) => token.Length <= 40 ? token : $"{token[..20]}...({token.Length} digits)";

    /// <summary>Parses a Python literal: lists, tuples, strings, numbers, True/False/None.</summary>
    public static DjangoValue ParseLiteral(string text)
    {
        var parser = new LiteralParser(text);
        var value = parser.ParseExpression();
        parser.SkipSpace();
        if (!parser.AtEnd) throw parser.Error("unexpected text");
        return value;
    }

    sealed class LiteralParser(string text)
    {
        int pos;
        int depth;

        public bool AtEnd => pos >= text.Length;

        public DjangoQueryException Error(string what) =>
            new($"Invalid literal {text}: {what} at position {pos}.");

        public void SkipSpace()
        {
            while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r' or '\f') pos++;
        }

        public DjangoValue ParseExpression()
        {
            SkipSpace();
            if (AtEnd) throw Error("unexpected end");
            var c = text[pos];
            if (c is '[' or '(') return ParseSequence();
            if (c is '\'' or '"') return ParseStrings();
            if (c is '-' or '+' or '.' || char.IsAsciiDigit(c)) return ParseNumber();
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = pos;
                while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_')) pos++;
                var word = text[start..pos];
                // String prefixes other than none are not accepted (no bytes, f-strings or raw strings).
                return word switch
                {
                    "True" => new DjangoValue.Bool(true),
                    "False" => new DjangoValue.Bool(false),
                    "None" => DjangoValue.Null.Instance,
                    _ => throw new DjangoQueryException($"Invalid literal {text}: name '{word}' is not allowed."),
                };
            }
            throw Error($"unexpected character '{c}'");
        }

        DjangoValue ParseSequence()
        {
            var open = text[pos++];
            var close = open == '[' ? ']' : ')';
            if (++depth > 32) throw Error("nesting too deep");
            var items = new List<DjangoValue>();
            var sawComma = false;
            while (true)
            {
                SkipSpace();
                if (AtEnd) throw Error($"missing '{close}'");
                if (text[pos] == close)
                {
                    pos++;
                    break;
                }
                items.Add(ParseExpression());
                SkipSpace();
                if (AtEnd) throw Error($"missing '{close}'");
                if (text[pos] == ',')
                {
                    pos++;
                    sawComma = true;
                    continue;
                }
                if (text[pos] != close) throw Error($"expected ',' or '{close}'");
            }
            depth--;
            // Python: "(x)" is just x; "(x,)" and "()" are tuples.
            if (open == '(' && items.Count == 1 && !sawComma) return items[0];
            return new DjangoValue.Seq(items, open == '(');
        }

        DjangoValue ParseStrings()
        {
            var sb = new StringBuilder();
            do
            {
                ParseString(sb);
                SkipSpace();
            }
            while (!AtEnd && text[pos] is '\'' or '"');
            return new DjangoValue.Str(sb.ToString());
        }

        void ParseString(StringBuilder sb)
        {
            var quote = text[pos++];
            while (true)
            {
                if (AtEnd) throw Error("unterminated string");
                var c = text[pos++];
                if (c == quote) return;
                if (c is '\n' or '\r') throw Error("unterminated string");
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (AtEnd) throw Error("unterminated string");
                var e = text[pos++];
                switch (e)
                {
                    case '\\': sb.Append('\\'); break;
                    case '\'': sb.Append('\''); break;
                    case '"': sb.Append('"'); break;
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'v': sb.Append('\v'); break;
                    case '0': sb.Append('\0'); break;
                    case '\n': break;
                    case 'x': sb.Append((char)Hex(2)); break;
                    case 'u': sb.Append((char)Hex(4)); break;
                    case 'U': sb.Append(char.ConvertFromUtf32(Hex(8))); break;
                    default:
                        // Python keeps unknown escapes verbatim.
                        sb.Append('\\').Append(e);
                        break;
                }
            }
        }

        int Hex(int length)
        {
            if (pos + length > text.Length
                || !int.TryParse(text.AsSpan(pos, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
                || v > 0x10FFFF)
                throw Error("truncated \\x, \\u or \\U escape");
            pos += length;
            return v;
        }

        DjangoValue ParseNumber()
        {
            var start = pos;
            var negative = false;
            while (pos < text.Length && text[pos] is '-' or '+')
            {
                if (text[pos] == '-') negative = !negative;
                pos++;
                SkipSpace();
            }
            var bodyStart = pos;
            while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '_')) pos++;
            var isFloat = false;
            if (pos < text.Length && text[pos] == '.')
            {
                isFloat = true;
                pos++;
                while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '_')) pos++;
            }
            if (pos < text.Length && text[pos] is 'e' or 'E')
            {
                isFloat = true;
                pos++;
                if (pos < text.Length && text[pos] is '-' or '+') pos++;
                var expStart = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
                if (pos == expStart) throw Error("invalid number");
            }
            var body = text[bodyStart..pos].Replace("_", "", StringComparison.Ordinal);
            if (body.Length == 0 || body == "." || body.StartsWith('e') || body.StartsWith('E') || text[bodyStart] == '_' || text[pos - 1] == '_')
                throw Error("invalid number");
            if (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_')) throw Error("invalid number");
            if (isFloat)
            {
                var d = double.Parse(body, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d)) throw Error("number out of range");
                return new DjangoValue.Float(negative ? -d : d, text[start..pos]);
            }
            if (body.Length > 1 && body[0] == '0' && body.Any(ch => ch != '0')) throw Error("leading zeros in an integer");
            if (body.Length > 4300) throw Error("integer too long");
            var i = BigInteger.Parse(body, CultureInfo.InvariantCulture);
            // Wider than any column (a double's range): comparing it would overflow.
            if (!double.IsFinite((double)i)) throw Error("number out of range");
            return new DjangoValue.Int(negative ? -i : i);
        }
    }
}
