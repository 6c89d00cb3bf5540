using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Filtering;

/// <summary>
/// Foreign-key and many-to-many filters given a value that is not a UUID answer Django's UUIDField message (the model
/// field's ValidationError escapes the choice field), as the original does; a well-formed unknown id keeps the choice message.
/// </summary>
public sealed class ForeignKeyUuidTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string UnknownChoice = "Select a valid choice. That choice is not one of the available choices.";

    [Theory]
    [InlineData("/subjects?species=bad", "species", "bad")]
    [InlineData("/subjects?litter=bad", "litter", "bad")]
    [InlineData("/subjects?strain=bad", "strain", "bad")]
    [InlineData("/subjects?line=bad", "line", "bad")]
    [InlineData("/labs?cage_type=bad", "cage_type", "bad")]
    [InlineData("/sessions?parent_session=bad", "parent_session", "bad")]
    [InlineData("/labs?repositories=bad", "repositories", "bad")]
    [InlineData("/subjects?genotype=bad", "genotype", "bad")]
    [InlineData("/subjects?species=%E2%80%9Cq%E2%80%9D", "species", "\u201cq\u201d")]
    public async Task MalformedId_Answers400WithTheUuidMessage(string path, string filter, string value)
    {
        var client = await app.ClientForAsync();
        var expected = "{\"" + filter + "\":[\"\u201c" + value + "\u201d is not a valid UUID.\"],\"status_code\":400}";
        Assert.Equal(expected, await (await client.GetAsync(path, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("/subjects?species=", "species")]
    [InlineData("/sessions?parent_session=", "parent_session")]
    public async Task EmptyValue_IsNoFilter(string path, string filter)
    {
        var client = await app.ClientForAsync();
        var all = await (await client.GetAsync(path[..path.IndexOf('?')], Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var empty = await (await client.GetAsync(path, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all["count"]!.GetValue<int>(), empty["count"]!.GetValue<int>());
        Assert.False(empty.AsObject().ContainsKey(filter));
    }

    [Fact]
    public async Task WellFormedUnknownId_KeepsTheChoiceMessage()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"species\":[\"" + UnknownChoice + "\"],\"status_code\":400}",
            await (await client.GetAsync("/subjects?species=00000000-0000-0000-0000-000000000007", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"parent_session\":[\"" + UnknownChoice + "\"],\"status_code\":400}",
            await (await client.GetAsync("/sessions?parent_session=00000000-0000-0000-0000-000000000007", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"repositories\":[\"Select a valid choice. 00000000-0000-0000-0000-000000000007 is not one of the available choices.\"],\"status_code\":400}",
            await (await client.GetAsync("/labs?repositories=00000000-0000-0000-0000-000000000007", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }
}
