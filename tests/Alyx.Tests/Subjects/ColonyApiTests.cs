using System.Net;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

public sealed class ColonyApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> LabNameAsync() => await app.WithDbAsync(db => db.Labs.OrderBy(l => l.Name).Select(l => l.Name).FirstAsync());

    async Task<(string Nickname, Guid Id)> SubjectAsync(string sex = "U", Guid? line = null, Guid? user = null) => await app.WithDbAsync(async db =>
    {
        var s = new Subject
        {
            Nickname = AlyxApp.Unique("mouse"),
            Sex = sex,
            LineId = line,
            ResponsibleUserId = user,
            LabId = await db.Labs.Select(l => l.Id).FirstAsync(),
        };
        db.Subjects.Add(s);
        await db.SaveChangesAsync();
        return (s.Nickname, s.Id);
    });

    /// <summary>A line with one allele carrying two sequences, created through the API.</summary>
    async Task<(string Nickname, string Name, string Allele, string[] Sequences)> LineAsync(HttpClient client)
    {
        string[] sequences = [AlyxApp.Unique("zseq"), AlyxApp.Unique("aseq")];
        foreach (var s in sequences)
            await (await client.PostAsync("/sequences", Json.Body($"{{\"name\":\"{s}\",\"base_pairs\":\"ACGT\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var allele = AlyxApp.Unique("allele");
        await (await client.PostAsync("/alleles", Json.Body($"{{\"name\":\"Pvalb<tm1(cre)Arbr>\",\"nickname\":\"{allele}\",\"sequences\":[\"{sequences[0]}\",\"{sequences[1]}\"]}}"), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        var (nickname, name) = (AlyxApp.Unique("LN"), AlyxApp.Unique("Line name"));
        await (await client.PostAsync("/lines", Json.Body($"{{\"name\":\"{name}\",\"nickname\":\"{nickname}\",\"alleles\":[\"{allele}\"]}}"), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        return (nickname, name, allele, sequences);
    }

    [Fact]
    public async Task Line_CreateReadPatchDelete_ByNickname()
    {
        var client = await app.ClientForAsync();
        var (nickname, name, allele, sequences) = await LineAsync(client);
        var line = await (await client.GetAsync($"/lines/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["id", "name", "json", "description", "target_phenotype", "nickname", "alleles", "strain", "source", "source_identifier",
            "source_url", "expression_data_url", "species", "subject_autoname_index", "breeding_pair_autoname_index", "litter_autoname_index",
            "is_active", "lab", "sequences"], line.Keys());
        Assert.Equal(name, line["name"]!.GetValue<string>());
        Assert.Equal([allele], line["alleles"].Strings());
        Assert.Equal(sequences.Order(StringComparer.Ordinal), line["sequences"].Strings());
        Assert.Equal("Laboratory mouse", line["species"]!.GetValue<string>()); // default species, created on demand
        Assert.True(line["is_active"]!.GetValue<bool>());
        // No lab given: the default lab, pk 4027da48-... (settings.DEFAULT_LAB_PK), which the dump renames somelab.
        Assert.Equal(Fixtures.HasDump ? "somelab" : "cortexlab", line["lab"]!.GetValue<string>());

        var patched = await (await client.PatchAsync($"/lines/{nickname}",
            Json.Body("{\"description\":\"new\",\"alleles\":[],\"json\":{\"stock_no\":12},\"is_active\":false}"), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("new", patched["description"]!.GetValue<string>());
        Assert.Empty(patched["alleles"]!.AsArray());
        Assert.Empty(patched["sequences"]!.AsArray());
        Assert.Equal("{\"stock_no\":12}", patched["json"]!.ToJsonString());
        Assert.False(patched["is_active"]!.GetValue<bool>());

        await (await client.DeleteAsync($"/lines/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal("{\"detail\":\"No Line matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync($"/lines/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Line_PutOfReceivedObject_Succeeds()
    {
        var client = await app.ClientForAsync();
        var (nickname, _, _, _) = await LineAsync(client);
        var line = await (await client.GetAsync($"/lines/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        line["target_phenotype"] = "GCaMP";
        var put = await (await client.PutAsync($"/lines/{nickname}", Json.Body(line.ToJsonString()), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        line["target_phenotype"] = "GCaMP";
        Assert.Equal(line.ToJsonString(), put.ToJsonString());
    }

    [Fact]
    public async Task Line_DuplicateNickname_UnknownReferences_400AndNothingWritten()
    {
        var client = await app.ClientForAsync();
        var (nickname, _, _, _) = await LineAsync(client);
        var before = await app.WithDbAsync(db => db.Lines.CountAsync());
        Assert.Equal("{\"nickname\":[\"line with this nickname already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/lines", Json.Body($"{{\"name\":\"x\",\"nickname\":\"{nickname}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"alleles\":[\"Object with nickname=nope does not exist.\"],\"species\":[\"Object with nickname=nope does not exist.\"],"
            + "\"lab\":[\"Object with name=nope does not exist.\"],\"status_code\":400}",
            await (await client.PostAsync("/lines", Json.Body("{\"name\":\"x\",\"nickname\":\"" + AlyxApp.Unique("n") + "\",\"alleles\":[\"nope\"],\"species\":\"nope\",\"lab\":\"nope\"}"), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"name\":[\"This field is required.\"],\"nickname\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/lines", Json.Body("{}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(before, await app.WithDbAsync(db => db.Lines.CountAsync()));
    }

    [Fact]
    public async Task AlleleAndSequence_BySlug_UniqueMessages()
    {
        var client = await app.ClientForAsync();
        var (_, _, allele, sequences) = await LineAsync(client);
        var a = await (await client.GetAsync($"/alleles/{allele}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["id", "name", "json", "nickname", "sequences"], a.Keys());
        Assert.Equal(sequences.Order(StringComparer.Ordinal), a["sequences"].Strings());
        Assert.Equal("{\"nickname\":[\"allele with this nickname already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/alleles", Json.Body($"{{\"name\":\"n\",\"nickname\":\"{allele}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));

        var s = await (await client.GetAsync($"/sequences/{sequences[0]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["id", "name", "json", "base_pairs", "description"], s.Keys());
        Assert.Equal("ACGT", s["base_pairs"]!.GetValue<string>());
        Assert.Equal("{\"name\":[\"sequence with this name already exists.\"],\"status_code\":400}",
            await (await client.PatchAsync($"/sequences/{sequences[0]}", Json.Body($"{{\"name\":\"{sequences[1]}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        // Renaming to its own name is not a duplicate.
        await (await client.PatchAsync($"/sequences/{sequences[0]}", Json.Body($"{{\"name\":\"{sequences[0]}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SpeciesStrainSource_CrudByIdOrNickname()
    {
        var client = await app.ClientForAsync();
        var nickname = AlyxApp.Unique("Rat");
        var species = await (await client.PostAsync("/species", Json.Body($"{{\"name\":\"Rattus norvegicus\",\"nickname\":\"{nickname}\"}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "nickname"], species.Keys());
        await (await client.GetAsync($"/species/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("{\"nickname\":[\"species with this nickname already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/species", Json.Body($"{{\"name\":\"x\",\"nickname\":\"{nickname}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));

        // Strain names may repeat; they are read by id.
        var strainName = AlyxApp.Unique("C57BL/6J");
        var s1 = await (await client.PostAsync("/strains", Json.Body($"{{\"name\":\"{strainName}\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/strains", Json.Body($"{{\"name\":\"{strainName}\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var id = s1["id"]!.GetValue<string>();
        var strain = await (await client.PutAsync($"/strains/{id}", Json.Body($"{{\"name\":\"{strainName}\",\"description\":\"d\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"{{\"id\":\"{id}\",\"name\":\"{strainName}\",\"json\":null,\"description\":\"d\"}}", strain.ToJsonString());
        // A line referencing an ambiguous strain name is refused rather than given one of them.
        Assert.Equal($"{{\"strain\":[\"More than one object with name={strainName} exists.\"],\"status_code\":400}}",
            await (await client.PostAsync("/lines", Json.Body($"{{\"name\":\"x\",\"nickname\":\"{AlyxApp.Unique("n")}\",\"strain\":\"{strainName}\"}}"), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
        await (await client.DeleteAsync($"/strains/{id}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/strains/{id}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
        // Upper-case UUIDs match no route (Django's HTML 404).
        var upper = await client.GetAsync($"/strains/{id.ToUpperInvariant()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, upper.StatusCode);
        Assert.StartsWith("text/html", upper.Content.Headers.ContentType!.ToString());

        Assert.Equal("{\"name\":[\"This field may not be blank.\"],\"status_code\":400}",
            await (await client.PostAsync("/sources", Json.Body("{\"name\":\"\"}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        var source = await (await client.PostAsync("/sources", Json.Body("{\"name\":\"Jax\",\"description\":\"Jackson labs\"}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Jackson labs", source["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task BreedingPairAndLitter_AutoNamedFromLine()
    {
        var client = await app.ClientForAsync();
        var (nickname, name, _, _) = await LineAsync(client);
        var (father, _) = await SubjectAsync("M");
        var (mother, _) = await SubjectAsync("F");
        var bp = await (await client.PostAsync("/breeding-pairs",
            Json.Body($"{{\"line\":\"{name}\",\"father\":\"{father}\",\"mother1\":\"{mother}\",\"start_date\":\"2024-01-02\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "line", "start_date", "end_date", "father", "mother1", "mother2", "description"], bp.Keys());
        Assert.Equal($"{nickname}_BP_001", bp["name"]!.GetValue<string>());
        Assert.Equal(father, bp["father"]!.GetValue<string>());
        Assert.Null(bp["mother2"]);
        Assert.Equal("2024-01-02", bp["start_date"]!.GetValue<string>());
        var second = await (await client.PostAsync("/breeding-pairs", Json.Body($"{{\"name\":\"-\",\"line\":\"{name}\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"{nickname}_BP_002", second["name"]!.GetValue<string>());
        // Without a line, '-' stays as it is.
        var unnamed = await (await client.PostAsync("/breeding-pairs", Json.Body("{}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("-", unnamed["name"]!.GetValue<string>());

        var litter = await (await client.PostAsync("/litters",
            Json.Body($"{{\"line\":\"{name}\",\"breeding_pair\":\"{nickname}_BP_001\",\"birth_date\":\"2024-03-04\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "line", "breeding_pair", "description", "birth_date"], litter.Keys());
        Assert.Equal($"{nickname}_L_001", litter["name"]!.GetValue<string>());
        await (await client.GetAsync($"/litters/{nickname}_L_001", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("{\"non_field_errors\":[\"The fields name must make a unique set.\"],\"status_code\":400}",
            await (await client.PostAsync("/litters", Json.Body($"{{\"name\":\"{nickname}_L_001\"}}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        var indexes = await (await client.GetAsync($"/lines/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, indexes["breeding_pair_autoname_index"]!.GetValue<int>());
        Assert.Equal(1, indexes["litter_autoname_index"]!.GetValue<int>());
    }

    [Fact]
    public async Task BreedingPair_BadDateAndUnknownSubject_400AndNothingWritten()
    {
        var client = await app.ClientForAsync();
        var (nickname, name, _, _) = await LineAsync(client);
        Assert.Equal("{\"start_date\":[\"Date has wrong format. Use one of these formats instead: YYYY-MM-DD.\"],"
            + "\"father\":[\"Object with nickname=ghost does not exist.\"],\"status_code\":400}",
            await (await client.PostAsync("/breeding-pairs", Json.Body($"{{\"line\":\"{name}\",\"start_date\":\"2024-13-01\",\"father\":\"ghost\"}}"), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
        // The failed request consumed no automatic name.
        var line = await (await client.GetAsync($"/lines/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, line["breeding_pair_autoname_index"]!.GetValue<int>());
    }

    [Fact]
    public async Task Zygosity_CreateDirectly_ChoicesChecked()
    {
        var client = await app.ClientForAsync();
        var (_, _, allele, sequences) = await LineAsync(client);
        var (subject, subjectId) = await SubjectAsync();
        var z = await (await client.PostAsync("/zygosities", Json.Body($"{{\"subject\":\"{subject}\",\"allele\":\"{allele}\",\"zygosity\":3}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "subject", "allele", "zygosity"], z.Keys());
        Assert.Equal(3, z["zygosity"]!.GetValue<int>());
        var filtered = await (await client.GetAsync($"/zygosities?subject={subjectId}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, filtered["count"]!.GetValue<int>());

        Assert.Equal("{\"zygosity\":[\"\\\"4\\\" is not a valid choice.\"],\"status_code\":400}",
            await (await client.PatchAsync($"/zygosities/{z["id"]}", Json.Body("{\"zygosity\":4}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"subject\":[\"This field is required.\"],\"allele\":[\"This field is required.\"],\"zygosity\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/zygosities", Json.Body("{}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"test_result\":[\"\\\"2\\\" is not a valid choice.\"],\"status_code\":400}",
            await (await client.PostAsync("/genotype-tests", Json.Body($"{{\"subject\":\"{subject}\",\"sequence\":\"{sequences[0]}\",\"test_result\":2}}"), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(0, await app.WithDbAsync(db => db.GenotypeTests.CountAsync(t => t.SubjectId == subjectId)));
    }

    [Fact]
    public async Task SubjectRequest_DefaultsAndRemaining()
    {
        var username = AlyxApp.Unique("requester");
        var client = await app.ClientForAsync(username);
        var (_, lineName, _, _) = await LineAsync(client);
        var created = await (await client.PostAsync("/subject-requests", Json.Body($"{{\"line\":\"{lineName}\",\"count\":2,\"due_date\":\"2030-01-01\"}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "user", "line", "count", "date_time", "due_date", "description", "remaining", "status"], created.Keys());
        Assert.Equal(username, created["user"]!.GetValue<string>());
        Assert.Equal(DateTime.Now.ToString("yyyy-MM-dd"), created["date_time"]!.GetValue<string>());
        Assert.Equal(2, created["remaining"]!.GetValue<int>());
        Assert.Equal("Open", created["status"]!.GetValue<string>());

        // Subjects of the request count when they have the request's user and line and are alive.
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username);
            var line = await db.Lines.SingleAsync(l => l.Name == lineName);
            var lab = await db.Labs.Select(l => l.Id).FirstAsync();
            db.Subjects.AddRange(
                new Subject { Nickname = AlyxApp.Unique("r1"), LabId = lab, RequestId = id, ResponsibleUserId = user.Id, LineId = line.Id },
                new Subject { Nickname = AlyxApp.Unique("r2"), LabId = lab, RequestId = id, ResponsibleUserId = user.Id, LineId = line.Id },
                new Subject { Nickname = AlyxApp.Unique("r3"), LabId = lab, RequestId = id, ResponsibleUserId = user.Id, LineId = line.Id, DeathDate = new DateOnly(2020, 1, 1) },
                new Subject { Nickname = AlyxApp.Unique("r4"), LabId = lab, RequestId = id, LineId = line.Id });
            await db.SaveChangesAsync();
        });
        var read = await (await client.GetAsync($"/subject-requests/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, read["remaining"]!.GetValue<int>());
        Assert.Equal("Closed", read["status"]!.GetValue<string>());

        Assert.Equal("{\"user\":[\"Object with username=nobody_here does not exist.\"],\"count\":[\"A valid integer is required.\"],\"status_code\":400}",
            await (await client.PatchAsync($"/subject-requests/{id}", Json.Body("{\"user\":\"nobody_here\",\"count\":\"many\"}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        var cleared = await (await client.PatchAsync($"/subject-requests/{id}", Json.Body("{\"user\":null,\"date_time\":null}"), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["user"]);
        Assert.Null(cleared["date_time"]);
    }

    [Fact]
    public async Task PublicUser_MayReadButNotWrite()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("public"), isPublic: true);
        await (await client.GetAsync("/alleles", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await client.PostAsync("/alleles", Json.Body("{\"name\":\"a\",\"nickname\":\"b\"}"), Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Schema_ListsColonyRoutes()
    {
        var client = await app.ClientForAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/schema");
        request.Headers.Accept.ParseAdd("application/json");
        var schema = await (await client.SendAsync(request, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var paths = schema["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var p in new[] { "/lines/{nickname}", "/alleles/{nickname}", "/sequences/{name}", "/species/{nickname}", "/litters/{name}",
                     "/strains/{id}", "/sources/{id}", "/zygosities/{id}", "/genotype-tests/{id}", "/breeding-pairs/{id}", "/subject-requests/{id}", "/zygosity-rules/{id}" })
            Assert.Contains(p, paths);
    }
}
