using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alyx.Http;

/// <summary>A parsed request body: the fields as JSON, uploaded files, and whether it came from a form.</summary>
public sealed record RequestData(JsonObject Fields, IFormFileCollection? Files, bool IsForm)
{
    /// <summary>A JSON array body, where the caller accepts one (bulk create); <see cref="Fields"/> is then empty.</summary>
    public JsonArray? Items { get; init; }
}

/// <summary>DRF's parsers: JSON, url-encoded and multipart forms; anything else is a 415, bad JSON a 400.</summary>
public static class RequestBody
{
    const int MaxDepth = 64;

    public static async Task<(RequestData? Data, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken ct, bool acceptList = false)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
            return (new RequestData([], null, false), null);
        var contentType = request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            JsonNode? node;
            try
            {
                var bytes = await ReadAllAsync(request.Body, ct);
                if (Utf8Error(bytes) is { } utf8) return (null, AlyxResults.BadRequest("JSON parse error - " + utf8));
                node = Parse(bytes);
            }
            catch (JsonException e)
            {
                return (null, AlyxResults.BadRequest("JSON parse error - " + FirstLine(e.Message)));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return (null, AlyxResults.BadRequest("JSON parse error - " + FirstLine(e.Message)));
            }
            if (node is null) return (new RequestData([], null, false), null);
            if (node is JsonArray items && acceptList) return (new RequestData([], null, false) { Items = items }, null);
            if (node is not JsonObject obj)
            {
                var type = node switch { JsonArray => "list", JsonValue v when v.GetValueKind() == JsonValueKind.String => "str", _ => "int" };
                return (null, AlyxResults.Validation("non_field_errors", $"Invalid data. Expected a dictionary, but got {type}."));
            }
            return (new RequestData(obj, null, false), null);
        }
        if (mediaType is "application/x-www-form-urlencoded" or "multipart/form-data")
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException e)
            {
                return (null, AlyxResults.BadRequest("Multipart form parse error - " + FirstLine(e.Message)));
            }
            var fields = new JsonObject();
            foreach (var (key, values) in form)
            {
                fields[key] = values.Count == 1
                    ? JsonValue.Create(values[0])
                    : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            return (new RequestData(fields, form.Files, true), null);
        }
        return (null, AlyxResults.Detail(StatusCodes.Status415UnsupportedMediaType, $"Unsupported media type \"{contentType}\" in request."));
    }

    static async Task<byte[]> ReadAllAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    /// <summary>Python's <c>UnicodeDecodeError</c> text for the first byte that is not UTF-8, or null when all of it is.</summary>
    static string? Utf8Error(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        var i = 0;
        while (i < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                i += consumed;
                continue;
            }
            var b = bytes[i];
            var reason = b is < 0xC2 or > 0xF4 ? "invalid start byte"
                : status == System.Buffers.OperationStatus.NeedMoreData ? "unexpected end of data" : "invalid continuation byte";
            return $"'utf-8' codec can't decode byte 0x{b:x2} in position {i}: {reason}";
        }
        return null;
    }

    /// <summary>
    /// The document as mutable nodes, built at once (nothing is left to fail later in a handler): a key given twice keeps
    /// its last value, and an escaped lone surrogate (<c>"\ud800"</c>) is read as Python reads it, for the fields to refuse.
    /// </summary>
    static JsonNode? Parse(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read())
        {
            // No token at all: the document parser's own message.
            using var _ = JsonDocument.Parse(bytes);
            return null;
        }
        var node = Read(ref reader);
        if (reader.Read()) throw new JsonException($"'{(char)bytes[reader.TokenStartIndex]}' is invalid after a single JSON value.");
        return node;
    }

    static JsonNode? Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var obj = new JsonObject();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var name = Text(ref reader);
                        reader.Read();
                        obj[name] = Read(ref reader);
                    }
                    return obj;
                }
            case JsonTokenType.StartArray:
                {
                    var array = new JsonArray();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) array.Add(Read(ref reader));
                    return array;
                }
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when reader.ValueIsEscaped && !Decodes(reader):
                return JsonValue.Create(Unescape(reader.ValueSpan));
            default:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
        }
    }

    static bool Decodes(Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    static string Text(ref Utf8JsonReader reader) => !reader.ValueIsEscaped || Decodes(reader) ? reader.GetString()! : Unescape(reader.ValueSpan);

    /// <summary>JSON string escapes decoded as Python's parser does, lone surrogates kept (the reader has checked the syntax).</summary>
    static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = System.Text.Encoding.UTF8.GetString(raw);
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            c = text[++i];
            switch (c)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    sb.Append((char)int.Parse(text.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
