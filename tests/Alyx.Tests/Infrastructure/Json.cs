using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Alyx.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.AssertStatusAsync(expected);
        return JsonNode.Parse(body)!;
    }

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    public static JsonContent Body(object value) => JsonContent.Create(value);

    public static List<string> Keys(this JsonNode node) => node.AsObject().Select(p => p.Key).ToList();

    public static List<string?> Strings(this JsonNode? node) => node!.AsArray().Select(n => n?.GetValue<string>()).ToList();
}
