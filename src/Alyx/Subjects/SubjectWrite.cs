using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>
/// POST/PUT/PATCH of a subject: DRF field validation, slug resolution, unique-together checks, then the model's save
/// rules (spec 11 §3.1) in one transaction.
/// </summary>
static class SubjectWrite
{
    public const string DefaultSpeciesName = "Mus musculus";
    public const string DefaultSpeciesNickname = "Laboratory mouse";
    public static readonly Guid DefaultSpeciesId = Guid.Parse("60f915ba-bdf4-444a-ada0-be7ebd3c1826");
    const string DefaultSource = "IBL";
    const string JsonMessage = "The subject's json must be an object (it holds the change history).";

    public static async Task<IResult?> ApplyAsync(Subject subject, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, bool creating,
        CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        // The list serializer's genotype is read-only here (quirk S3: posting it crashed the original).
        var data = SubjectDtos.List.Validate(body!, partial, errors);

        LabMember? responsible = null;
        if (data.TryGet<string>("responsible_user", out var username) && username is not null)
            responsible = await Slugs.ResolveOneAsync(db.Users, u => u.Username, "username", username, "responsible_user", errors, ct);
        var species = await OptionalAsync(data, "species", db.Species, s => s.Nickname, "nickname", errors, ct);
        var litter = await OptionalAsync(data, "litter", db.Litters, l => l.Name, "name", errors, ct);
        var strain = await OptionalAsync(data, "strain", db.Strains, s => s.Name, "name", errors, ct);
        var source = await OptionalAsync(data, "source", db.Sources, s => s.Name, "name", errors, ct);
        var line = await OptionalAsync(data, "line", db.Lines, l => l.Name, "name", errors, ct);
        List<Project>? projects = null;
        if (data.TryGet<List<string>>("projects", out var projectNames))
            projects = await Slugs.ResolveAsync(db.Projects, p => p.Name, "name", projectNames!, "projects", errors, ct);
        Lab? lab = null;
        if (data.TryGet<string>("lab", out var labName) && labName is not null)
            lab = await Slugs.ResolveOneAsync(db.Labs, l => l.Name, "name", labName, "lab", errors, ct);
        JsonNode? newJson = null;
        if (data.TryGet<string>("json", out var jsonText) && jsonText is not null)
        {
            newJson = JsonNode.Parse(jsonText);
            if (!IsObjectOrEmpty(newJson)) errors.Add("json", JsonMessage);
        }
        if (errors.Any) return AlyxResults.Validation(errors);

        // Defaults of omitted fields on create and PUT (DRF sets them for unique-together fields and CurrentUserDefault).
        var userId = req.HttpContext.RequiredUser().Id;
        var nickname = data.TryGet<string>("nickname", out var given) ? given! : partial ? subject.Nickname : "-";
        var responsibleId = responsible?.Id ?? (data.Has("responsible_user") || partial ? subject.ResponsibleUserId : userId);
        var labId = lab?.Id ?? subject.LabId;

        // Unique-together (only once every field is valid; on PATCH only when a field of the pair was sent).
        var checkLab = !partial || data.Has("nickname") || data.Has("lab");
        if (checkLab && await db.Subjects.AnyAsync(s => s.Nickname == nickname && s.LabId == labId && s.Id != subject.Id, ct))
            errors.Add("non_field_errors", "The fields nickname, lab must make a unique set.");
        var checkUser = !partial || data.Has("nickname") || data.Has("responsible_user");
        if (checkUser && responsibleId is not null
            && await db.Subjects.AnyAsync(s => s.Nickname == nickname && s.ResponsibleUserId == responsibleId && s.Id != subject.Id, ct))
            errors.Add("non_field_errors", "The fields nickname, responsible_user must make a unique set.");
        if (errors.Any) return AlyxResults.Validation(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // "Original" values: on creation the constructed object, so nothing but auto-naming counts as a change.
        var original = creating ? (Nickname: nickname, ResponsibleUserId: responsibleId) : (subject.Nickname, subject.ResponsibleUserId);
        subject.Nickname = nickname;
        subject.ResponsibleUserId = responsibleId;
        subject.LabId = labId;
        if (data.TryGet<DateOnly?>("birth_date", out var birth)) subject.BirthDate = birth;
        if (data.TryGet<DateOnly?>("death_date", out var death)) subject.DeathDate = death;
        if (data.TryGet<string>("sex", out var sex)) subject.Sex = sex!;
        if (data.TryGet<string>("description", out var description)) subject.Description = description ?? "";
        if (data.Has("litter")) subject.LitterId = litter?.Id;
        if (data.Has("strain")) subject.StrainId = strain?.Id;
        if (data.Has("line")) subject.LineId = line?.Id;
        if (data.Has("species")) subject.SpeciesId = species?.Id;
        else if (creating) subject.SpeciesId = await DefaultSpeciesAsync(db, ct);
        if (data.Has("source")) subject.SourceId = source?.Id;
        else if (creating) subject.SourceId = await db.Sources.Where(s => s.Name == DefaultSource).OrderBy(s => s.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (data.Has("json")) subject.Json = jsonText;
        if (creating) db.Subjects.Add(subject);

        var rule = await SaveRulesAsync(subject, original, creating, db, clock, ct);
        if (rule is not null) return rule;
        await db.SaveChangesAsync(ct);
        if (projects is not null)
        {
            subject.Projects.Clear();
            subject.Projects.AddRange(projects);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Spec 11 §3.1 steps 1-6 and 8 (Alyx: Subject.save); step 7, the write, is the caller's.</summary>
    static async Task<IResult?> SaveRulesAsync(Subject subject, (string Nickname, Guid? ResponsibleUserId) original, bool creating, AlyxDb db,
        AlyxClock clock, CancellationToken ct)
    {
        var line = subject.LineId is null ? null : await db.Lines.SingleAsync(l => l.Id == subject.LineId, ct);
        // 1. Auto-name from the line: '<line nickname>_<index:0000>', skipping names already taken anywhere.
        if (line is not null && subject.Nickname == "-")
        {
            string name;
            do
            {
                line.SubjectAutonameIndex++;
                name = string.Create(CultureInfo.InvariantCulture, $"{line.Nickname}_{line.SubjectAutonameIndex:D4}");
            }
            while (await db.Subjects.AnyAsync(s => s.Nickname == name, ct));
            subject.Nickname = name;
        }
        // 2. The nickname pattern, whatever set the nickname.
        if (!Regex.IsMatch(subject.Nickname, SubjectDtos.NicknamePattern))
            return AlyxResults.Validation("nickname", SubjectDtos.NicknameMessage);
        // 3. Default strain from the line.
        if (line is not null && subject.StrainId is null) subject.StrainId = line.StrainId;
        // 4. Cull date sync: a recorded cull follows the death date.
        if (subject.DeathDate is { } deathDate)
        {
            var cull = await db.Set<Cull>().SingleOrDefaultAsync(c => c.SubjectId == subject.Id, ct);
            if (cull is not null && cull.Date != deathDate) cull.Date = deathDate;
        }
        // 5. Request assignment when the responsible user changed: the user's most recent request for the line.
        if (subject.ResponsibleUserId is not null && subject.ResponsibleUserId != original.ResponsibleUserId && line is not null
            && subject.RequestId is null)
        {
            subject.RequestId = await db.SubjectRequests.Where(r => r.UserId == subject.ResponsibleUserId && r.LineId == line.Id)
                .OrderByDescending(r => r.DateTime != null).ThenByDescending(r => r.DateTime).ThenBy(r => r.Id)
                .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        }
        // 6. History of nickname and responsible user in json (cage is not writable through REST).
        var now = HistoryTime(clock.Now);
        if (subject.Nickname != original.Nickname) AppendHistory(subject, "nickname", original.Nickname, now);
        if (subject.ResponsibleUserId != original.ResponsibleUserId)
            AppendHistory(subject, "responsible_user", original.ResponsibleUserId?.ToString() ?? "None", now);
        // 8. Responsible-user change notification, on updates only; skipped when either user is missing (the
        // original fails with a 500 after saving in that case).
        if (!creating && original.ResponsibleUserId is { } oldUser && subject.ResponsibleUserId is { } newUser && oldUser != newUser)
            await Notifications.ResponsibleUserChangedAsync(db, clock, subject, oldUser, newUser, ct);
        return null;
    }

    /// <summary>Python's <c>isoformat()</c> of a naive datetime: microseconds only when non-zero.</summary>
    static string HistoryTime(DateTime now)
    {
        var micro = (int)(now.Ticks % TimeSpan.TicksPerSecond / 10);
        var text = now.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }

    static void AppendHistory(Subject subject, string field, string previous, string now)
    {
        var json = subject.Json is null ? null : JsonNode.Parse(subject.Json);
        var root = json as JsonObject ?? [];
        if (root["history"] is not JsonObject history)
        {
            history = [];
            root["history"] = history;
        }
        if (history[field] is not JsonArray entries)
        {
            entries = [];
            history[field] = entries;
        }
        entries.Add(new JsonObject { ["date_time"] = now, ["value"] = previous });
        subject.Json = root.ToJsonString();
    }

    /// <summary>Objects and Python-falsy values (null, "", 0, false, []) can carry history; other values would break every save.</summary>
    static bool IsObjectOrEmpty(JsonNode? node) => node switch
    {
        null or JsonObject => true,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => v.GetValue<double>() == 0,
            JsonValueKind.False => true,
            _ => false,
        },
        _ => false,
    };

    /// <summary>The default species, created on demand (spec 11 §2.1).</summary>
    static async Task<Guid> DefaultSpeciesAsync(AlyxDb db, CancellationToken ct)
    {
        var existing = await db.Species.Where(s => s.Id == DefaultSpeciesId || s.Nickname == DefaultSpeciesNickname)
            .OrderBy(s => s.Id != DefaultSpeciesId).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (existing is not null) return existing.Value;
        db.Species.Add(new Species { Id = DefaultSpeciesId, Name = DefaultSpeciesName, Nickname = DefaultSpeciesNickname });
        await db.SaveChangesAsync(ct);
        return DefaultSpeciesId;
    }

    static async Task<T?> OptionalAsync<T>(Validated data, string field, IQueryable<T> set, System.Linq.Expressions.Expression<Func<T, string>> slug,
        string slugName, ErrorMap errors, CancellationToken ct) where T : class =>
        data.TryGet<string>(field, out var value) && !string.IsNullOrEmpty(value)
            ? await Slugs.ResolveOneAsync(set, slug, slugName, value, field, errors, ct)
            : null;
}
