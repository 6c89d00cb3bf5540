using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Http;

/// <summary>
/// Malformed bodies against every write operation of the endpoint catalogue (the OpenAPI document's source): each class
/// of malformation is a 400 in the Alyx error shape naming what is wrong, and nothing is written.
/// </summary>
public sealed class MalformedInputTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Surrogate = "Surrogate characters are not allowed: U+D800.";
    const string Nul = "Null characters are not allowed.";
    const string DateMessage = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
    const string DateTimeMessage = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

    /// <summary>A body to send: raw bytes, and the fields the answer must name (with the message when it is fixed).</summary>
    sealed record Probe(byte[] Bytes, Dictionary<string, string?> Named, string? ExactBody = null);

    static Probe Text(string json, Dictionary<string, string?> named) => new(Encoding.UTF8.GetBytes(json), named);

    static IEnumerable<Field> Writable(ApiOperation op) => op.Request?.Fields.Where(f => !f.ReadOnly) ?? [];

    /// <summary>A JSON object text from raw member texts (so a key may repeat and escapes stay as written).</summary>
    static string Object(IEnumerable<string> members) => "{" + string.Join(", ", members) + "}";

    static bool SerializerBacked(ApiOperation op) => op.Path is not ("/register-file" or "/new-download");

    static string Quoted(string name) => "\"" + name + "\"";

    /// <summary>Every text field (text, slug, choice, slug list, JSON) holding <paramref name="escaped"/>, a JSON string body.</summary>
    static Probe? EveryTextField(ApiOperation op, string escaped, Func<Field, string?> message)
    {
        var members = new List<string>();
        var named = new Dictionary<string, string?>();
        foreach (var f in Writable(op))
        {
            var value = f.Kind switch
            {
                FieldKind.String or FieldKind.Slug or FieldKind.Choice => $"\"{escaped}\"",
                FieldKind.SlugList => $"[\"{escaped}\"]",
                FieldKind.Json => $"{{\"k\": \"{escaped}\"}}",
                _ => null,
            };
            if (value is null) continue;
            members.Add($"{Quoted(f.Name)}: {value}");
            if (message(f) is { } m) named[f.Name] = m == "" ? null : m;
        }
        return members.Count == 0 ? null : Text(Object(members), named);
    }

    [Fact]
    public Task InvalidUtf8_EveryWriteOperation_IsAJsonParseError() => EveryWriteOperationAsync(_ =>
    {
        // `{"name": "` is bytes 0-9: the 0xff is at position 10.
        var bytes = Encoding.UTF8.GetBytes("{\"name\": \"").Concat(new byte[] { 0xff, 0x41 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        return new Probe(bytes, [],
            "{\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xff in position 10: invalid start byte\",\"status_code\":400}");
    });

    [Fact]
    public Task TruncatedUtf8_EveryWriteOperation_IsAJsonParseError() => EveryWriteOperationAsync(_ =>
    {
        // `{"name": "é` cut after the first byte of é (0xc3 at position 10), then the closing quote: 0x22 cannot continue it.
        var bytes = Encoding.UTF8.GetBytes("{\"name\": \"").Concat(new byte[] { 0xc3 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        return new Probe(bytes, [],
            "{\"detail\":\"JSON parse error - 'utf-8' codec can't decode byte 0xc3 in position 10: invalid continuation byte\",\"status_code\":400}");
    });

    [Fact]
    public Task DuplicateKeys_EveryWriteOperation_TheLastValueIsValidated() => EveryWriteOperationAsync(op =>
    {
        // A valid-looking first value, then one no field accepts: the answer must judge the last one.
        var fields = Writable(op).Where(f => f.Kind is not (FieldKind.Json or FieldKind.Image)).ToList();
        if (fields.Count == 0) return null;
        var members = fields.SelectMany(f => new[] { $"{Quoted(f.Name)}: \"1\"", $"{Quoted(f.Name)}: {{\"a\": 1}}" });
        // register-file and new-download are views, not serializers: the first value they cannot use is the 400's detail.
        return Text(Object(members), SerializerBacked(op) ? fields.ToDictionary(f => f.Name, _ => (string?)null) : []);
    });

    [Fact]
    public Task LoneSurrogate_EveryWriteOperation_IsAFieldError() =>
        EveryWriteOperationAsync(op => EveryTextField(op, "a\\ud800b", _ => Surrogate));

    [Fact]
    public Task LoneLowSurrogate_EveryWriteOperation_IsAFieldError() =>
        EveryWriteOperationAsync(op => EveryTextField(op, "\\udc00", _ => "Surrogate characters are not allowed: U+DC00."));

    [Fact]
    public Task NulCharacter_EveryWriteOperation_IsRefused() =>
        EveryWriteOperationAsync(op => EveryTextField(op, "a\\u0000b", f => f.Kind switch
        {
            // DRF's ChoiceField has no NUL validator: the value is not one of the choices.
            FieldKind.Choice => "",
            // register-file refuses an unsafe path or file name with the file it is in (RegisterFileTests).
            _ when op.Path == "/register-file" && f.Name is "path" or "filenames" => null,
            _ => Nul,
        }));

    [Fact]
    public Task NumberForADate_EveryWriteOperation_IsTheWrongFormatMessage() => EveryWriteOperationAsync(op =>
    {
        var fields = Writable(op).Where(f => f.Kind is FieldKind.Date or FieldKind.DateTime).ToList();
        if (fields.Count == 0) return null;
        return Text(Object(fields.Select(f => $"{Quoted(f.Name)}: 20240101")),
            fields.ToDictionary(f => f.Name, f => (string?)(f.Kind == FieldKind.Date ? DateMessage : DateTimeMessage)));
    });

    /// <summary>
    /// Sends the probe to every post/put/patch operation of the catalogue (detail routes on a real row of the imported
    /// fixture) and collects every answer that is not a 400 in the Alyx shape naming the expected fields, or that wrote.
    /// </summary>
    async Task EveryWriteOperationAsync(Func<ApiOperation, Probe?> build)
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync("admin");
        await EnsureRowsAsync(client);
        var catalog = app.Services.GetRequiredService<ApiCatalog>();
        var operations = catalog.Operations.Where(o => o.Method is "post" or "put" or "patch").ToList();
        Assert.True(operations.Count >= 60, $"only {operations.Count} write operations in the catalogue");
        var failures = new List<string>();
        var probed = 0;
        foreach (var op in operations)
        {
            var probe = build(op);
            if (probe is null) continue;
            var url = await UrlOfAsync(client, op);
            if (url is null)
            {
                failures.Add($"{op.Method} {op.Path}: no row to write to");
                continue;
            }
            probed++;
            var before = await SnapshotAsync(client, op, url);
            var request = new HttpRequestMessage(new HttpMethod(op.Method.ToUpperInvariant()), url)
            {
                Content = new ByteArrayContent(probe.Bytes) { Headers = { { "Content-Type", "application/json" } } },
            };
            var response = await client.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var where = $"{op.Method} {url}";
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{where}: {(int)response.StatusCode} {text}");
                continue;
            }
            if (probe.ExactBody is not null && text != probe.ExactBody) failures.Add($"{where}: {text}");
            var body = JsonNode.Parse(text) as JsonObject;
            if (body is null || body["status_code"]?.GetValue<int>() != 400) failures.Add($"{where}: not the Alyx error shape: {text}");
            foreach (var (field, message) in probe.Named)
            {
                if (body?[field] is not JsonArray messages) failures.Add($"{where}: {field} not named: {text}");
                else if (message is not null && !messages.Any(m => m?.GetValue<string>() == message))
                    failures.Add($"{where}: {field}: expected \"{message}\": {text}");
            }
            var after = await SnapshotAsync(client, op, url);
            if (after != before) failures.Add($"{where}: the database changed");
        }
        Assert.True(probed > 0, "no operation was probed");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probed} operations:\n" + string.Join("\n", failures));
    }

    /// <summary>One row of each resource the imported fixture has none of, created through the API, so every detail route is probed.</summary>
    async Task EnsureRowsAsync(HttpClient client)
    {
        if ((await First(client, "/insertions")) is not null) return;
        async Task<JsonNode> Post(string path, string json) =>
            await (await client.PostAsync(path, Json.Body(json), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var sessionRow = (await First(client, "/sessions"))!;
        var session = sessionRow["id"]!.ToString();
        var subject = (await First(client, "/subjects"))!;
        var line = (await First(client, "/lines"))!["nickname"]!.ToString();
        var allele = (await First(client, "/alleles"))!["nickname"]!.ToString();
        await Post("/tags", "{\"name\": \"probe_tag\"}");
        await Post("/projects", "{\"name\": \"probe_project\"}");
        await Post("/revisions", "{\"name\": \"probe_revision\"}");
        await Post("/data-repository", "{\"name\": \"probe_repository\"}");
        await Post("/data-formats", "{\"name\": \"probe_format\", \"file_extension\": \".probe\"}");
        await Post("/dataset-types", "{\"name\": \"probe.type\", \"filename_pattern\": \"\"}");
        var datasetUrl = (await Post("/datasets", $"{{\"name\": \"probe.type.probe\", \"dataset_type\": \"probe.type\", "
            + $"\"data_format\": \"probe_format\", \"session\": \"{sessionRow["url"]}\"}}"))["url"]!.ToString();
        var dataset = datasetUrl.Split('/')[^1];
        await Post("/files", $"{{\"dataset\": \"{datasetUrl}\", \"data_repository\": \"probe_repository\", \"relative_path\": \"a/b\"}}");
        await Post("/new-download", $"{{\"datasets\": [\"{dataset}\"]}}");
        await Post("/notes", $"{{\"user\": \"admin\", \"content_type\": \"subject\", \"object_id\": \"{subject["id"]}\", \"text\": \"probe\"}}");
        await Post("/zygosity-rules", $"{{\"line\": \"{line}\", \"allele\": \"{allele}\", \"zygosity\": 1}}");
        await Post("/data-notices", "{\"name\": \"probe notice\", \"description\": \"probe\"}");
        await Post("/water-restriction", $"{{\"subject\": \"{subject["nickname"]}\", \"start_time\": \"2024-01-01T00:00:00\"}}");
        var insertion = (await Post("/insertions", $"{{\"session\": \"{session}\", \"name\": \"probe00\"}}"))["id"]!.ToString();
        // Brain regions are reference data (no create route): the void root, which channels default to.
        await app.WithDbAsync(async db =>
        {
            db.BrainRegions.Add(new Alyx.Experiments.BrainRegion { Id = 0, Acronym = "void", Name = "void", Lft = 1, Rght = 2, TreeId = 1 });
            await db.SaveChangesAsync(Ct);
        });
        await Post("/chronic-insertions", $"{{\"subject\": \"{subject["nickname"]}\", \"name\": \"probe00\"}}");
        var trajectory = (await Post("/trajectories",
            $"{{\"probe_insertion\": \"{insertion}\", \"x\": 1, \"y\": 1, \"depth\": 1, \"theta\": 1, \"phi\": 1, \"provenance\": \"Planned\"}}"))["id"]!.ToString();
        await Post("/channels", $"{{\"trajectory_estimate\": \"{trajectory}\", \"axial\": 1, \"lateral\": 1}}");
        await Post("/tasks", $"{{\"session\": \"{session}\", \"name\": \"probe_task\"}}");
        // Imaging types are reference data (no create route).
        await app.WithDbAsync(async db =>
        {
            db.Add(new Alyx.Experiments.ImagingType { Name = "probe_imaging" });
            await db.SaveChangesAsync(Ct);
        });
        var fov = (await Post("/fields-of-view", $"{{\"session\": \"{session}\", \"name\": \"probe_fov\", \"imaging_type\": \"probe_imaging\"}}"))["id"]!.ToString();
        await Post("/fov-location", $"{{\"field_of_view\": \"{fov}\", \"provenance\": \"E\", \"x\": [], \"y\": [], \"z\": [], \"n_xyz\": []}}");
    }

    async Task<JsonNode?> First(HttpClient client, string list)
    {
        var page = await (await client.GetAsync(list + "?limit=1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return page is JsonObject o && o["results"] is JsonArray results ? results.FirstOrDefault()
            : page is JsonArray a ? a.FirstOrDefault() : null;
    }

    readonly Dictionary<string, string?> urls = [];

    /// <summary>The operation's URL: a list route as it is, a detail route on the first row its list answers.</summary>
    async Task<string?> UrlOfAsync(HttpClient client, ApiOperation op)
    {
        if (op.PathParameters.Count == 0) return op.Path;
        if (urls.TryGetValue(op.Path, out var known)) return known;
        var brace = op.Path.IndexOf('{', StringComparison.Ordinal);
        var list = op.Path[..(brace - 1)];
        var parameter = op.Path[(brace + 1)..op.Path.IndexOf('}', StringComparison.Ordinal)];
        var response = await client.GetAsync(list + "?limit=1", Ct);
        string? url = null;
        if (response.IsSuccessStatusCode && JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)) is { } page)
        {
            var first = page is JsonObject o && o["results"] is JsonArray results ? results.FirstOrDefault()
                : page is JsonArray a ? a.FirstOrDefault() : null;
            var value = first?[parameter]?.ToString() ?? first?["url"]?.ToString().TrimEnd('/').Split('/')[^1];
            if (value is not null) url = op.Path[..brace] + Uri.EscapeDataString(value);
        }
        // The water-restriction list (the original's serializer) shows neither id nor url.
        if (url is null && list == "/water-restriction")
            url = list + "/" + await app.WithDbAsync(db => db.WaterRestrictions.OrderBy(r => r.StartTime).Select(r => r.Id).FirstAsync(Ct));
        urls[op.Path] = url;
        return url;
    }

    /// <summary>Row counts of every table, and for a detail route its representation.</summary>
    async Task<string> SnapshotAsync(HttpClient client, ApiOperation op, string url)
    {
        var counts = await app.WithDbAsync(async db =>
        {
            var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order().ToList();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(Ct);
            var sb = new StringBuilder();
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                sb.Append(table).Append('=').Append(await command.ExecuteScalarAsync(Ct)).Append(';');
            }
            return sb.ToString();
        });
        if (op.PathParameters.Count == 0) return counts;
        return counts + await (await client.GetAsync(url, Ct)).Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task DuplicateKey_KeepsTheLastValue()
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync("admin");
        var first = AlyxApp.Unique("first");
        var last = AlyxApp.Unique("last");
        var created = await (await client.PostAsync("/labs", Json.Body($"{{\"name\": \"{first}\", \"name\": \"{last}\"}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(last, created["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/labs/{first}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/labs/{last}", Ct)).StatusCode);
    }

    [Fact]
    public async Task SurrogatePair_IsOneValidCharacter()
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync("admin");
        var name = AlyxApp.Unique("pair");
        var created = await (await client.PostAsync("/labs", Json.Body($"{{\"name\": \"{name}\", \"institution\": \"\\ud83d\\ude00\"}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("\U0001F600", created["institution"]!.GetValue<string>());
    }

    [Fact]
    public async Task AuthToken_NulOrSurrogateInTheUsername_IsAFieldError()
    {
        var client = app.AnonymousClient();
        Assert.Equal("{\"username\":[\"Null characters are not allowed.\"],\"status_code\":400}", await (await client.PostAsync("/auth-token",
            Json.Body("{\"username\": \"ad\\u0000min\", \"password\": \"x\"}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"username\":[\"Surrogate characters are not allowed: U+D800.\"],\"status_code\":400}", await (await client.PostAsync("/auth-token",
            Json.Body("{\"username\": \"\\ud800\", \"password\": \"x\"}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task DateGivenAsAString_IsStillAccepted()
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync("admin");
        var nickname = AlyxApp.Unique("dated");
        var lab = (await (await client.GetAsync("/labs?limit=1", Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!["name"]!.GetValue<string>();
        var created = await (await client.PostAsync("/subjects",
            Json.Body($"{{\"nickname\": \"{nickname}\", \"lab\": \"{lab}\", \"birth_date\": \"2024-01-01\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2024-01-01", created["birth_date"]!.GetValue<string>());
        var count = await app.WithDbAsync(db => db.Subjects.CountAsync(s => s.Nickname == nickname, Ct));
        Assert.Equal(1, count);
    }
}
