using System.Net;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Filtering;

/// <summary>django= through /labs: numbers, nullable integers, many-to-many repositories and JSON key lookups.</summary>
public sealed class DjangoLabsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Seed(string Prefix, Lab A, Lab B, Lab C, string Repository);

    /// <summary>Three labs: a (JSON with every kind of value, repository), b (other JSON values), c (no JSON).</summary>
    async Task<Seed> SeedAsync()
    {
        var prefix = AlyxApp.Unique("djl");
        var repository = new DataRepository { Name = prefix + "_repo" };
        var a = new Lab
        {
            Name = prefix + "_a",
            Institution = "Inst 100%",
            ReferenceWeightPct = 0.5,
            LightCycle = 1,
            CageCleaningFrequencyDays = 7,
            Json = """{"k": "v", "n": 5, "nested": {"x": "deep", "y": {"z": 1.5}}, "flag": true, "nul": null, "arr": [10, "two"], "s": "5"}""",
        };
        a.Repositories.Add(repository);
        var b = new Lab
        {
            Name = prefix + "_b",
            Institution = "Inst_2",
            ReferenceWeightPct = 0.25,
            Json = """{"k": "w", "n": 12.5, "flag": false, "nested": {"x": "Deeper"}}""",
        };
        var c = new Lab { Name = prefix + "_c", Institution = "Other", ReferenceWeightPct = 0, LightCycle = 0 };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(a, b, c);
            await db.SaveChangesAsync(Ct);
        });
        return new Seed(prefix, a, b, c, repository.Name);
    }

    async Task<HttpResponseMessage> GetAsync(string django)
    {
        var client = await app.ClientForAsync();
        return await client.GetAsync("/labs?limit=1000&django=" + Uri.EscapeDataString(django), Ct);
    }

    async Task<List<string>> NamesAsync(Seed seed, string django)
    {
        var body = await (await GetAsync(django)).ReadJsonAsync(HttpStatusCode.OK);
        return body["results"]!.AsArray().Select(u => u!["name"]!.GetValue<string>())
            .Where(n => n.StartsWith(seed.Prefix + "_", StringComparison.Ordinal))
            .Select(n => n[(seed.Prefix.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
    }

    async Task<string> ErrorAsync(string django)
    {
        var body = await (await GetAsync(django)).ReadJsonAsync(HttpStatusCode.BadRequest);
        return Assert.Single(body["django"]!.AsArray())!.GetValue<string>();
    }

    [Theory]
    [InlineData("reference_weight_pct,0.5", "a")]
    [InlineData("reference_weight_pct,.5", "a")]
    [InlineData("reference_weight_pct__gt,0.3", "a")]
    [InlineData("reference_weight_pct__gte,0.25", "a b")]
    [InlineData("reference_weight_pct__lt,0.25", "c")]
    [InlineData("reference_weight_pct__lte,0", "c")]
    [InlineData("reference_weight_pct__range,(0.2, 0.3)", "b")]
    [InlineData("reference_weight_pct__in,[0, 0.5]", "a c")]
    [InlineData("light_cycle,1", "a")]
    [InlineData("light_cycle,0", "c")]
    [InlineData("light_cycle__isnull,True", "b")]
    [InlineData("~light_cycle,1", "b c")]
    [InlineData("~light_cycle__gt,0", "b c")]
    [InlineData("cage_cleaning_frequency_days,7.9", "a")]
    [InlineData("cage_cleaning_frequency_days__in,[7, None]", "a")]
    [InlineData("institution__contains,%", "a")]
    [InlineData("institution__contains,_", "b")]
    [InlineData("institution__icontains,inst", "a b")]
    [InlineData("institution__startswith,Inst_", "b")]
    public async Task ListLabs_DjangoColumnLookups_MatchExpectedLabs(string django, string expected)
    {
        var seed = await SeedAsync();
        Assert.Equal(expected.Split(' '), await NamesAsync(seed, django));
    }

    [Fact]
    public async Task ListLabs_DjangoNameIn_ReturnsListedLabs()
    {
        var seed = await SeedAsync();
        Assert.Equal(["a", "c"], await NamesAsync(seed, $"name__in,[\"{seed.A.Name}\", \"{seed.C.Name}\"]"));
        Assert.Equal(["b"], await NamesAsync(seed, $"~name__in,('{seed.A.Name}', '{seed.C.Name}'),name__startswith,{seed.Prefix}"));
    }

    [Fact]
    public async Task ListLabs_DjangoRepositories_FollowsManyToMany()
    {
        var seed = await SeedAsync();
        Assert.Equal(["a"], await NamesAsync(seed, $"repositories__name,{seed.Repository}"));
        Assert.Equal(["b", "c"], await NamesAsync(seed, $"~repositories__name,{seed.Repository}"));
        Assert.Equal(["b", "c"], await NamesAsync(seed, "repositories__isnull,True"));
    }

    [Theory]
    [InlineData("json__k,v", "a")]
    [InlineData("json__k__exact,w", "b")]
    [InlineData("~json__k,v", "b c")]
    [InlineData("json__k__in,['v', 'w', 'x']", "a b")]
    [InlineData("json__k__iexact,V", "a")]
    [InlineData("json__k__icontains,V", "a")]
    [InlineData("json__nested__x,deep", "a")]
    [InlineData("json__nested__x__istartswith,DEEP", "a b")]
    [InlineData("json__nested__x__startswith,Deep", "b")]
    [InlineData("json__nested__x__endswith,er", "b")]
    [InlineData("json__nested__x__regex,^D", "b")]
    [InlineData("json__nested__y__z,1.5", "a")]
    [InlineData("json__nested__y__z__lt,2", "a")]
    [InlineData("json__n,5", "a")]
    [InlineData("json__n,5.0", "a")]
    [InlineData("json__n,12.5", "b")]
    [InlineData("json__n__gt,6", "b")]
    [InlineData("json__n__gte,5", "a b")]
    [InlineData("json__n__lte,5", "a")]
    [InlineData("json__n__range,[1, 10]", "a")]
    [InlineData("json__n__in,[5, 12.5]", "a b")]
    [InlineData("json__s,5", "")]
    [InlineData("json__s,('5')", "a")]
    [InlineData("json__n,('5')", "")]
    [InlineData("json__flag,True", "a")]
    [InlineData("json__flag,false", "b")]
    [InlineData("~json__flag,True", "b c")]
    [InlineData("json__nul,None", "a")]
    [InlineData("json__nul__isnull,False", "a")]
    [InlineData("json__missing__isnull,True", "a b c")]
    [InlineData("json__nested__isnull,True", "c")]
    [InlineData("json__arr__0,10", "a")]
    [InlineData("json__arr__1,two", "a")]
    [InlineData("json__has_key,nested", "a b")]
    [InlineData("json__nested__has_key,y", "a")]
    [InlineData("json__has_keys,['k', 'arr']", "a")]
    [InlineData("json__has_any_keys,['arr', 'nested']", "a b")]
    [InlineData("~json__has_key,arr", "b c")]
    [InlineData("json__isnull,True", "c")]
    [InlineData("json__isnull,False", "a b")]
    [InlineData("json,None", "c")]
    public async Task ListLabs_DjangoJsonKeyLookups_MatchExpectedLabs(string django, string expected)
    {
        var seed = await SeedAsync();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await NamesAsync(seed, django));
    }

    [Theory]
    [InlineData("json__contains,{}", "The 'contains' lookup on JSON fields is not supported by this server.")]
    [InlineData("json__k__contained_by,x", "The 'contained_by' lookup on JSON fields is not supported by this server.")]
    [InlineData("json__icontains,x", "Unsupported lookup 'icontains' for JSONField: compare a key inside the document (json__<key>__icontains) instead.")]
    [InlineData("json__k,[1, 2]", "Lists and tuples cannot be compared with a JSON key ('json__k').")]
    [InlineData("json__a\"b,1", "Invalid JSON key 'a\"b' in 'json__a\"b'.")]
    [InlineData("json__a__b__c__d__e__f__g__h__i,1", "JSON paths are limited to 8 keys ('json__a__b__c__d__e__f__g__h__i').")]
    public async Task ListLabs_DjangoUnsupportedJsonLookup_Returns400(string django, string expected) =>
        Assert.Equal(expected, await ErrorAsync(django));

    [Fact]
    public async Task ListLabs_DjangoUnknownField_Returns400ListingChoices()
    {
        var message = await ErrorAsync("foo__bar,1");
        Assert.StartsWith("Cannot resolve keyword 'foo' into field. Choices are: ", message);
        Assert.Contains("repositories", message);
        Assert.Contains("labmembership", message);
        Assert.Contains("cage_type_id", message);
    }

    [Theory]
    [InlineData("name,__import__('os')")]
    [InlineData("name,'; DROP TABLE misc_lab; --")]
    [InlineData("json__k,'); DROP TABLE misc_lab; --")]
    [InlineData("json__k') IS NULL OR 1=1 --,x")]
    public async Task ListLabs_DjangoInjection_MatchesNothingAndLeavesTableIntact(string django)
    {
        var seed = await SeedAsync();
        var response = await GetAsync(django);
        if (response.StatusCode == HttpStatusCode.OK) Assert.Empty(await NamesAsync(seed, django));
        else await response.AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["a", "b", "c"], await NamesAsync(seed, $"name__startswith,{seed.Prefix}"));
        Assert.Equal(3, await app.WithDbAsync(db => db.Labs.CountAsync(l => l.Name.StartsWith(seed.Prefix), Ct)));
    }

    [Fact]
    public async Task ListLabs_DjangoCodeInBrackets_Returns400()
    {
        var seed = await SeedAsync();
        Assert.StartsWith("Invalid literal", await ErrorAsync("name__in,[__import__('os').system('x')]"));
        Assert.Equal(["a", "b", "c"], await NamesAsync(seed, $"name__startswith,{seed.Prefix}"));
    }

    [Fact]
    public async Task ListLabs_DjangoForeignKey_ComparesTheKey()
    {
        var seed = await SeedAsync();
        var food = new Food { Name = seed.Prefix + "_food" };
        await app.WithDbAsync(async db =>
        {
            db.Foods.Add(food);
            await db.SaveChangesAsync(Ct);
            await db.Labs.Where(l => l.Id == seed.B.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.FoodId, food.Id), Ct);
        });
        Assert.Equal(["b"], await NamesAsync(seed, $"food,{food.Id}"));
        Assert.Equal(["b"], await NamesAsync(seed, $"food_id,{food.Id}"));
        Assert.Equal(["b"], await NamesAsync(seed, $"food__name,{food.Name}"));
        Assert.Equal(["a", "c"], await NamesAsync(seed, "food__isnull,True"));
        Assert.Equal(["a", "c"], await NamesAsync(seed, $"~food__name,{food.Name}"));
        Assert.Equal(["b"], await NamesAsync(seed, $"food__in,['{food.Id}']"));
    }
}
