using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

public sealed class SubjectsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] ListKeys =
    [
        "nickname", "url", "id", "responsible_user", "birth_date", "age_weeks", "death_date", "species", "sex", "litter", "strain",
        "source", "line", "projects", "session_projects", "lab", "genotype", "description", "alive", "reference_weight",
        "last_water_restriction", "expected_water", "remaining_water", "json",
    ];

    async Task<string> NewLabAsync()
    {
        var name = AlyxApp.Unique("lab");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Alyx.Misc.Lab { Name = name });
            await db.SaveChangesAsync();
        });
        return name;
    }

    async Task<Line> NewLineAsync(string lab, Strain? strain = null)
    {
        var line = new Line { Name = AlyxApp.Unique("Line"), Nickname = AlyxApp.Unique("LN"), StrainId = strain?.Id };
        await app.WithDbAsync(async db =>
        {
            if (strain is not null) db.Strains.Add(strain);
            line.LabId = await db.Labs.Where(l => l.Name == lab).Select(l => l.Id).SingleAsync();
            db.Lines.Add(line);
            await db.SaveChangesAsync();
        });
        return line;
    }

    async Task<JsonNode> CreateAsync(HttpClient client, object body) =>
        await (await client.PostAsync("/subjects", Json.Body(body), Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static List<string> Nicknames(JsonNode page) => page["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task CreateSubject_LabOnly_Returns201WithDefaultsAndLocation()
    {
        var client = await app.ClientForAsync("subj_creator");
        var lab = await NewLabAsync();
        var nickname = AlyxApp.Unique("mouse");
        var response = await client.PostAsync("/subjects", Json.Body(new { nickname, lab }), Ct);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(ListKeys, body.Keys());
        Assert.Equal($"http://localhost/subjects/{nickname}", body["url"]!.GetValue<string>());
        Assert.Equal(body["url"]!.GetValue<string>(), response.Headers.Location!.ToString());
        Assert.Equal("subj_creator", body["responsible_user"]!.GetValue<string>());
        Assert.Equal("Laboratory mouse", body["species"]!.GetValue<string>());
        Assert.Equal("U", body["sex"]!.GetValue<string>());
        Assert.Equal(0, body["age_weeks"]!.GetValue<int>());
        Assert.True(body["alive"]!.GetValue<bool>());
        Assert.Empty(body["projects"]!.AsArray());
        Assert.Empty(body["session_projects"]!.AsArray());
        Assert.Empty(body["genotype"]!.AsArray());
        Assert.Null(body["json"]);
        var stored = await app.WithDbAsync(db => db.Subjects.SingleAsync(s => s.Nickname == nickname));
        Assert.Equal("1", stored.ProtocolNumber);
        Assert.Equal(Guid.Parse("60f915ba-bdf4-444a-ada0-be7ebd3c1826"), stored.SpeciesId);   // the default species (spec 11 §2.2)
    }

    [Fact]
    public async Task CreateSubject_NoNickname_IsNamedDash()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("dash_user"));
        var lab = await NewLabAsync();
        var body = await CreateAsync(client, new { lab });
        Assert.Equal("-", body["nickname"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateSubject_MissingLab_Returns400AndWritesNothing()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("nolab");
        Assert.Equal("{\"lab\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/subjects", Json.Body(new { nickname }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.False(await app.WithDbAsync(db => db.Subjects.AnyAsync(s => s.Nickname == nickname)));
    }

    [Theory]
    [InlineData("{\"nickname\":\"n1\",\"lab\":\"no_such_lab\"}", "{\"lab\":[\"Object with name=no_such_lab does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"nickname\":\"~mango.*\",\"lab\":\"LAB\"}",
        "{\"nickname\":[\"Nicknames must only contain letters, numbers, hyphens and underscores. Dots are reserved for breeding subjects.\"],\"status_code\":400}")]
    [InlineData("{\"nickname\":\"\",\"lab\":\"LAB\"}", "{\"nickname\":[\"This field may not be blank.\"],\"status_code\":400}")]
    [InlineData("{\"nickname\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"lab\":\"LAB\"}",
        "{\"nickname\":[\"Ensure this field has no more than 64 characters.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"responsible_user\":null}", "{\"responsible_user\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"responsible_user\":\"nobody_here\"}",
        "{\"responsible_user\":[\"Object with username=nobody_here does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"species\":\"Dragon\"}", "{\"species\":[\"Object with nickname=Dragon does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"line\":\"no_line\"}", "{\"line\":[\"Object with name=no_line does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"strain\":\"no_strain\"}", "{\"strain\":[\"Object with name=no_strain does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"source\":\"no_source\"}", "{\"source\":[\"Object with name=no_source does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"litter\":\"no_litter\"}", "{\"litter\":[\"Object with name=no_litter does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"projects\":[\"no_project\"]}", "{\"projects\":[\"Object with name=no_project does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"sex\":\"X\"}", "{\"sex\":[\"\\\"X\\\" is not a valid choice.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"birth_date\":\"2020-13-45\"}",
        "{\"birth_date\":[\"Date has wrong format. Use one of these formats instead: YYYY-MM-DD.\"],\"status_code\":400}")]
    [InlineData("{\"lab\":\"LAB\",\"json\":\"just text\"}",
        "{\"json\":[\"The subject's json must be an object (it holds the change history).\"],\"status_code\":400}")]
    public async Task CreateSubject_BadInput_Returns400WithMessageAndWritesNothing(string json, string expected)
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var before = await app.WithDbAsync(db => db.Subjects.CountAsync());
        var response = await client.PostAsync("/subjects", Json.Body(json.Replace("LAB", lab, StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(before, await app.WithDbAsync(db => db.Subjects.CountAsync()));
    }

    [Fact]
    public async Task CreateSubject_DuplicateNicknameInLab_Returns400NonFieldErrors()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var nickname = AlyxApp.Unique("twin");
        await CreateAsync(client, new { nickname, lab });
        Assert.Equal("{\"non_field_errors\":[\"The fields nickname, lab must make a unique set.\",\"The fields nickname, responsible_user must make a unique set.\"],\"status_code\":400}",
            await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateSubject_SameNicknameOtherLabSameUser_Returns400ResponsibleUserPair()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("twin");
        await CreateAsync(client, new { nickname, lab = await NewLabAsync() });
        Assert.Equal("{\"non_field_errors\":[\"The fields nickname, responsible_user must make a unique set.\"],\"status_code\":400}",
            await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab = await NewLabAsync() }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateSubject_GenotypeSent_IsIgnored()
    {
        var client = await app.ClientForAsync();
        var body = await CreateAsync(client, new { nickname = AlyxApp.Unique("geno"), lab = await NewLabAsync(), genotype = new[] { "x +/+" } });
        Assert.Empty(body["genotype"]!.AsArray());
    }

    [Fact]
    public async Task CreateSubject_WithLineAndDashNickname_AutoNamesFromLineIndexAndRecordsHistory()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("auto_user"));
        var lab = await NewLabAsync();
        var strain = new Strain { Name = AlyxApp.Unique("C57") };
        var line = await NewLineAsync(lab, strain);
        await app.WithDbAsync(db => db.Lines.Where(l => l.Id == line.Id).ExecuteUpdateAsync(l => l.SetProperty(x => x.SubjectAutonameIndex, 6)));
        // The next name is taken: auto-naming skips it.
        await CreateAsync(client, new { nickname = $"{line.Nickname}_0007", lab = await NewLabAsync() });

        var body = await CreateAsync(client, new { lab, line = line.Name });

        Assert.Equal($"{line.Nickname}_0008", body["nickname"]!.GetValue<string>());
        Assert.Equal(strain.Name, body["strain"]!.GetValue<string>());
        Assert.Equal(line.Name, body["line"]!.GetValue<string>());
        var history = body["json"]!["history"]!["nickname"]!.AsArray();
        Assert.Single(history);
        Assert.Equal("-", history[0]!["value"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$", history[0]!["date_time"]!.GetValue<string>());
        Assert.Equal(8, await app.WithDbAsync(db => db.Lines.Where(l => l.Id == line.Id).Select(l => l.SubjectAutonameIndex).SingleAsync()));
    }

    [Fact]
    public async Task CreateSubject_ExplicitStrainWithLine_KeepsGivenStrain()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var line = await NewLineAsync(lab, new Strain { Name = AlyxApp.Unique("lineStrain") });
        var own = AlyxApp.Unique("ownStrain");
        await app.WithDbAsync(async db =>
        {
            db.Strains.Add(new Strain { Name = own });
            await db.SaveChangesAsync();
        });
        var body = await CreateAsync(client, new { nickname = AlyxApp.Unique("m"), lab, line = line.Name, strain = own });
        Assert.Equal(own, body["strain"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSubject_Detail_HasObjectGenotypeUnfilteredWhileListFiltersByLine()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var line = await NewLineAsync(lab);
        var nickname = AlyxApp.Unique("gen");
        await CreateAsync(client, new { nickname, lab, line = line.Name });
        var (inLine, other) = (new Allele { Name = "a", Nickname = AlyxApp.Unique("Ai95") }, new Allele { Name = "b", Nickname = AlyxApp.Unique("Zcre") });
        await app.WithDbAsync(async db =>
        {
            db.Alleles.AddRange(inLine, other);
            (await db.Lines.Include(l => l.Alleles).SingleAsync(l => l.Id == line.Id)).Alleles.Add(inLine);
            var id = await db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.Id).SingleAsync();
            db.Zygosities.AddRange(new Zygosity { SubjectId = id, AlleleId = inLine.Id, Value = 1 }, new Zygosity { SubjectId = id, AlleleId = other.Id, Value = 2 });
            await db.SaveChangesAsync();
        });

        var detail = await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync($"/subjects?nickname={nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([.. ListKeys, "weighings", "water_administrations"], detail.Keys());
        Assert.Equal($"[{{\"allele\":\"{inLine.Nickname}\",\"zygosity\":1}},{{\"allele\":\"{other.Nickname}\",\"zygosity\":2}}]", detail["genotype"]!.ToJsonString());
        Assert.Equal([$"{inLine.Nickname} +/-"], list["results"]![0]!["genotype"].Strings());
        var genotypeFilter = await (await client.GetAsync($"/subjects?genotype={other.Id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([nickname], Nicknames(genotypeFilter));
    }

    [Fact]
    public async Task GetSubject_Unknown_Returns404()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"detail\":\"No Subject matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync("/subjects/no_such_mouse_xyz", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task GetSubject_AgeWeeks_FloorDivisionAndAliveUseServerToday()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        var young = AlyxApp.Unique("young");
        var dead = AlyxApp.Unique("dead");
        var future = AlyxApp.Unique("future");
        await CreateAsync(client, new { nickname = young, lab, birth_date = today.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        await CreateAsync(client, new
        {
            nickname = dead,
            lab,
            birth_date = today.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            death_date = today.AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        await CreateAsync(client, new { nickname = future, lab, death_date = today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });

        var y = await (await client.GetAsync($"/subjects/{young}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var d = await (await client.GetAsync($"/subjects/{dead}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var f = await (await client.GetAsync($"/subjects/{future}", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(-1, y["age_weeks"]!.GetValue<int>());
        Assert.Equal(2, d["age_weeks"]!.GetValue<int>());
        Assert.False(d["alive"]!.GetValue<bool>());
        Assert.True(f["alive"]!.GetValue<bool>());
        var alive = Nicknames(await (await client.GetAsync($"/subjects?lab={lab}&alive=True", Ct)).ReadJsonAsync(HttpStatusCode.OK));
        var notAlive = Nicknames(await (await client.GetAsync($"/subjects?lab={lab}&alive=False", Ct)).ReadJsonAsync(HttpStatusCode.OK));
        var ignored = Nicknames(await (await client.GetAsync($"/subjects?lab={lab}&alive=1", Ct)).ReadJsonAsync(HttpStatusCode.OK));
        Assert.Equal(new[] { future, young }.Order(StringComparer.Ordinal), alive.Order(StringComparer.Ordinal));
        Assert.Equal([dead], notAlive);
        Assert.Equal(3, ignored.Count);
    }

    [Fact]
    public async Task PatchSubject_RenameAndResponsibleUser_AppendsHistoryAndOldUrl404s()
    {
        var client = await app.ClientForAsync();
        var other = AlyxApp.Unique("other_user");
        await app.ClientForAsync(other);
        var lab = await NewLabAsync();
        var nickname = AlyxApp.Unique("old");
        var created = await CreateAsync(client, new { nickname, lab, json = new { note = "kept" } });
        var renamed = AlyxApp.Unique("new");
        var oldUserId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == "test_user").Select(u => u.Id).SingleAsync());

        var body = await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { nickname = renamed, responsible_user = other }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal($"http://localhost/subjects/{renamed}", body["url"]!.GetValue<string>());
        Assert.Equal(created["id"]!.GetValue<string>(), body["id"]!.GetValue<string>());
        Assert.Equal("kept", body["json"]!["note"]!.GetValue<string>());
        Assert.Equal(nickname, body["json"]!["history"]!["nickname"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(oldUserId.ToString(), body["json"]!["history"]!["responsible_user"]![0]!["value"]!.GetValue<string>());
        await (await client.GetAsync($"/subjects/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchSubject_DatesAndDescription_EchoedAndOtherFieldsKept()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync();
        var nickname = AlyxApp.Unique("pat");
        await CreateAsync(client, new { nickname, lab, sex = "F", description = "before" });
        var body = await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { birth_date = "2018-04-02", death_date = "2018-09-09" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2018-04-02", body["birth_date"]!.GetValue<string>());
        Assert.Equal("2018-09-09", body["death_date"]!.GetValue<string>());
        Assert.Equal(22, body["age_weeks"]!.GetValue<int>());
        Assert.Equal("F", body["sex"]!.GetValue<string>());
        Assert.Equal("before", body["description"]!.GetValue<string>());
        Assert.Null(body["json"]);
    }

    [Fact]
    public async Task PatchSubject_ResponsibleUserChangeWithLine_AttachesMostRecentRequest()
    {
        var client = await app.ClientForAsync();
        var other = AlyxApp.Unique("req_user");
        await app.ClientForAsync(other);
        var lab = await NewLabAsync();
        var line = await NewLineAsync(lab);
        var nickname = AlyxApp.Unique("req");
        await CreateAsync(client, new { nickname, lab, line = line.Name });
        var recent = new SubjectRequest { DateTime = new DateOnly(2024, 5, 1) };
        await app.WithDbAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.Username == other).Select(u => u.Id).SingleAsync();
            recent.UserId = userId;
            recent.LineId = line.Id;
            db.SubjectRequests.AddRange(recent, new SubjectRequest { UserId = userId, LineId = line.Id, DateTime = new DateOnly(2023, 1, 1) });
            await db.SaveChangesAsync();
        });
        await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { responsible_user = other }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(recent.Id, await app.WithDbAsync(db => db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.RequestId).SingleAsync()));
    }

    [Fact]
    public async Task PatchSubject_NonObjectJson_Returns400()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("js");
        await CreateAsync(client, new { nickname, lab = await NewLabAsync() });
        await (await client.PatchAsync($"/subjects/{nickname}", Json.Body("{\"json\":[1,2]}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Null(await app.WithDbAsync(db => db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.Json).SingleAsync()));
    }

    [Fact]
    public async Task PutSubject_FullDetailObject_SucceedsAndGetReturnsSameBody()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("put");
        await CreateAsync(client, new { nickname, lab = await NewLabAsync(), birth_date = "2020-01-01" });
        var detail = await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        detail["description"] = "changed";
        var put = await (await client.PutAsync($"/subjects/{nickname}", Json.Body(detail.ToJsonString()), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("changed", put["description"]!.GetValue<string>());
        Assert.Equal(put.ToJsonString(), (await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK)).ToJsonString());
    }

    [Fact]
    public async Task PutSubject_OmittedNicknameAndUser_ResetToDashAndCaller()
    {
        var owner = AlyxApp.Unique("owner");
        var ownerClient = await app.ClientForAsync(owner);
        var caller = await app.ClientForAsync(AlyxApp.Unique("caller"));
        var lab = await NewLabAsync();
        var nickname = AlyxApp.Unique("reset");
        await CreateAsync(ownerClient, new { nickname, lab });
        Assert.Equal("{\"lab\":[\"This field is required.\"],\"status_code\":400}",
            await (await caller.PutAsync($"/subjects/{nickname}", Json.Body(new { description = "x" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        var body = await (await caller.PutAsync($"/subjects/{nickname}", Json.Body(new { lab }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("-", body["nickname"]!.GetValue<string>());
        Assert.NotEqual(owner, body["responsible_user"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteSubject_CascadesToZygositiesAndRestrictions()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("del");
        var created = await CreateAsync(client, new { nickname, lab = await NewLabAsync() });
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var allele = new Allele { Name = "x", Nickname = AlyxApp.Unique("al") };
        await app.WithDbAsync(async db =>
        {
            db.Alleles.Add(allele);
            db.Zygosities.Add(new Zygosity { SubjectId = id, AlleleId = allele.Id, Value = 2 });
            db.WaterRestrictions.Add(new WaterRestriction { SubjectId = id, StartTime = new DateTime(2024, 1, 1) });
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/subjects/{nickname}", Ct)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Zygosities.AnyAsync(z => z.SubjectId == id)));
        Assert.False(await app.WithDbAsync(db => db.WaterRestrictions.AnyAsync(w => w.SubjectId == id)));
        await (await client.GetAsync($"/subjects/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetSubject_NicknameSharedAcrossLabs_Returns400NotAnArbitraryOne()
    {
        var client = await app.ClientForAsync();
        var (labA, labB) = (await NewLabAsync(), await NewLabAsync());
        var nickname = AlyxApp.Unique("twin");
        foreach (var lab in new[] { labA, labB })
            await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab, responsible_user = "test_user" }), Ct))
                .AssertStatusAsync(lab == labA ? HttpStatusCode.Created : HttpStatusCode.BadRequest);
        // The API refuses a second subject with the same nickname and responsible user; an import can still create one.
        await app.WithDbAsync(async db =>
        {
            db.Subjects.Add(new Subject { Nickname = nickname, LabId = await db.Labs.Where(l => l.Name == labB).Select(l => l.Id).SingleAsync() });
            await db.SaveChangesAsync();
        });
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Patch, HttpMethod.Delete })
        {
            var request = new HttpRequestMessage(method, $"/subjects/{nickname}");
            if (method == HttpMethod.Patch) request.Content = Json.Body(new { description = "x" });
            Assert.Equal("{\"detail\":\"More than one Subject matches the given query.\",\"status_code\":400}",
                await (await client.SendAsync(request, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.Subjects.CountAsync(s => s.Nickname == nickname)));
    }
}
