using System.Text.Json.Nodes;
using Alyx.Http;
using Alyx.OpenApi;

namespace Alyx.Tests.OpenApi;

/// <summary>Component shapes for field kinds no mapped resource uses yet (choices), built without HTTP.</summary>
public sealed class SchemaComponentsTests
{
    static JsonObject Build(params Field[] fields)
    {
        var serializer = new Serializer("Thing", fields);
        ApiOperation[] operations =
        [
            new("/things", "post", "things", "create", serializer, serializer, null, [], 201),
            new("/things/{id}", "patch", "things", "partial_update", serializer, serializer, null, ["id"], 200),
        ];
        return SchemaDocument.Build(operations, null!);
    }

    [Fact]
    public void Build_ChoiceFields_ReferToFieldEnumsAndBlankEnum()
    {
        var doc = Build(
            new Field("sex", FieldKind.Choice) { Choices = ["M", "F", "U"] },
            new Field("zygosity", FieldKind.Choice) { Choices = ["0", "1", "2", "3"], ReadType = "integer", AllowBlank = false });

        var schemas = doc["components"]!["schemas"]!;
        Assert.Equal("{\"enum\":[\"M\",\"F\",\"U\"],\"type\":\"string\"}", schemas["SexEnum"]!.ToJsonString());
        Assert.Equal("{\"enum\":[0,1,2,3],\"type\":\"integer\"}", schemas["ZygosityEnum"]!.ToJsonString());
        Assert.Equal("{\"enum\":[\"\"]}", schemas["BlankEnum"]!.ToJsonString());
        var properties = schemas["Thing"]!["properties"]!;
        Assert.Equal("{\"oneOf\":[{\"$ref\":\"#/components/schemas/SexEnum\"},{\"$ref\":\"#/components/schemas/BlankEnum\"}]}",
            properties["sex"]!.ToJsonString());
        Assert.Equal("{\"allOf\":[{\"$ref\":\"#/components/schemas/ZygosityEnum\"}]}", properties["zygosity"]!.ToJsonString());
    }

    [Fact]
    public void Build_UuidItemPath_HasUuidPathParameterAndPatchedComponentWithoutRequired()
    {
        var doc = Build(new Field("name", FieldKind.String) { Required = true }, new Field("at", FieldKind.DateTime) { Nullable = true });

        var patch = doc["paths"]!["/things/{id}"]!["patch"]!;
        Assert.Equal("{\"in\":\"path\",\"name\":\"id\",\"schema\":{\"type\":\"string\",\"format\":\"uuid\"},\"required\":true}",
            patch["parameters"]![0]!.ToJsonString());
        Assert.Equal("things_partial_update", patch["operationId"]!.GetValue<string>());
        Assert.Null(patch["requestBody"]!["required"]);
        var schemas = doc["components"]!["schemas"]!;
        Assert.Null(schemas["PatchedThing"]!["required"]);
        Assert.Equal("[\"name\"]", schemas["Thing"]!["required"]!.ToJsonString());
        Assert.Equal("{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}", schemas["Thing"]!["properties"]!["at"]!.ToJsonString());
    }
}
