using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Actions;

/// <summary>Every /sessions filter (spec 20 §6.1), on sessions of its own and on the imported dump (upstream test_sessions,
/// test_sessions_projects, test_extended_qc_filters, test_custom_django_filters).</summary>
public sealed class SessionFiltersTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonNode> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/sessions?limit=1000&" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    async Task<int> CountAsync(HttpClient client, string query) => (await ListAsync(client, query))["count"]!.GetValue<int>();

    static async Task<JsonNode> PostAsync(HttpClient client, string json) =>
        await (await client.PostAsync("/sessions", Json.Body(json), Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static List<string> Ids(JsonNode page) => page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Subject_IsCaseInsensitiveExactAndNicknameIsAnAlias()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        Assert.Equal(1, await CountAsync(client, $"subject={nickname.ToUpperInvariant()}"));
        Assert.Equal(1, await CountAsync(client, $"nickname={nickname}"));
        Assert.Equal(0, await CountAsync(client, $"subject={nickname[..^1]}"));
    }

    [Fact]
    public async Task Users_MatchesSessionsWithAllListedUsers_UnknownUserMatchesNone()
    {
        var client = await app.ClientForAsync("filt_user_a");
        await app.ClientForAsync("filt_user_b");
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var both = await PostAsync(client, $$"""{"subject": "{{nickname}}", "users": ["filt_user_a", "filt_user_b"]}""");
        var one = await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        var scope = $"subject={nickname}&";
        Assert.Equal(new[] { both["id"]!.GetValue<string>(), one["id"]!.GetValue<string>() }.Order(),
            Ids(await ListAsync(client, scope + "users=filt_user_a")).Order());
        Assert.Equal([both["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "users=filt_user_a,filt_user_b")));
        Assert.Equal(1, await CountAsync(client, scope + "users=filt_user_b,filt_user_b"));
        Assert.Equal(0, await CountAsync(client, scope + "users=nobody_here"));
    }

    [Fact]
    public async Task DateRange_IsInclusiveOnCalendarDates_MalformedIs400()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "start_time": "2024-03-05T23:59:59.5"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "start_time": "2024-03-06T00:00:00"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "start_time": "2024-03-04T00:00:00"}""");
        var scope = $"subject={nickname}&";
        Assert.Equal(1, await CountAsync(client, scope + "date_range=2024-03-05,2024-03-05"));
        Assert.Equal(3, await CountAsync(client, scope + "date_range=2024-03-04,2024-03-06"));
        Assert.Equal(0, await CountAsync(client, scope + "date_range=2024-03-07,2024-03-08"));
        foreach (var bad in new[] { "2024-03-05", "2024-13-01,2024-03-05", "a,b" })
        {
            var error = await (await client.GetAsync("/sessions?date_range=" + bad, Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["Enter two dates as YYYY-MM-DD,YYYY-MM-DD."], error["date_range"].Strings());
        }
    }

    [Fact]
    public async Task Lab_MatchesTheSessionsOwnLabCaseInsensitively()
    {
        var client = await app.ClientForAsync();
        var (lab, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        Assert.Equal(1, await CountAsync(client, $"lab={lab.ToUpperInvariant()}"));
        // Imported sessions have no lab of their own (quirk Q-15): the dump's 337 actions.session rows all have "lab": null,
        // so its only lab, somelab, matches none of them, although all 337 belong to subjects of that lab.
        if (!Fixtures.HasDump) return;
        Assert.Equal(0, await CountAsync(client, "lab=somelab"));
        Assert.Equal(337, await CountAsync(client, "django=subject__lab__name,somelab"));
    }

    [Fact]
    public async Task TextFilters_TaskProtocolLocationProjectsProceduresType()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var project = "ibl_brainwide_" + suffix;
        var procedure = "Behavior training " + suffix;
        var location = "Rig room " + suffix;
        await app.WithDbAsync(async db =>
        {
            db.Projects.Add(new Project { Name = project });
            db.ProcedureTypes.Add(new ProcedureType { Name = procedure });
            var labId = await db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.LabId).SingleAsync(Ct);
            db.LabLocations.Add(new Alyx.Misc.LabLocation { Name = location, LabId = labId });
            await db.SaveChangesAsync(Ct);
        });
        await PostAsync(client, $$"""
            {"subject": "{{nickname}}", "projects": ["{{project}}"], "procedures": ["{{procedure}}"], "location": "{{location}}",
             "type": "Experiment", "task_protocol": "_iblrig_tasks_ChoiceWorld_{{suffix}}"}
            """);
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "type": "Base"}""");
        Assert.Equal(1, await CountAsync(client, "task_protocol=CHOICEWORLD_" + suffix));
        Assert.Equal(1, await CountAsync(client, "location=ROOM " + suffix));
        Assert.Equal(1, await CountAsync(client, "projects=BRAINWIDE_" + suffix));
        Assert.Equal(1, await CountAsync(client, "project=brainwide_" + suffix));
        Assert.Equal(1, await CountAsync(client, "procedures=training " + suffix));
        Assert.Equal(1, await CountAsync(client, $"subject={nickname}&type=experiment"));
        Assert.Equal(0, await CountAsync(client, $"subject={nickname}&type=Exp"));
    }

    [Fact]
    public async Task Performance_UsesIntegerPercentAndSkipsSessionsWithoutTrials()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var twoThirds = await PostAsync(client, $$"""{"subject": "{{nickname}}", "n_trials": 3, "n_correct_trials": 2}""");
        var eighty = await PostAsync(client, $$"""{"subject": "{{nickname}}", "n_trials": 600, "n_correct_trials": 480}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "n_trials": 0, "n_correct_trials": 0}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "n_trials": 10}""");
        var scope = $"subject={nickname}&";
        // 2/3 truncates to 66, so 66.5 excludes it although the exact ratio is 66.67.
        Assert.Equal([eighty["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "performance_gte=66.5")));
        Assert.Equal(2, await CountAsync(client, scope + "performance_gte=66"));
        Assert.Equal([twoThirds["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "performance_lte=66")));
        Assert.Equal(2, await CountAsync(client, scope + "performance_gte=0&performance_lte=100"));
        var error = await (await client.GetAsync("/sessions?performance_gte=high", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Enter a number."], error["performance_gte"].Strings());
    }

    [Fact]
    public async Task Qc_MatchesLabelsCaseInsensitively_CodesAndUnknownLabelsAre400()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "qc": "PASS"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "qc": "WARNING"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        var scope = $"subject={nickname}&";
        Assert.Equal(1, await CountAsync(client, scope + "qc=pass"));
        Assert.Equal(1, await CountAsync(client, scope + "qc=%20WARNING%20"));
        Assert.Equal(1, await CountAsync(client, scope + "qc=not_set"));
        foreach (var bad in new[] { "10", "great" })
        {
            var error = await (await client.GetAsync("/sessions?qc=" + bad, Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["Invalid qc, choices are: CRITICAL, FAIL, WARNING, NOT_SET, PASS"], error["qc"].Strings());
        }
        // The dump's 337 sessions all have "qc": 0 (NOT_SET).
        if (!Fixtures.HasDump) return;
        Assert.Equal(337, await CountAsync(client, "qc=NOT_SET&django=subject__lab__name,somelab"));
        Assert.Equal(0, await CountAsync(client, "qc=PASS&django=subject__lab__name,somelab"));
    }

    [Fact]
    public async Task ExtendedQc_PatchEchoesAndPairsFilterWithLookups()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var a = await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        var b = await PostAsync(client, $$"""{"subject": "{{nickname}}"}""");
        var patched = await (await client.PatchAsync($"/sessions/{a["id"]}", Json.Body("""{"extended_qc": {"tutu_bool": true, "tata_pct": 0.3}}"""), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tutu_bool":true,"tata_pct":0.3}"""), patched["extended_qc"]));
        await client.PatchAsync($"/sessions/{b["id"]}", Json.Body("""{"extended_qc": {"tutu_bool": false, "tata_pct": 0.8}}"""), Ct);
        var scope = $"subject={nickname}&";
        Assert.Equal([a["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "extended_qc=tutu_bool,True")));
        Assert.Equal([b["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "extended_qc=tata_pct__gte,0.5")));
        Assert.Equal([a["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "extended_qc=tata_pct__lt,0.5,tutu_bool,True")));
        Assert.Equal(0, await CountAsync(client, scope + "extended_qc=tata_pct__lt,0.5,tutu_bool,False"));
        var error = await (await client.GetAsync("/sessions?extended_qc=tutu_bool", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(error["extended_qc"].Strings());
    }

    [Fact]
    public async Task Json_FiltersOnKeysAndNestedKeys()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var mock = await PostAsync(client, $$"""{"subject": "{{nickname}}", "json": {"IS_MOCK": true, "rig": {"name": "r1"} } }""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "json": {"IS_MOCK": false, "rig": {"name": "r2"} } }""");
        var scope = $"subject={nickname}&";
        Assert.Equal([mock["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "json=IS_MOCK,True")));
        Assert.Equal([mock["id"]!.GetValue<string>()], Ids(await ListAsync(client, scope + "json=rig__name,r1")));
        Assert.Equal(2, await CountAsync(client, scope + "json=rig__name__startswith,r"));
    }

    [Fact]
    public async Task Django_DateLookupAndItsExclusionPartitionTheDump()
    {
        // Upstream test_custom_django_filters. 20 of the dump's 337 sessions start before 2017-06-05 (none has a null
        // start_time); the sessions the other tests create start in 2024 or now.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var total = await CountAsync(client, "");
        Assert.Equal(20, await CountAsync(client, "django=start_time__date__lt,2017-06-05"));
        Assert.Equal(total - 20, await CountAsync(client, "django=~start_time__date__lt,2017-06-05"));
        Assert.Equal(317, await CountAsync(client, "django=~start_time__date__lt,2017-06-05,subject__lab__name,somelab"));
    }

    [Fact]
    public async Task Django_ClientUsagesOfOne()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        var a = (await PostAsync(client, $$"""{"subject": "{{nickname}}", "start_time": "2024-03-05T10:00:00"}"""))["id"]!.GetValue<string>();
        var b = (await PostAsync(client, $$"""{"subject": "{{nickname}}", "start_time": "2024-03-06T10:00:00"}"""))["id"]!.GetValue<string>();
        Assert.Equal([a], Ids(await ListAsync(client, $"django=pk,{a}")));
        Assert.Equal([b, a], Ids(await ListAsync(client, $"django=pk__in,['{a}', '{b}']")));
        Assert.Equal([a], Ids(await ListAsync(client, $"django=subject__nickname,{nickname},start_time__date,2024-03-05")));
        var error = await (await client.GetAsync("/sessions?django=no_such_field,1", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(error["django"].Strings());
    }

    [Fact]
    public async Task Histology_SelectsSessionsOfSubjectsWithAHistologySession()
    {
        var client = await app.ClientForAsync();
        var (_, histo, _) = await SessionsApiTests.NewSubjectAsync(app);
        var (_, plain, _) = await SessionsApiTests.NewSubjectAsync(app);
        await app.WithDbAsync(async db =>
        {
            if (!await db.ProcedureTypes.AnyAsync(p => p.Name == "Histology", Ct)) db.ProcedureTypes.Add(new ProcedureType { Name = "Histology" });
            await db.SaveChangesAsync(Ct);
        });
        await PostAsync(client, $$"""{"subject": "{{histo}}", "procedures": ["Histology"]}""");
        await PostAsync(client, $$"""{"subject": "{{histo}}"}""");
        await PostAsync(client, $$"""{"subject": "{{plain}}"}""");
        Assert.Equal(2, await CountAsync(client, $"subject={histo}&histology=true"));
        Assert.Equal(0, await CountAsync(client, $"subject={plain}&histology=true"));
        Assert.Equal(1, await CountAsync(client, $"subject={plain}&histology=false"));
        Assert.Equal(3, await CountAsync(client, $"django=subject__nickname__in,['{histo}', '{plain}']&histology=maybe"));
    }

    [Fact]
    public async Task GeneratedFilters_NumberNameAndUnknownParametersIgnored()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await SessionsApiTests.NewSubjectAsync(app);
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "number": 7, "narrative": "hello"}""");
        await PostAsync(client, $$"""{"subject": "{{nickname}}", "number": 8}""");
        var scope = $"subject={nickname}&";
        Assert.Equal(1, await CountAsync(client, scope + "number=7"));
        Assert.Equal(1, await CountAsync(client, scope + "narrative=hello"));
        Assert.Equal(2, await CountAsync(client, scope + "start_date=2020-01-01&ordering=number&brain_region=x"));
        var error = await (await client.GetAsync("/sessions?id=not-a-uuid", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Enter a valid UUID."], error["id"].Strings());
    }

    [Fact]
    public async Task DumpFilters_SubjectUsersLocationProcedures_CountTheDumpsSessions()
    {
        // From the dump's actions.session rows: subject 7cab93 has 202 sessions (the most); user "11" is on 20 (no session
        // has more than one user, so "11,13" matches none); lab location 01e27a is on 22; procedure type 101777 on 1.
        // No other test of this class uses these subjects, users, locations or procedures.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        Assert.Equal(202, await CountAsync(client, "subject=7cab93"));
        Assert.Equal(106, await CountAsync(client, "subject=642506"));
        Assert.Equal(20, await CountAsync(client, "users=11"));
        Assert.Equal(0, await CountAsync(client, "users=11,13"));
        Assert.Equal(22, await CountAsync(client, "location=01E27A"));
        Assert.Equal(1, await CountAsync(client, "procedures=101777"));
        var page = await ListAsync(client, "subject=7cab93");
        Assert.Equal(202, page["results"]!.AsArray().Count);
        var starts = page["results"]!.AsArray().Select(r => r!["start_time"]?.GetValue<string>()).ToList();
        Assert.Equal(starts.OrderByDescending(s => s, StringComparer.Ordinal).ToList(), starts);
    }
}
