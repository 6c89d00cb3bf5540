using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>
/// The write hooks of /subjects: the serializer's values, slugs and defaults (<see cref="WriteAsync"/>), then, once they are
/// valid, the unique-together checks, the creation defaults and Subject.save (<see cref="BeforeSaveAsync"/>).
/// </summary>
static class SubjectWrite
{
    public const string DefaultSpeciesName = "Mus musculus";
    public const string DefaultSpeciesNickname = "Laboratory mouse";
    public static readonly Guid DefaultSpeciesId = Guid.Parse("60f915ba-bdf4-444a-ada0-be7ebd3c1826");
    const string DefaultSource = "IBL";
    const string JsonMessage = "The subject's json must be an object (it holds the change history).";

    public static async Task WriteAsync(ResourceWrite<Subject> w)
    {
        w.Text("nickname", (s, v) => s.Nickname = v).Value<DateOnly?>("birth_date", (s, v) => s.BirthDate = v)
            .Value<DateOnly?>("death_date", (s, v) => s.DeathDate = v).Text("sex", (s, v) => s.Sex = v)
            .Text("description", (s, v) => s.Description = v);
        // Omitted on create and PUT: DRF's defaults of the unique-together nickname ('-': auto-named from the line) and of the
        // responsible user (CurrentUserDefault).
        if (!w.Partial && !w.Data.Has("nickname")) w.Entity.Nickname = "-";
        if (!w.Partial && !w.Data.Has("responsible_user")) w.Entity.ResponsibleUserId = w.User.Id;
        await w.RefAsync("responsible_user", w.Db.Users, u => u.Username, "username", (s, v) => s.ResponsibleUserId = v!.Id);
        await w.RefAsync("species", w.Db.Species, s => s.Nickname, "nickname", (s, v) => s.SpeciesId = v?.Id);
        await w.RefAsync("litter", w.Db.Litters, l => l.Name, "name", (s, v) => s.LitterId = v?.Id);
        await w.RefAsync("strain", w.Db.Strains, s => s.Name, "name", (s, v) => s.StrainId = v?.Id);
        await w.RefAsync("source", w.Db.Sources, s => s.Name, "name", (s, v) => s.SourceId = v?.Id);
        await w.RefAsync("line", w.Db.Lines, l => l.Name, "name", (s, v) => s.LineId = v?.Id);
        await w.RefsAsync("projects", w.Db.Projects, p => p.Name, "name", (s, v) => s.Projects = v);
        await w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (s, v) => s.LabId = v!.Id);
        if (w.Data.TryGet<string>("json", out var json) && json is not null && !IsObjectOrEmpty(JsonNode.Parse(json)))
            w.Errors.Add("json", JsonMessage);
    }

    public static async Task BeforeSaveAsync(ResourceWrite<Subject> w, AlyxClock clock)
    {
        var (s, db, ct) = (w.Entity, w.Db, w.Ct);
        // Unique together, once every field is valid; on PATCH only when a field of the pair was sent.
        if ((!w.Partial || w.Data.Has("nickname") || w.Data.Has("lab"))
            && await db.Subjects.AnyAsync(o => o.Nickname == s.Nickname && o.LabId == s.LabId && o.Id != s.Id, ct))
            w.Errors.Add("non_field_errors", "The fields nickname, lab must make a unique set.");
        if ((!w.Partial || w.Data.Has("nickname") || w.Data.Has("responsible_user")) && s.ResponsibleUserId is not null
            && await db.Subjects.AnyAsync(o => o.Nickname == s.Nickname && o.ResponsibleUserId == s.ResponsibleUserId && o.Id != s.Id, ct))
            w.Errors.Add("non_field_errors", "The fields nickname, responsible_user must make a unique set.");
        if (w.Errors.Any) return;
        if (w.Creating && !w.Data.Has("species"))
        {
            // The default species, created on demand (spec 11 §2.1).
            s.SpeciesId = await db.Species.Where(x => x.Id == DefaultSpeciesId || x.Nickname == DefaultSpeciesNickname)
                .OrderBy(x => x.Id != DefaultSpeciesId).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
            if (s.SpeciesId is null)
            {
                db.Species.Add(new Species { Id = DefaultSpeciesId, Name = DefaultSpeciesName, Nickname = DefaultSpeciesNickname });
                s.SpeciesId = DefaultSpeciesId;
            }
        }
        if (w.Creating && !w.Data.Has("source"))
            s.SourceId = await db.Sources.Where(x => x.Name == DefaultSource).OrderBy(x => x.Id).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
        // Subject.save compares with the stored row; on creation with the constructed one, so only auto-naming counts as a change.
        var entry = w.Creating ? null : db.Entry(s);
        var original = entry is null
            ? (s.Nickname, s.ResponsibleUserId)
            : (entry.Property(x => x.Nickname).OriginalValue, entry.Property(x => x.ResponsibleUserId).OriginalValue);
        if (await SubjectRules.SaveAsync(db, clock, s, original, notify: !w.Creating, ct) is { } nicknameError)
            w.Errors.Add("nickname", nicknameError);
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
}
