using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alyx.Http;

/// <summary>A parsed request body: the fields as JSON, uploaded files, and whether it came from a form.</summary>
public sealed record RequestData(JsonObject Fields, IFormFileCollection? Files, bool IsForm);

/// <summary>DRF's parsers: JSON, url-encoded and multipart forms; anything else is a 415, bad JSON a 400.</summary>
public static class RequestBody
{
    const int MaxDepth = 64;

    public static async Task<(RequestData? Data, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
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
                node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken: ct);
            }
            catch (JsonException e)
            {
                return (null, AlyxResults.BadRequest("JSON parse error - " + FirstLine(e.Message)));
            }
            catch (ArgumentException e)
            {
                return (null, AlyxResults.BadRequest("JSON parse error - " + FirstLine(e.Message)));
            }
            if (node is null) return (new RequestData([], null, false), null);
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

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
