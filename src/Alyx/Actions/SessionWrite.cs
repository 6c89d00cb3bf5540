using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// POST/PUT/PATCH of a session (SessionDetailSerializer): field validation, slug and hyperlink resolution, the create
/// defaults (users = caller, start_time = now) and Session.save (lab from the subject, auto_datetime), in one transaction.
/// PUT requires <c>subject</c> but leaves omitted fields unchanged, like PATCH.
/// </summary>
static class SessionWrite
{
    public static async Task<IResult?> ApplyAsync(Session session, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, bool creating,
        CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = SessionDtos.Detail.Validate(body!, partial, errors);

        Subject? subject = null;
        if (data.TryGet<string>("subject", out var nickname) && nickname is not null)
            subject = await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct);
        List<LabMember>? users = null;
        if (data.TryGet<List<string>>("users", out var usernames))
            users = await Slugs.ResolveAsync(db.Users, u => u.Username, "username", usernames!, "users", errors, ct);
        List<Project>? projects = null;
        if (data.TryGet<List<string>>("projects", out var projectNames))
            projects = await Slugs.ResolveAsync(db.Projects, p => p.Name, "name", projectNames!, "projects", errors, ct);
        List<ProcedureType>? procedures = null;
        if (data.TryGet<List<string>>("procedures", out var procedureNames))
            procedures = await Slugs.ResolveAsync(db.ProcedureTypes, p => p.Name, "name", procedureNames!, "procedures", errors, ct);
        Lab? lab = null;
        if (data.TryGet<string>("lab", out var labName) && labName is not null)
            lab = await Slugs.ResolveOneAsync(db.Labs, l => l.Name, "name", labName, "lab", errors, ct);
        LabLocation? location = null;
        if (data.TryGet<string>("location", out var locationName) && locationName is not null)
            location = await Slugs.ResolveOneAsync(db.LabLocations, l => l.Name, "name", locationName, "location", errors, ct);
        Guid? parent = null;
        if (body!.Fields.TryGetPropertyValue("parent_session", out var parentNode) && !errors.Has("parent_session"))
        {
            var (parentId, parentError) = await Hyperlinks.ResolveAsync(parentNode, "sessions", id => db.Sessions.AnyAsync(s => s.Id == id, ct),
                nullable: true);
            if (parentError is not null) errors.Add("parent_session", parentError);
            parent = parentId;
        }
        if (errors.Any) return AlyxResults.Validation(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (subject is not null) session.SubjectId = subject.Id;
        if (data.Has("location")) session.LocationId = location?.Id;
        if (lab is not null) session.LabId = lab.Id;
        if (data.TryGet<string>("type", out var type)) session.Type = type;
        if (data.TryGet<string>("task_protocol", out var protocol)) session.TaskProtocol = protocol ?? "";
        if (data.Has("number")) session.Number = data.Get<int?>("number");
        if (data.Has("start_time")) session.StartTime = data.Get<DateTime?>("start_time");
        else if (creating) session.StartTime = clock.Now;
        if (data.Has("end_time")) session.EndTime = data.Get<DateTime?>("end_time");
        if (data.TryGet<string>("narrative", out var narrative)) session.Narrative = narrative ?? "";
        if (data.Has("parent_session")) session.ParentSessionId = parent;
        if (data.Has("n_correct_trials")) session.NCorrectTrials = data.Get<int?>("n_correct_trials");
        if (data.Has("n_trials")) session.NTrials = data.Get<int?>("n_trials");
        if (data.Has("extended_qc")) session.ExtendedQc = data.Get<string>("extended_qc");
        if (data.Has("json")) session.Json = data.Get<string>("json");
        if (data.TryGet<string>("qc", out var qc)) session.Qc = QcCodes.FromLabel(qc!)!.Value;

        // Users default to the caller on create when absent or empty (quirk Q-16); on update an empty list empties them.
        if (creating && (users is null || users.Count == 0))
        {
            var callerId = req.HttpContext.RequiredUser().Id;
            users = [await db.Users.SingleAsync(u => u.Id == callerId, ct)];
        }
        if (users is not null) Replace(session.Users, users);
        if (projects is not null) Replace(session.Projects, projects);
        if (procedures is not null) Replace(session.Procedures, procedures);

        // Session.save: the lab defaults to the subject's whenever it is empty; auto_datetime is the time of the write.
        if (session.LabId is null)
            session.LabId = await db.Subjects.Where(s => s.Id == session.SubjectId).Select(s => s.LabId).SingleAsync(ct);
        session.AutoDatetime = clock.Now;
        if (creating) db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    static void Replace<T>(List<T> current, List<T> given)
    {
        current.Clear();
        current.AddRange(given);
    }
}
