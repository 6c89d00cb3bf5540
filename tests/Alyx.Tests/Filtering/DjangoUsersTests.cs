using System.Net;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Filtering;

/// <summary>django= through /users: values, lookups, transforms, relations, exclusion, errors and secrets.</summary>
public sealed class DjangoUsersTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Seed(string Prefix, LabMember Alice, LabMember Bob, LabMember Carol, string Lab1, string Lab2);

    /// <summary>Three users under a unique prefix: alice (lab1, delegates to bob), bob (lab2), carol (no lab).</summary>
    async Task<Seed> SeedAsync()
    {
        var prefix = AlyxApp.Unique("dj");
        var alice = new LabMember
        {
            Username = prefix + "_alice",
            FirstName = "Alice",
            LastName = "Smith",
            Email = "alice@lab.org",
            DateJoined = new DateTime(2019, 6, 15, 10, 30, 45),
            IsStockManager = true,
        };
        var bob = new LabMember
        {
            Username = prefix + "_bob",
            FirstName = "bob",
            LastName = "O'Brien",
            Email = "bob_1@lab.org",
            DateJoined = new DateTime(2021, 3, 2, 23, 59, 59),
            LastLogin = new DateTime(2021, 3, 3, 8, 0, 0),
        };
        var carol = new LabMember
        {
            Username = prefix + "_carol",
            FirstName = "123",
            LastName = "Jones",
            Email = "c%rol@lab.org",
            DateJoined = new DateTime(2020, 1, 1),
            LastLogin = new DateTime(2020, 2, 1, 12, 0, 0),
            IsStaff = true,
        };
        alice.AllowedUsers.Add(bob);
        var lab1 = new Lab { Name = prefix + "_lab1" };
        var lab2 = new Lab { Name = prefix + "_lab2" };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(alice, bob, carol, lab1, lab2);
            db.LabMemberships.Add(new LabMembership { User = alice, Lab = lab1, StartDate = new DateOnly(2019, 1, 1) });
            db.LabMemberships.Add(new LabMembership { User = bob, Lab = lab2 });
            await db.SaveChangesAsync();
        });
        return new Seed(prefix, alice, bob, carol, lab1.Name, lab2.Name);
    }

    async Task<HttpResponseMessage> GetAsync(string django)
    {
        var client = await app.ClientForAsync();
        return await client.GetAsync("/users?limit=1000&django=" + Uri.EscapeDataString(django), Ct);
    }

    /// <summary>The seeded users (by short name) that the filter returns.</summary>
    async Task<List<string>> NamesAsync(Seed seed, string django)
    {
        var body = await (await GetAsync(django)).ReadJsonAsync(HttpStatusCode.OK);
        return body["results"]!.AsArray().Select(u => u!["username"]!.GetValue<string>())
            .Where(n => n.StartsWith(seed.Prefix + "_", StringComparison.Ordinal))
            .Select(n => n[(seed.Prefix.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
    }

    async Task<string> ErrorAsync(string django)
    {
        var body = await (await GetAsync(django)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["django", "status_code"], body.Keys());
        Assert.Equal(400, body["status_code"]!.GetValue<int>());
        return Assert.Single(body["django"]!.AsArray())!.GetValue<string>();
    }

    [Fact]
    public async Task ListUsers_DjangoPk_ReturnsOnlyThatUser()
    {
        var seed = await SeedAsync();
        Assert.Equal(["bob"], await NamesAsync(seed, $"pk,{seed.Bob.Id}"));
        Assert.Equal(["bob"], await NamesAsync(seed, $"id,{seed.Bob.Id.ToString("N").ToUpperInvariant()}"));
    }

    [Fact]
    public async Task ListUsers_DjangoIdInPythonList_ReturnsListedUsers()
    {
        var seed = await SeedAsync();
        Assert.Equal(["alice", "carol"], await NamesAsync(seed, $"id__in,['{seed.Alice.Id}', '{seed.Carol.Id}']"));
        Assert.Equal(["alice", "bob"], await NamesAsync(seed, $"pk__in,('{seed.Alice.Id}','{seed.Bob.Id}')"));
        Assert.Equal(["bob"], await NamesAsync(seed, $"pk__in,(\"{seed.Bob.Id}\",)"));
        Assert.Equal(["alice", "carol"], await NamesAsync(seed, $"~pk__in,['{seed.Bob.Id}']"));
    }

    [Fact]
    public async Task ListUsers_DjangoInEmptyList_ReturnsNothing()
    {
        var seed = await SeedAsync();
        var body = await (await GetAsync("id__in,[]")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, body["count"]!.GetValue<int>());
        Assert.Equal(["alice", "bob", "carol"], await NamesAsync(seed, "~username__in,()"));
    }

    [Fact]
    public async Task ListUsers_DjangoExclusion_PartitionsRows()
    {
        var seed = await SeedAsync();
        var inside = await NamesAsync(seed, "date_joined__date__lt,2020-01-01");
        var outside = await NamesAsync(seed, "~date_joined__date__lt,2020-01-01");
        Assert.Equal(["alice"], inside);
        Assert.Equal(["bob", "carol"], outside);
    }

    [Theory]
    [InlineData("date_joined__year,2019", "alice")]
    [InlineData("date_joined__year,2019.0", "alice")]
    [InlineData("date_joined__year,('2019')", "alice")]
    [InlineData("date_joined__year__gte,2020", "bob carol")]
    [InlineData("date_joined__month,6", "alice")]
    [InlineData("date_joined__day__in,[1, 2]", "bob carol")]
    [InlineData("date_joined__hour,23", "bob")]
    [InlineData("date_joined__minute,30", "alice")]
    [InlineData("date_joined__second,59", "bob")]
    [InlineData("date_joined__date,2021-03-02", "bob")]
    [InlineData("date_joined__date__range,['2019-06-15', '2020-01-01']", "alice carol")]
    [InlineData("date_joined__week_day,7", "alice")]
    [InlineData("date_joined__iso_week_day,2", "bob")]
    [InlineData("date_joined__quarter,1", "bob carol")]
    [InlineData("date_joined__time,10:30:45", "alice")]
    [InlineData("date_joined__time__lt,01:00", "carol")]
    [InlineData("date_joined__time__range,('10:00', '23:59:59')", "alice bob")]
    [InlineData("date_joined,2020-01-01", "carol")]
    [InlineData("date_joined,2020-01-01T00:00:00", "carol")]
    [InlineData("date_joined__gt,2021-03-02 23:59:58", "bob")]
    [InlineData("last_login__date__lte,2020-12-31", "carol")]
    [InlineData("last_login__year,2021", "bob")]
    [InlineData("~last_login__year,2021", "alice carol")]
    public async Task ListUsers_DjangoDateTransforms_MatchExpectedUsers(string django, string expected)
    {
        var seed = await SeedAsync();
        Assert.Equal(expected.Split(' '), await NamesAsync(seed, django));
    }

    [Theory]
    [InlineData("first_name,Alice", "alice")]
    [InlineData("first_name,alice", "")]
    [InlineData("first_name__exact,bob", "bob")]
    [InlineData("first_name__iexact,ALICE", "alice")]
    // A bare number is a Python float: '123.0' is not carol's '123' (as in the original).
    [InlineData("first_name,123", "")]
    [InlineData("first_name__startswith,123.0", "")]
    [InlineData("first_name__startswith,12", "")]
    [InlineData("last_name__contains,Bri", "bob")]
    [InlineData("last_name__contains,bri", "")]
    [InlineData("last_name__icontains,o'b", "bob")]
    [InlineData("email__contains,_", "bob")]
    [InlineData("email__contains,%", "carol")]
    [InlineData("email__startswith,c%", "carol")]
    [InlineData("email__startswith,C%", "")]
    [InlineData("email__istartswith,C%", "carol")]
    [InlineData("email__startswith,bob_", "bob")]
    [InlineData("email__startswith,bo_", "")]
    [InlineData("email__endswith,_1@lab.org", "bob")]
    [InlineData("email__endswith,b_1@lab.org", "bob")]
    [InlineData("email__endswith,x_1@lab.org", "")]
    [InlineData("email__endswith,%rol@lab.org", "carol")]
    [InlineData("email__endswith,%@lab.org", "")]
    [InlineData("email__iendswith,%ROL@LAB.ORG", "carol")]
    [InlineData("email__endswith,a-very-long-suffix-longer-than-any-email@lab.org", "")]
    [InlineData("last_name__endswith,ith", "alice")]
    [InlineData("last_name__endswith,ITH", "")]
    [InlineData("last_name__iendswith,ITH", "alice")]
    [InlineData("email__endswith,lab.org", "alice bob carol")]
    [InlineData("first_name__gt,B", "bob")]
    [InlineData("first_name__lte,Alice", "alice carol")]
    [InlineData("last_name__range,('J', 'P')", "bob carol")]
    [InlineData("last_name__in,['Smith', \"O'Brien\", 'nobody']", "alice bob")]
    [InlineData("last_name__regex,^O'", "bob")]
    [InlineData("last_name__regex,^smi", "")]
    [InlineData("last_name__iregex,^smi", "alice")]
    [InlineData("last_name__iregex,(jones|brien)$", "bob carol")]
    [InlineData("~last_name__iregex,(jones|brien)$", "alice")]
    public async Task ListUsers_DjangoTextLookups_MatchExpectedUsers(string django, string expected)
    {
        var seed = await SeedAsync();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), await NamesAsync(seed, django));
    }

    [Theory]
    [InlineData("is_stock_manager,True", "alice")]
    [InlineData("is_stock_manager,true", "alice")]
    [InlineData("is_stock_manager,1", "alice")]
    [InlineData("is_stock_manager,('t')", "alice")]
    [InlineData("is_stock_manager,False", "bob carol")]
    [InlineData("~is_stock_manager,False", "alice")]
    [InlineData("is_staff__in,[True]", "carol")]
    [InlineData("last_login,None", "alice")]
    [InlineData("~last_login,None", "bob carol")]
    [InlineData("last_login__isnull,True", "alice")]
    [InlineData("last_login__isnull,False", "bob carol")]
    [InlineData("~last_login__isnull,True", "bob carol")]
    [InlineData("last_login__gt,2020-06-01", "bob")]
    [InlineData("~last_login__gt,2020-06-01", "alice carol")]
    public async Task ListUsers_DjangoBooleansAndNulls_MatchExpectedUsers(string django, string expected)
    {
        var seed = await SeedAsync();
        Assert.Equal(expected.Split(' '), await NamesAsync(seed, django));
    }

    [Fact]
    public async Task ListUsers_DjangoRelationPaths_FollowForwardReverseAndManyToMany()
    {
        var seed = await SeedAsync();
        Assert.Equal(["alice"], await NamesAsync(seed, $"labmembership__lab__name,{seed.Lab1}"));
        Assert.Equal(["bob", "carol"], await NamesAsync(seed, $"~labmembership__lab__name,{seed.Lab1}"));
        Assert.Equal(["alice", "bob"], await NamesAsync(seed, $"labmembership__lab__name__startswith,{seed.Prefix}"));
        Assert.Equal(["carol"], await NamesAsync(seed, "labmembership__isnull,True"));
        Assert.Equal(["alice", "bob"], await NamesAsync(seed, "labmembership__isnull,False"));
        // As Django's LEFT OUTER JOIN for isnull=True: a user without memberships has a NULL start date too.
        Assert.Equal(["bob", "carol"], await NamesAsync(seed, "labmembership__start_date__isnull,True"));
        Assert.Equal(["alice"], await NamesAsync(seed, "~labmembership__start_date__isnull,True"));
        Assert.Equal(["alice"], await NamesAsync(seed, "labmembership__start_date__year,2019"));
        Assert.Equal(["alice"], await NamesAsync(seed, $"allowed_users__username,{seed.Bob.Username}"));
        Assert.Equal(["alice"], await NamesAsync(seed, $"allowed_users,{seed.Bob.Id}"));
        Assert.Equal(["alice"], await NamesAsync(seed, $"allowed_users__in,['{seed.Bob.Id}']"));
        Assert.Equal(["bob", "carol"], await NamesAsync(seed, $"~allowed_users__username,{seed.Bob.Username}"));
        Assert.Equal(["bob"], await NamesAsync(seed, $"labmember__username,{seed.Alice.Username}"));
        Assert.Equal(["bob"], await NamesAsync(seed, $"labmember__labmembership__lab__name,{seed.Lab1}"));
    }

    [Fact]
    public async Task ListUsers_DjangoConditionsInSequence_AreAllApplied()
    {
        var seed = await SeedAsync();
        Assert.Equal(["bob"], await NamesAsync(seed, "email__endswith,lab.org,~first_name__in,['Alice', '123'],is_staff,False"));
    }

    [Fact]
    public async Task ListUsers_DjangoCombinedWithFieldFilter_AndsThem()
    {
        var seed = await SeedAsync();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/users?username={seed.Bob.Username}&django=" + Uri.EscapeDataString("is_stock_manager,False"), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([seed.Bob.Username], body["results"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
        body = await (await client.GetAsync($"/users?username={seed.Bob.Username}&django=" + Uri.EscapeDataString("is_stock_manager,True"), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(body["results"]!.AsArray());
    }

    [Fact]
    public async Task ListUsers_DjangoEmpty_IsIgnored()
    {
        var seed = await SeedAsync();
        Assert.Equal(["alice", "bob", "carol"], await NamesAsync(seed, ""));
    }

    [Fact]
    public async Task ListUsers_DjangoUnknownField_Returns400NamingIt()
    {
        var message = await ErrorAsync("foo,1");
        Assert.StartsWith("Cannot resolve keyword 'foo' into field. Choices are: ", message);
        Assert.Contains("username", message);
        Assert.Contains("allowed_users", message);
        Assert.DoesNotContain("password", message);
        Assert.DoesNotContain("token", message);
    }

    [Fact]
    public async Task ListUsers_DjangoUnknownFieldAfterRelation_Returns400NamingIt()
    {
        var message = await ErrorAsync("labmembership__lab__nope,1");
        Assert.StartsWith("Cannot resolve keyword 'nope' into field. Choices are: ", message);
        Assert.Contains("institution", message);
    }

    [Theory]
    [InlineData("username__foo,1", "Unsupported lookup 'foo' for CharField or join on the field not permitted.")]
    [InlineData("username__exact__gt,1", "Unsupported lookup 'exact' for CharField or join on the field not permitted.")]
    [InlineData("is_staff__gt,1", "Unsupported lookup 'gt' for BooleanField or join on the field not permitted.")]
    [InlineData("date_joined__year__icontains,1", "Unsupported lookup 'icontains' for IntegerField or join on the field not permitted.")]
    [InlineData("username__year,2019", "Unsupported lookup 'year' for CharField or join on the field not permitted.")]
    [InlineData("id__icontains,ab", "Unsupported lookup 'icontains' for UUIDField or join on the field not permitted.")]
    public async Task ListUsers_DjangoUnknownLookup_Returns400NamingIt(string django, string expected) =>
        Assert.Equal(expected, await ErrorAsync(django));

    [Theory]
    [InlineData("id,abc", "“abc” is not a valid UUID.")]
    [InlineData("date_joined__year,abc", "Field 'date_joined__year' expected a number but got 'abc'.")]
    [InlineData("date_joined__date,2020-13-01", "“2020-13-01” value has an invalid date format. It must be in YYYY-MM-DD format.")]
    [InlineData("is_staff,maybe", "“maybe” value must be either True or False.")]
    [InlineData("last_login__isnull,1", "The QuerySet value for an isnull lookup must be True or False.")]
    [InlineData("username__in,abc", "The value of 'username__in' must be a list or a tuple.")]
    [InlineData("username__range,[1]", "The value of 'username__range' must be a list or a tuple of two values.")]
    [InlineData("date_joined__week,3", "The 'week' transform is not supported by this server (it cannot be computed the same way on every database).")]
    [InlineData("a,1,a,2", "Duplicated fields in \"a,1,a,2\"")]
    public async Task ListUsers_DjangoBadValue_Returns400WithMessage(string django, string expected) =>
        Assert.Equal(expected, await ErrorAsync(django));

    [Theory]
    [InlineData("username")]
    [InlineData("username,a,email")]
    [InlineData("last_name__regex,(unclosed")]
    [InlineData("username__,x")]
    public async Task ListUsers_DjangoMalformed_Returns400(string django) => await ErrorAsync(django);

    [Fact]
    public async Task ListUsers_DjangoDotNetOnlyRegex_PostgresRejectsItSqliteMatches()
    {
        var seed = await SeedAsync();
        const string django = "last_name__regex,^(?<n>Smi)th";
        if (TestDatabase.IsPostgres) Assert.Equal("Invalid regular expression: ^(?<n>Smi)th", await ErrorAsync(django));
        else Assert.Equal(["alice"], await NamesAsync(seed, django));
    }

    [Theory]
    [InlineData("password__startswith,pbkdf2", "password")]
    [InlineData("password,x", "password")]
    [InlineData("~password__isnull,False", "password")]
    [InlineData("auth_token__key__startswith,a", "auth_token")]
    [InlineData("auth_token__isnull,False", "auth_token")]
    [InlineData("allowed_users__password__startswith,p", "password")]
    [InlineData("labmember__auth_token__key,x", "auth_token")]
    [InlineData("labmembership__user__password__regex,.", "password")]
    [InlineData("user_permissions__codename,x", "user_permissions")]
    public async Task ListUsers_DjangoSecretPath_Returns400UnknownField(string django, string field)
    {
        await SeedAsync();
        var message = await ErrorAsync(django);
        Assert.StartsWith($"Cannot resolve keyword '{field}' into field.", message);
    }

    [Theory]
    [InlineData("username,__import__('os')")]
    [InlineData("username,'; DROP TABLE misc_labmember; --")]
    [InlineData("username,\" OR 1=1 --")]
    [InlineData("username__regex,' OR '1'='1")]
    [InlineData("username__icontains,%' OR 1=1 --")]
    public async Task ListUsers_DjangoInjectionAsText_MatchesNothingAndLeavesTablesIntact(string django)
    {
        var seed = await SeedAsync();
        Assert.Empty(await NamesAsync(seed, django));
        Assert.Equal(["alice", "bob", "carol"], await NamesAsync(seed, $"username__startswith,{seed.Prefix}"));
    }

    [Theory]
    [InlineData("username__in,[__import__('os').system('x')]")]
    [InlineData("username,[__import__('os').system('touch /tmp/pwned')]")]
    [InlineData("username,(lambda: 1)()")]
    [InlineData("username__in,[open('/etc/passwd').read()]")]
    public async Task ListUsers_DjangoCodeInBrackets_Returns400AndLeavesTablesIntact(string django)
    {
        var seed = await SeedAsync();
        Assert.StartsWith("Invalid literal", await ErrorAsync(django));
        Assert.Equal(3, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Username.StartsWith(seed.Prefix), Ct)));
    }

    [Fact]
    public async Task ListUsers_DjangoNamesMayNotBeSql_Returns400()
    {
        var message = await ErrorAsync("username) OR 1=1 --,x");
        Assert.StartsWith("Cannot resolve keyword 'username) OR 1=1 --' into field.", message);
    }

    [Fact]
    public async Task ListUsers_DjangoFilteredCount_CountsDistinctRows()
    {
        var seed = await SeedAsync();
        // Two memberships in labs with the prefix would join twice; the count stays one row per user.
        await app.WithDbAsync(async db =>
        {
            var lab = await db.Labs.SingleAsync(l => l.Name == seed.Lab2, Ct);
            db.LabMemberships.Add(new LabMembership { UserId = seed.Alice.Id, LabId = lab.Id });
            await db.SaveChangesAsync(Ct);
        });
        var body = await (await GetAsync($"labmembership__lab__name__startswith,{seed.Prefix},username__startswith,{seed.Prefix}"))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, body["count"]!.GetValue<int>());
        Assert.Equal([seed.Alice.Username, seed.Bob.Username], body["results"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
    }

}
