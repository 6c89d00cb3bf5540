using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using static Alyx.Tests.Experiments.ImagingWorld;

namespace Alyx.Tests.Experiments;

/// <summary>
/// /fields-of-view, /fov-location and /imaging-stack (spec 40 §4.6-4.8; upstream test_create_list_delete_fov,
/// ImagingModels.test_create_fov and test_create_stack), their filters, and the command counts of their lists and details.
/// </summary>
public sealed class ImagingApiTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] FovKeys = ["id", "imaging_type", "location", "name", "json", "session", "stack", "datasets"];
    static readonly string[] ShortLocationKeys =
        ["id", "brain_region", "coordinate_system", "provenance", "x", "y", "z", "n_xyz", "default_provenance", "auto_datetime"];
    static readonly string[] FullLocationKeys =
        ["id", "brain_region", "coordinate_system", "provenance", "x", "y", "z", "n_xyz", "json", "default_provenance", "auto_datetime", "field_of_view"];

    /// <summary>The whole error body: same keys in the same order, same values.</summary>
    static void AssertBody(string expected, JsonNode actual) => Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual.ToJsonString());

    [Fact]
    public async Task FieldsOfView_CreateLocateFilterDelete_AsTheOriginal()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);

        var created = await w.FovAsync(client, "FOV_00");
        Assert.Equal(FovKeys, created.Keys());
        Assert.Equal((w.ImagingType, "FOV_00", w.Session.ToString()), (created["imaging_type"]!.GetValue<string>(), created["name"]!.GetValue<string>(),
            created["session"]!.GetValue<string>()));
        Assert.Empty(created["location"]!.AsArray());
        Assert.Empty(created["datasets"]!.AsArray());
        Assert.Null(created["stack"]);
        var fov = created["id"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(created, await GetAsync(client, $"/fields-of-view/{fov}")));

        var estimate = await LocationAsync(client, fov, "E", true, [53, 348, 9]);
        Assert.Equal(FullLocationKeys, estimate.Keys());
        // In tree order (lft 175, 1728, 1911).
        Assert.Equal("[9,348,53]", estimate["brain_region"]!.ToJsonString());
        Assert.Equal(("IBL-Allen", "E", true, fov), (estimate["coordinate_system"]!.GetValue<string>(), estimate["provenance"]!.GetValue<string>(),
            estimate["default_provenance"]!.GetValue<bool>(), estimate["field_of_view"]!.GetValue<string>()));
        Assert.Equal("[1.5,-2.25,3.0,4.125]", estimate["x"]!.ToJsonString());
        Assert.Equal("[512,512,1]", estimate["n_xyz"]!.ToJsonString());
        var histology = await LocationAsync(client, fov, "H", true, [53, 348, 355]);

        // The later default location took the flag from the earlier one; the default comes first.
        var listed = await GetAsync(client, $"/fields-of-view?session={w.Session}");
        var item = Assert.Single(listed["results"]!.AsArray())!;
        Assert.Equal(FovKeys, item.Keys());
        var locations = item["location"]!.AsArray();
        Assert.Equal(ShortLocationKeys, locations[0]!.Keys());
        Assert.Equal([("H", true), ("E", false)], locations.Select(l => (l!["provenance"]!.GetValue<string>(), l["default_provenance"]!.GetValue<bool>())));
        Assert.Equal(histology["id"]!.GetValue<string>(), locations[0]!["id"]!.GetValue<string>());
        Assert.False((await GetAsync(client, $"/fov-location/{estimate["id"]}"))["default_provenance"]!.GetValue<bool>());

        // A second location of the same provenance: refused (upstream tolerates 400 or 500).
        var duplicate = await (await client.PostAsync("/fov-location", Json.Body(new
        {
            n_xyz = new[] { 512, 512, 1 },
            field_of_view = fov,
            provenance = "H",
            coordinate_system = "IBL-Allen",
            x = new[] { 1.0 },
            y = new[] { 1.0 },
            z = new[] { 1.0 },
        }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        AssertBody("""{"non_field_errors":["The fields provenance, field_of_view must make a unique set."],"status_code":400}""", duplicate);

        // Region 9 (SSp-tr6a) is only in the location that is no longer the default; 355 (AIp6b) is in the default one.
        Assert.Empty(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&atlas_acronym=SSp-tr6a")));
        var inRegion = await GetAsync(client, $"/fields-of-view?session={w.Session}&atlas_acronym=AIp6b");
        var found = Assert.Single(inRegion["results"]!.AsArray())!;
        Assert.Equal([true, false], found["location"]!.AsArray().Select(l => l!["default_provenance"]!.GetValue<bool>()));
        Assert.Contains(355, found["location"]![0]!["brain_region"]!.AsArray().Select(r => r!.GetValue<int>()));
        // 111 (AIp) is the parent of AIp6b: descendants count; 315 (Isocortex) holds AIp.
        Assert.Single(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&atlas_id=111")));
        Assert.Single(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&atlas_id=315")));
        Assert.Empty(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&atlas_id=9")));
        // Sessions are found through their fields of view too.
        Assert.Equal([w.Session.ToString()], Ids(await GetAsync(client, $"/sessions?subject={w.Probe.Subject}&atlas_acronym=AIp6b")));
        Assert.Empty(Ids(await GetAsync(client, $"/sessions?subject={w.Probe.Subject}&atlas_acronym=SSp-tr6a")));

        var delete = await client.DeleteAsync($"/fields-of-view/{fov}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}")));
        // The locations went with it.
        await (await client.GetAsync($"/fov-location/{histology["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PostFov_LinksTheSessionDatasetsOfItsCollection_AndDatasetsSavedLaterFollow()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var inCollection = await w.Probe.DatasetAsync(app, "foo.npy", "alf/fov_00");
        await w.Probe.DatasetAsync(app, "bar.npy", "alf/fov_01");
        var otherSession = await w.Probe.SessionAsync(app, ProbeWorld.Start.AddDays(1), 2);
        await w.Probe.DatasetAsync(app, "foo.npy", "alf/fov_00", session: otherSession);

        var fov = await w.FovAsync(client, "fov_00");

        Assert.Equal([inCollection.Id.ToString()], fov["datasets"].Strings());
        var id = fov["id"]!.GetValue<string>();
        Assert.Single(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&datasets=foo.npy")));
        Assert.Empty(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&datasets=foo.npy,bar.npy")));
        Assert.Single(Ids(await GetAsync(client, $"/fields-of-view?session={w.Session}&dataset_types={w.Probe.TypeName}")));

        // Given datasets replace the derived links.
        var other = await w.Probe.DatasetAsync(app, "baz.npy", "raw");
        var patched = await (await client.PatchAsync($"/fields-of-view/{id}", Json.Body(new { datasets = new[] { other.Id.ToString() } }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([other.Id.ToString()], patched["datasets"].Strings());
        // A save without datasets derives them again.
        var renamed = await (await client.PatchAsync($"/fields-of-view/{id}", Json.Body(new { name = "fov_01" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(inCollection.Id.ToString(), Assert.Single(renamed["datasets"]!.AsArray())!.GetValue<string>());

        // A dataset saved with the field of view's name as second collection part is linked to it (Dataset.save).
        var body = await PostAsync(client, "/datasets", new
        {
            name = "qux.npy",
            dataset_type = w.Probe.TypeName,
            data_format = w.Probe.FormatName,
            file_size = 12,
            collection = "alf/fov_01/suite2p",
            subject = w.Probe.Subject,
            date = "2024-03-05",
            number = 1,
        });
        var dataset = body["url"]!.GetValue<string>().Split('/')[^1];
        Assert.Contains(dataset, (await GetAsync(client, $"/fields-of-view/{id}"))["datasets"].Strings());
    }

    [Fact]
    public async Task ImagingStack_SlicesOfOneSession_ListedOnce_DetailWithManySlices()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var name = AlyxApp.Unique("stack");

        var stack = await PostAsync(client, "/imaging-stack", new { name });
        Assert.Equal(["id", "slices", "name", "json"], stack.Keys());
        Assert.Equal((name, 0), (stack["name"]!.GetValue<string>(), stack["slices"]!.AsArray().Count));
        var sid = stack["id"]!.GetValue<string>();
        await w.FovAsync(client, "fov_01", stack: sid);
        await w.FovAsync(client, "fov_00", stack: sid);
        var otherSession = await w.Probe.SessionAsync(app, ProbeWorld.Start.AddDays(1), 2);

        var refused = await (await client.PostAsync("/fields-of-view", Json.Body(new
        {
            session = otherSession.ToString(),
            imaging_type = w.ImagingType,
            name = "fov_02",
            stack = sid,
        }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        AssertBody("""{"non_field_errors":["Stack fields of view must belong to the same session"],"status_code":400}""", refused);

        var page = await GetAsync(client, $"/imaging-stack?name={name}");
        var listed = Assert.Single(page["results"]!.AsArray())!;
        Assert.Equal(["id", "slices"], listed.Keys());
        Assert.Equal(["fov_00", "fov_01"], listed["slices"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(FovKeys, listed["slices"]![0]!.Keys());
        var detail = await GetAsync(client, $"/imaging-stack/{sid}");
        Assert.Equal(["id", "slices", "name", "json"], detail.Keys());
        Assert.Equal(["fov_00", "fov_01"], detail["slices"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal([sid, sid], detail["slices"]!.AsArray().Select(s => s!["stack"]!.GetValue<string>()));
        Assert.Single(Ids(await GetAsync(client, $"/fields-of-view?stack={sid}&name=fov_00")));

        // Read only: no update or delete route.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync($"/imaging-stack/{sid}", Ct)).StatusCode);
        var blank = await PostAsync(client, "/imaging-stack", new { name = "" }, HttpStatusCode.BadRequest);
        AssertBody("""{"name":["This field may not be blank."],"status_code":400}""", blank);
    }

    [Fact]
    public async Task ImagingStack_AtlasFilter_UsesTheDefaultLocationOfASlice()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var name = AlyxApp.Unique("stack");
        var sid = (await PostAsync(client, "/imaging-stack", new { name }))["id"]!.GetValue<string>();
        var fov = (await w.FovAsync(client, "fov_00", stack: sid))["id"]!.GetValue<string>();
        await LocationAsync(client, fov, "E", false, [355]);

        Assert.Empty(Ids(await GetAsync(client, $"/imaging-stack?name={name}&atlas_acronym=AIp6b")));
        await LocationAsync(client, fov, "L", true, [9]);
        Assert.Empty(Ids(await GetAsync(client, $"/imaging-stack?name={name}&atlas_acronym=AIp6b")));
        Assert.Equal([sid], Ids(await GetAsync(client, $"/imaging-stack?name={name}&atlas_acronym=ssp-TR6A")));
        Assert.Equal([sid], Ids(await GetAsync(client, $"/imaging-stack?name={name}&atlas_name=trunk")));
        var bad = await GetAsync(client, "/imaging-stack?atlas_id=abc", HttpStatusCode.BadRequest);
        AssertBody("""{"atlas_id":["Enter a number."],"status_code":400}""", bad);
    }

    [Fact]
    public async Task PostFov_MissingOrDuplicate_Answers400WithTheOriginalsWords()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        await w.FovAsync(client, "FOV_00");

        var missing = await PostAsync(client, "/fields-of-view", new { json = new { a = 1 } }, HttpStatusCode.BadRequest);
        var duplicate = await PostAsync(client, "/fields-of-view", new { session = w.Session.ToString(), imaging_type = w.ImagingType, name = "FOV_00" },
            HttpStatusCode.BadRequest);
        var unknown = await PostAsync(client, "/fields-of-view", new { session = Guid.Empty.ToString(), imaging_type = "none", name = "x", stack = "bad" },
            HttpStatusCode.BadRequest);

        AssertBody("""{"imaging_type":["This field is required."],"name":["This field is required."],"session":["This field is required."],"status_code":400}""", missing);
        AssertBody("""{"non_field_errors":["The fields session, name must make a unique set."],"status_code":400}""", duplicate);
        AssertBody("""{"imaging_type":["Object with name=none does not exist."],"session":["Invalid pk \"00000000-0000-0000-0000-000000000000\" - object does not exist."],"stack":["“bad” is not a valid UUID."],"status_code":400}""", unknown);
    }

    [Fact]
    public async Task PostFovLocation_Validation_AndTheDefaultCoordinateSystem()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var fov = (await w.FovAsync(client, "FOV_00"))["id"]!.GetValue<string>();

        var missing = await PostAsync(client, "/fov-location", new { }, HttpStatusCode.BadRequest);
        Assert.Equal(["provenance", "x", "y", "z", "n_xyz", "field_of_view", "status_code"], missing.Keys());
        var invalid = await PostAsync(client, "/fov-location", new
        {
            field_of_view = fov,
            provenance = "Q",
            x = "1",
            y = new object[] { 1, "a" },
            z = new[] { 1 },
            n_xyz = new[] { 1.5 },
            brain_region = new[] { 355, 123456789 },
        }, HttpStatusCode.BadRequest);
        AssertBody("""{"brain_region":["Object with id=123456789 does not exist."],"provenance":["\"Q\" is not a valid choice."],"x":["Expected a list of items but got type \"str\"."],"y":["A valid number is required."],"n_xyz":["A valid integer is required."],"status_code":400}""", invalid);

        // coordinate_system omitted: IBL-Allen (the original crashes here); default_provenance false; brain regions optional.
        var created = await PostAsync(client, "/fov-location", new
        {
            field_of_view = fov,
            provenance = "F",
            x = new object?[] { 1, "2.5", null },
            y = Array.Empty<double>(),
            z = new[] { 1e20 },
            n_xyz = new[] { 512, 256 },
        });
        Assert.Equal(("IBL-Allen", false, "F"), (created["coordinate_system"]!.GetValue<string>(), created["default_provenance"]!.GetValue<bool>(),
            created["provenance"]!.GetValue<string>()));
        Assert.Equal(("[1.0,2.5,null]", "[]", "[1e+20]", "[512,256]", "[]"), (created["x"]!.ToJsonString(), created["y"]!.ToJsonString(),
            created["z"]!.ToJsonString(), created["n_xyz"]!.ToJsonString(), created["brain_region"]!.ToJsonString()));

        // PATCH to default: the other default location of the field of view loses the flag.
        var estimate = await LocationAsync(client, fov, "E", true, [355]);
        var patched = await (await client.PatchAsync($"/fov-location/{created["id"]}", Json.Body(new { default_provenance = true, brain_region = new[] { 9 } }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((true, "[9]"), (patched["default_provenance"]!.GetValue<bool>(), patched["brain_region"]!.ToJsonString()));
        Assert.False((await GetAsync(client, $"/fov-location/{estimate["id"]}"))["default_provenance"]!.GetValue<bool>());
    }

    [Fact]
    public async Task FovLists_Filters_KeepWhatMatches()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var a = (await w.FovAsync(client, "FOV_00"))["id"]!.GetValue<string>();
        var b = (await w.FovAsync(client, "FOV_01"))["id"]!.GetValue<string>();
        var later = await w.Probe.SessionAsync(app, ProbeWorld.Start.AddDays(2), 3);
        var c = (await w.FovAsync(client, "FOV_00", session: later))["id"]!.GetValue<string>();
        var subject = w.Probe.Subject;

        // Session start descending, then name.
        Assert.Equal([c, a, b], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}")));
        Assert.Equal([a, b], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&date=2024-03-05")));
        Assert.Equal([c], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&experiment_number=3")));
        Assert.Equal([c, a, b], Ids(await GetAsync(client, $"/fields-of-view?lab={w.Probe.Lab.ToUpperInvariant()}")));
        Assert.Equal([a, b], Ids(await GetAsync(client, $"/fields-of-view?project={w.Probe.Project}")));
        Assert.Equal([c, a], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&name=FOV_00")));
        Assert.Equal([c, a, b], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&imaging_type={w.ImagingType.ToUpperInvariant()[2..]}")));
        Assert.Empty(Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&imaging_type=mesoscope")));
        Assert.Equal([b], Ids(await GetAsync(client, $"/fields-of-view?subject={subject}&django=name__icontains,fov_01")));
        var bad = await GetAsync(client, "/fields-of-view?experiment_number=x&date=2024-13-01", HttpStatusCode.BadRequest);
        Assert.Equal(["date", "experiment_number", "status_code"], bad.Keys());

        var e = (await LocationAsync(client, a, "E", true, [355], x: [7.25, 8.0]))["id"]!.GetValue<string>();
        var h = (await LocationAsync(client, a, "H", false, [9]))["id"]!.GetValue<string>();
        var l = (await LocationAsync(client, b, "L", false, [9, 355]))["id"]!.GetValue<string>();
        string Of(string fov) => $"/fov-location?field_of_view={fov}";
        Assert.Equal([e, h], Ids(await GetAsync(client, Of(a))));
        Assert.Equal(ShortLocationKeys, (await GetAsync(client, Of(a)))["results"]![0]!.Keys());
        Assert.Equal([e], Ids(await GetAsync(client, Of(a) + "&provenance=estimate")));
        Assert.Equal([h], Ids(await GetAsync(client, Of(a) + "&default_provenance=False")));
        Assert.Equal([e], Ids(await GetAsync(client, Of(a) + "&brain_region=355")));
        Assert.Equal([l], Ids(await GetAsync(client, Of(b) + "&brain_region=9")));
        Assert.Equal([e], Ids(await GetAsync(client, Of(a) + "&x=8")));
        Assert.Equal([e], Ids(await GetAsync(client, Of(a) + "&x=7.25")));
        Assert.Empty(Ids(await GetAsync(client, Of(a) + "&x=7.2")));
        Assert.Equal([e, h], Ids(await GetAsync(client, Of(a) + "&n_xyz=512&y=1.5&z=-1&coordinate_system=IBL-Allen")));
        Assert.Empty(Ids(await GetAsync(client, Of(a) + "&n_xyz=2")));
        var wrong = await GetAsync(client, "/fov-location?provenance=E&x=abc", HttpStatusCode.BadRequest);
        AssertBody("""{"provenance":["Invalid provenance, choices are: Estimate, Functional, Landmark, Histology"],"x":["Enter a number."],"status_code":400}""", wrong);
    }

    [Fact]
    public async Task ImagingListsAndDetails_CommandCount_DoesNotGrowWithThePageSize()
    {
        var client = await app.ClientForAsync();
        var w = await ImagingWorld.CreateAsync(app);
        var name = AlyxApp.Unique("stack");
        var sid = (await PostAsync(client, "/imaging-stack", new { name }))["id"]!.GetValue<string>();
        var fovs = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var fov = (await w.FovAsync(client, $"fov_{i:00}", stack: sid))["id"]!.GetValue<string>();
            fovs.Add(fov);
            await w.Probe.DatasetAsync(app, $"d{i}.npy", $"alf/fov_{i:00}");
            await LocationAsync(client, fov, "E", true, [355, 9]);
            await LocationAsync(client, fov, "H", false, [53]);
        }
        for (var i = 0; i < 3; i++) await PostAsync(client, "/imaging-stack", new { name });

        foreach (var list in new[] { $"/fields-of-view?session={w.Session}", $"/fov-location?django=field_of_view__session,{w.Session}", $"/imaging-stack?name={name}" })
        {
            var one = await app.Commands.CountAsync(async () => await GetAsync(client, list + "&limit=1"));
            var all = await app.Commands.CountAsync(async () => await GetAsync(client, list + "&limit=100"));
            // Token lookup, the page (split into a few queries for nested collections), the count: never one per row.
            Assert.True(all <= 10 && one <= 10 && all <= one + 1, $"{list}: {one} commands for 1 row, {all} for a page of many");
        }
        var page = await GetAsync(client, $"/fields-of-view?session={w.Session}&limit=100");
        Assert.Equal(6, page["count"]!.GetValue<int>());
        foreach (var detail in new[] { $"/fields-of-view/{fovs[0]}", $"/imaging-stack/{sid}" })
        {
            var count = await app.Commands.CountAsync(async () => await GetAsync(client, detail));
            Assert.True(count <= 10, $"{detail}: {count} commands");
        }
        var atlas = await app.Commands.CountAsync(async () => await GetAsync(client, $"/fields-of-view?atlas_acronym=root&limit=100"));
        Assert.True(atlas <= 10, $"atlas: {atlas} commands");
    }
}
