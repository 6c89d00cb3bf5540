using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>Subject.save (spec 11 §3.1): the rules applied to a subject about to be written, whatever wrote it.</summary>
static class SubjectRules
{
    /// <summary>
    /// Steps 1-6 and 8 (step 7, the write, is the caller's) on the tracked or new <paramref name="subject"/>, given its
    /// <paramref name="original"/> nickname and responsible user. Returns the nickname error that refuses the write, if any.
    /// </summary>
    public static async Task<string?> SaveAsync(AlyxDb db, AlyxClock clock, Subject subject, (string Nickname, Guid? ResponsibleUserId) original,
        bool notify, CancellationToken ct)
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
        if (!Regex.IsMatch(subject.Nickname, SubjectDtos.NicknamePattern)) return SubjectDtos.NicknameMessage;
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
        // 8. Responsible-user change notification (updates only); skipped when either user is missing (the original fails with
        // a 500 after saving in that case).
        if (notify && original.ResponsibleUserId is { } oldUser && subject.ResponsibleUserId is { } newUser && oldUser != newUser)
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
}
