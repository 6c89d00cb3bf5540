using Alyx.Data;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>
/// POST/PUT/PATCH of a probe insertion (ProbeInsertionList/DetailSerializer): field validation, the session and probe model
/// slugs, the (name, session) uniqueness, then ProbeInsertion.save (auto_datetime, dataset links re-derived from the
/// collections) and an explicit <c>datasets</c> list on top, in one transaction. PUT requires <c>name</c> and <c>session</c>.
/// </summary>
static class InsertionWrite
{
    public static async Task<IResult?> ApplyAsync(ProbeInsertion insertion, Serializer serializer, HttpRequest req, AlyxDb db, AlyxClock clock,
        bool partial, bool creating, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = serializer.Validate(body!, partial, errors);

        Guid? sessionId = null;
        if (data.TryGet<string>("session", out var sessionText) && sessionText is not null)
            sessionId = await SessionAsync(db, sessionText, errors, ct);
        ProbeModel? model = null;
        if (data.TryGet<string>("model", out var modelText) && modelText is not null)
            model = await Slugs.ResolveOneAsync(db.ProbeModels, m => m.Model, "probe_model", modelText, "model", errors, ct);
        // No chronic insertions exist on this server, so any reference to one is a reference to a missing row.
        if (data.TryGet<string>("chronic_insertion", out var chronic) && chronic is not null)
            errors.Add("chronic_insertion", $"Invalid pk \"{chronic}\" - object does not exist.");
        List<Dataset>? datasets = null;
        if (data.TryGet<List<string>>("datasets", out var datasetIds))
            datasets = await DatasetsAsync(db, datasetIds!, errors, ct);
        if (errors.Any) return AlyxResults.Validation(errors);

        var name = data.TryGet<string>("name", out var givenName) ? givenName ?? "" : insertion.Name;
        var session = data.Has("session") ? sessionId : insertion.SessionId;
        if (session is not null && await db.ProbeInsertions.AnyAsync(p => p.Id != insertion.Id && p.Name == name && p.SessionId == session, ct))
            return AlyxResults.Validation("non_field_errors", InsertionDtos.UniqueMessage);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        insertion.Name = name;
        insertion.SessionId = session;
        if (model is not null) insertion.ModelId = model.Id;
        if (data.Has("json")) insertion.Json = data.Get<string>("json");
        if (data.TryGet<string>("serial", out var serial)) insertion.Serial = serial ?? "";
        insertion.AutoDatetime = clock.Now;
        if (creating) db.ProbeInsertions.Add(insertion);
        await InsertionLinks.RelinkAsync(db, insertion, ct);
        if (datasets is not null)
        {
            insertion.Datasets.Clear();
            insertion.Datasets.AddRange(datasets);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return AlyxResults.Validation("non_field_errors", InsertionDtos.UniqueMessage);
        }
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>The session slug field (<c>slug_field='id'</c>): Django's messages for a malformed or unknown id.</summary>
    static async Task<Guid?> SessionAsync(AlyxDb db, string text, ErrorMap errors, CancellationToken ct)
    {
        if (!Guid.TryParse(text, out var id))
        {
            errors.Add("session", $"“{text}” is not a valid UUID.");
            return null;
        }
        if (await db.Sessions.AnyAsync(s => s.Id == id, ct)) return id;
        errors.Add("session", $"Object with id={text} does not exist.");
        return null;
    }

    /// <summary>The writable <c>datasets</c> of the list serializer: primary keys, each of an existing dataset.</summary>
    static async Task<List<Dataset>> DatasetsAsync(AlyxDb db, List<string> values, ErrorMap errors, CancellationToken ct)
    {
        var ids = new List<Guid>();
        foreach (var value in values)
        {
            if (Guid.TryParse(value.Trim(), out var id)) ids.Add(id);
            else errors.Add("datasets", $"“{value}” is not a valid UUID.");
        }
        var distinct = ids.Distinct().ToList();
        var found = await db.Datasets.Where(d => distinct.Contains(d.Id)).ToListAsync(ct);
        foreach (var id in distinct.Where(id => found.TrueForAll(d => d.Id != id)))
            errors.Add("datasets", $"Invalid pk \"{id:D}\" - object does not exist.");
        return found;
    }
}
