using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alyx.Http;

/// <summary>A JSON response in Alyx's encoding: <c>application/json</c> without charset, compact, Python floats.</summary>
public sealed class AlyxJsonResult(object? value, int statusCode = StatusCodes.Status200OK, Type? type = null) : IResult
{
    public object? Value { get; } = value;

    public int StatusCode { get; } = statusCode;

    /// <summary>The bytes this result sends for <paramref name="value"/> (stored idempotent answers are written the same way).</summary>
    public static byte[] Serialize(object? value, Type type)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = AlyxJson.Options.Encoder, SkipValidation = true }))
            JsonSerializer.Serialize(writer, value, type, AlyxJson.Options);
        return buffer.WrittenMemory.ToArray();
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.Headers.Vary = "Accept";
        // Written into pooled buffers (a large page would otherwise be a new large-object-heap array per response).
        using var buffer = new PooledBufferWriter();
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = AlyxJson.Options.Encoder, SkipValidation = true }))
            JsonSerializer.Serialize(writer, Value, type ?? Value?.GetType() ?? typeof(object), AlyxJson.Options);
        httpContext.Response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}

/// <summary>Alyx's error bodies (conventions §9): every error carries <c>status_code</c>.</summary>
public static class AlyxResults
{
    public static IResult Ok<T>(T value) => new AlyxJsonResult(value, StatusCodes.Status200OK, typeof(T));

    public static IResult Created<T>(T value, string? location = null) =>
        location is null
            ? new AlyxJsonResult(value, StatusCodes.Status201Created, typeof(T))
            : new WithLocation(new AlyxJsonResult(value, StatusCodes.Status201Created, typeof(T)), location);

    public static IResult NoContent() => Results.StatusCode(StatusCodes.Status204NoContent);

    public static IResult Detail(int status, string detail) => new AlyxJsonResult(DetailBody(status, detail), status);

    public static JsonObject DetailBody(int status, string detail) => new() { ["detail"] = detail, ["status_code"] = status };

    public static IResult NotFound(string model) => Detail(StatusCodes.Status404NotFound, $"No {model} matches the given query.");

    public static IResult Forbidden(string detail = "You do not have permission to perform this action.") =>
        Detail(StatusCodes.Status403Forbidden, detail);

    public static IResult BadRequest(string detail) => Detail(StatusCodes.Status400BadRequest, detail);

    /// <summary>DRF's 400: field errors in <paramref name="serializer"/>'s field order when given (else as added), then non_field_errors.</summary>
    public static IResult Validation(ErrorMap errors, Serializer? serializer = null) =>
        new AlyxJsonResult(errors.ToBody(serializer), StatusCodes.Status400BadRequest);

    public static IResult Validation(string field, string message) => Validation(new ErrorMap().Add(field, message));

    public static JsonObject ServerErrorBody() => new() { ["status_code"] = 500, ["detail"] = "A server error occurred." };

    sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}

/// <summary>DRF-style field errors, in serializer field order (or insertion order), <c>non_field_errors</c> last.</summary>
public sealed class ErrorMap
{
    readonly List<KeyValuePair<string, List<string>>> entries = [];

    public bool Any => entries.Count > 0;

    public bool Has(string field) => entries.Exists(e => e.Key == field);

    public ErrorMap Add(string field, string message)
    {
        var i = entries.FindIndex(e => e.Key == field);
        if (i < 0) entries.Add(new(field, [message]));
        else entries[i].Value.Add(message);
        return this;
    }

    /// <summary>
    /// The body: fields the serializer declares in its order (DRF validates fields in declaration order, references and
    /// uniqueness included), then other keys as added, then non_field_errors, then <c>status_code</c>.
    /// </summary>
    public JsonObject ToBody(Serializer? serializer = null)
    {
        var o = new JsonObject();
        var fields = entries.Where(e => e.Key != "non_field_errors");
        if (serializer is not null)
        {
            var rank = serializer.Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i);
            fields = fields.OrderBy(e => rank.GetValueOrDefault(e.Key, int.MaxValue));
        }
        foreach (var (k, v) in fields.Concat(entries.Where(e => e.Key == "non_field_errors")))
            o[k] = new JsonArray(v.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        o["status_code"] = 400;
        return o;
    }
}
