using System.Net;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Filtering;

/// <summary>django= bounds: numbers wider than a double, relation hops and the number of conditions are 400s, never 500s.</summary>
public sealed class DjangoLimitsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<HttpResponseMessage> GetAsync(string django)
    {
        var client = await app.ClientForAsync();
        return await client.GetAsync("/labs?limit=1000&django=" + Uri.EscapeDataString(django), Ct);
    }

    async Task<string> ErrorAsync(string django)
    {
        var body = await (await GetAsync(django)).ReadJsonAsync(HttpStatusCode.BadRequest);
        return Assert.Single(body["django"]!.AsArray())!.GetValue<string>();
    }

    static readonly string Digits309 = new('9', 309);

    [Theory]
    [InlineData("light_cycle")]
    [InlineData("reference_weight_pct")]
    [InlineData("cage_cleaning_frequency_days__gt")]
    [InlineData("json__n")]
    public async Task HugeBareNumber_Is400NamingIt(string field) =>
        Assert.Equal("The number 99999999999999999999...(309 digits) is out of range.", await ErrorAsync($"{field},{Digits309}"));

    [Theory]
    [InlineData("light_cycle__in,[{0}]", 310)]
    [InlineData("reference_weight_pct__in,[{0}]", 310)]
    [InlineData("json__n__in,[{0}]", 310)]
    [InlineData("light_cycle__in,[{0}.5]", 312)]
    [InlineData("reference_weight_pct__in,[1e400]", 6)]
    public async Task HugeLiteralNumber_Is400(string template, int position)
    {
        var django = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Digits309);
        var literal = django[django.IndexOf('[', StringComparison.Ordinal)..];
        Assert.Equal($"Invalid literal {literal}: number out of range at position {position}.", await ErrorAsync(django));
    }

    [Fact]
    public async Task LargestNumbersThatFit_AreAccepted()
    {
        // 308 nines is below double.MaxValue (1.79e308): a valid, if useless, comparison.
        var name = AlyxApp.Unique("lim");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Lab { Name = name, ReferenceWeightPct = 0.5 });
            await db.SaveChangesAsync(Ct);
        });
        var body = await (await GetAsync($"name,{name},reference_weight_pct__lt,{new string('9', 308)}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, body["count"]!.GetValue<int>());
        await (await GetAsync($"name,{name},light_cycle,{new string('9', 308)}")).AssertStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FiveRelations_AreAccepted_SixAre400()
    {
        const string five = "repositories__lab__repositories__lab__repositories__name";
        var body = await (await GetAsync(five + ",x")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, body["count"]!.GetValue<int>());
        const string six = "repositories__lab__repositories__lab__repositories__lab__name";
        Assert.Equal($"\"{six}\" follows more than 5 relations.", await ErrorAsync(six + ",x"));
        Assert.Equal($"\"{six}\" follows more than 5 relations.", await ErrorAsync("~" + six + ",x"));
    }

    [Fact]
    public async Task TwentyConditions_AreAccepted_TwentyOneAre400()
    {
        static string Conditions(int n) => string.Join(",", Enumerable.Range(0, n).Select(i => $"~json__k{i},v{i}"));
        await (await GetAsync(Conditions(20))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Too many conditions (21): at most 20 are allowed.", await ErrorAsync(Conditions(21)));
    }
}
