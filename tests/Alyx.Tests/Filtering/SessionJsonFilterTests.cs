using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Filtering;

/// <summary>
/// JSON-key filters on /sessions (django=json__.., extended_qc=..): Django's answers, on PostgreSQL through the containment test a GIN
/// index can answer plus the typed comparison. Numbers compare by value, a string is not a number, a key inside an array or an
/// object is not the key itself, digits index arrays, and a session without JSON never matches (but is kept by an exclusion).
/// </summary>
public sealed class SessionJsonFilterTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Twelve sessions of one new subject, numbered 1-12, with these JSON documents (and extended QC) in turn.</summary>
    static readonly (string? Json, string? Qc)[] Documents =
    [
        ("""{"k": 3, "s": "x"}""", """{"task": "PASS", "delay": 0.5}"""),
        ("""{"k": 3.0}""", """{"task": "FAIL", "delay": 1.5}"""),
        ("""{"k": "3"}""", """{"task": "3"}"""),
        ("""{"k": true}""", """{"task": true}"""),
        ("""{"k": null}""", null),
        ("""{"n": {"k": 3}}""", """{"n": {"task": "PASS"}}"""),
        ("""{"k": [3]}""", """{"task": ["PASS"]}"""),
        (null, null),
        ("""{"arr": [5, 6], "k": 4}""", """{"delay": 3}"""),
        ("""{"k": "a \"quoted\" value", "é": "ü"}""", """{"task": 3}"""),
        ("""{"k": ["x"], "s": {"x": "y"}, "b": [true], "z": [null]}""", null),
        ("""["x", {"s": "x"}, true, null]""", null),
    ];

    async Task<(HttpClient Client, string Subject)> SeedAsync()
    {
        var client = await app.ClientForAsync("sjf_user");
        var lab = AlyxApp.Unique("sjf_lab");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Alyx.Misc.Lab { Name = lab });
            await db.SaveChangesAsync(Ct);
        });
        var subject = AlyxApp.Unique("sjf");
        await (await client.PostAsync("/subjects", Json.Body(new { nickname = subject, lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await app.WithDbAsync(async db =>
        {
            var id = db.Subjects.Single(s => s.Nickname == subject).Id;
            for (var i = 0; i < Documents.Length; i++)
            {
                db.Sessions.Add(new Alyx.Actions.Session
                {
                    SubjectId = id,
                    Number = i + 1,
                    Json = Documents[i].Json,
                    ExtendedQc = Documents[i].Qc,
                    StartTime = new DateTime(2024, 5, 1, 10, i, 0),
                });
            }
            await db.SaveChangesAsync(Ct);
        });
        return (client, subject);
    }

    static async Task<string> NumbersAsync(HttpClient client, string subject, string filter)
    {
        var page = await (await client.GetAsync($"/sessions?limit=100&subject={subject}&{filter}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return string.Join(' ', page["results"]!.AsArray().Select(r => r!["number"]!.GetValue<int>()).Order());
    }

    [Theory]
    [InlineData("json__k,3", "1 2")]
    [InlineData("json__k,3.0", "1 2")]
    [InlineData("json__k,('3')", "3")]
    [InlineData("json__k,True", "4")]
    [InlineData("json__k,None", "5")]
    [InlineData("json__n__k,3", "6")]
    [InlineData("json__arr__1,6", "9")]
    [InlineData("json__arr__0,6", "")]
    [InlineData("json__k,4", "9")]
    [InlineData("json__s,x", "1")]
    [InlineData("json__k,('a \"quoted\" value')", "10")]
    [InlineData("json__é,ü", "10")]
    [InlineData("~json__k,3", "3 4 5 6 7 8 9 10 11 12")]
    [InlineData("json__k,x", "")]
    [InlineData("json__b,True", "")]
    [InlineData("json__z,None", "")]
    [InlineData("~json__s,x", "2 3 4 5 6 7 8 9 10 11 12")]
    [InlineData("~json__k,True", "1 2 3 5 6 7 8 9 10 11 12")]
    [InlineData("~json__k,None", "1 2 3 4 6 7 8 9 10 11 12")]
    [InlineData("json__s__x,y", "11")]
    [InlineData("json__k__in,[3, True]", "1 2 4")]
    [InlineData("json__k__gte,3", "1 2 9")]
    public async Task ListSessions_DjangoJsonKey_MatchesDjango(string django, string expected)
    {
        var (client, subject) = await SeedAsync();
        Assert.Equal(expected, await NumbersAsync(client, subject, "django=" + Uri.EscapeDataString(django)));
    }

    [Theory]
    [InlineData("task,PASS", "1")]
    [InlineData("task,3", "10")]
    [InlineData("n__task,PASS", "6")]
    [InlineData("delay__gte,1", "2 9")]
    [InlineData("delay,3", "9")]
    public async Task ListSessions_ExtendedQcKey_MatchesDjango(string filter, string expected)
    {
        var (client, subject) = await SeedAsync();
        Assert.Equal(expected, await NumbersAsync(client, subject, "extended_qc=" + Uri.EscapeDataString(filter)));
    }
}
