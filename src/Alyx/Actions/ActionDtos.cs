using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>/weighings items (WeighingDetailSerializer): no <c>id</c>, clients take it from the end of <c>url</c>.</summary>
public sealed record WeighingItem(string Subject, DateTime? DateTime, double Weight, string? User, string Url) : IHasUrl;

/// <summary>/water-administrations items (WaterAdministrationDetailSerializer); <c>session</c> is the session id.</summary>
public sealed record WaterAdministrationItem(string Subject, DateTime? DateTime, double? WaterAdministered, string? WaterType, string? User,
    string Url, Guid? Session, bool Adlib) : IHasUrl;

/// <summary>/water-restriction list items (WaterRestrictionListSerializer): no id, no url.</summary>
public sealed record WaterRestrictionItem(string Subject, DateTime? StartTime, DateTime? EndTime, string? WaterType, double ReferenceWeight);

/// <summary>
/// A water restriction as /water-restriction/{id} and the POST/PATCH answers give it (not in the original, which only
/// lists restrictions): the list fields plus the id, url and the other action columns.
/// </summary>
public sealed record WaterRestrictionDetail(
    Guid Id,
    string Url,
    string Subject,
    DateTime? StartTime,
    DateTime? EndTime,
    string? WaterType,
    double ReferenceWeight,
    List<string> Users,
    string? Lab,
    string? Location,
    string Narrative,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json) : IHasUrl;

/// <summary>/water-type items (WaterTypeDetailSerializer, <c>__all__</c>: url, then the model's columns in Django's field order).</summary>
public sealed record WaterTypeItem(string Url, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Name) : IHasUrl;

/// <summary>/procedures items (ProcedureTypeSerializer, <c>__all__</c>).</summary>
public sealed record ProcedureItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Description);

/// <summary>
/// /surgeries items (SurgerySerializer, <c>__all__</c>): subject by nickname, every other relation by primary key (Q-5);
/// users sorted by username.
/// </summary>
public sealed record SurgeryItem(
    Guid Id,
    string Subject,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Narrative,
    DateTime? StartTime,
    DateTime? EndTime,
    string OutcomeType,
    double ImplantWeight,
    Guid? Lab,
    Guid? Location,
    List<Guid> Users,
    List<Guid> Procedures);

/// <summary>/notifications items: a notification created by the save hooks or checks of spec §9 (not a REST resource upstream).</summary>
public sealed record NotificationItem(
    Guid Id,
    string Url,
    string? Subject,
    string NotificationType,
    string Title,
    string Message,
    string Status,
    DateTime SendAt,
    DateTime? SentAt,
    List<string> Users,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

static class ActionDtos
{
    static Field Url => new("url", FieldKind.String) { ReadOnly = true, Format = "uri" };

    static Field Json => new("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" };

    public static readonly Serializer Weighing = new("WeighingDetail",
        new Field("subject", FieldKind.Slug) { Required = true, Description = "Subject nickname." },
        new Field("date_time", FieldKind.DateTime) { Description = "Default: now." },
        new Field("weight", FieldKind.Float) { Required = true, Description = "Weight in grams (>= 0)." },
        new Field("user", FieldKind.Slug) { Description = "Username of who weighed; default: the caller." },
        Url);

    public static readonly Serializer WaterAdministration = new("WaterAdministrationDetail",
        new Field("subject", FieldKind.Slug) { Required = true, Description = "Subject nickname." },
        new Field("date_time", FieldKind.DateTime) { Description = "Default: now." },
        new Field("water_administered", FieldKind.Float) { Nullable = true, Description = "Water administered, in millilitres (>= 0)." },
        new Field("water_type", FieldKind.Slug) { Description = "Water type name; default: that of the subject's latest restriction, else Water." },
        new Field("user", FieldKind.Slug) { Description = "Username of who gave the water; default: the caller." },
        Url,
        new Field("session", FieldKind.Slug) { Format = "uuid", Description = "Session id." },
        new Field("adlib", FieldKind.Boolean));

    public static readonly Serializer WaterRestrictionList = new("WaterRestrictionList",
        new Field("subject", FieldKind.Slug) { ReadOnly = true },
        new Field("start_time", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("end_time", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("water_type", FieldKind.Slug) { ReadOnly = true, Nullable = true },
        new Field("reference_weight", FieldKind.Float) { ReadOnly = true });

    public static readonly Serializer WaterRestriction = new("WaterRestrictionDetail",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        Url,
        new Field("subject", FieldKind.Slug) { Required = true, Description = "Subject nickname (create only)." },
        new Field("start_time", FieldKind.DateTime) { Description = "Default: now." },
        new Field("end_time", FieldKind.DateTime) { Nullable = true, Description = "Set it to end the restriction." },
        new Field("water_type", FieldKind.Slug) { Nullable = true, Description = "Water type name; default: Water." },
        new Field("reference_weight", FieldKind.Float) { Description = "Grams; 0 or absent: the last weighing before the start." },
        new Field("users", FieldKind.SlugList) { Description = "Usernames; default: the caller." },
        new Field("lab", FieldKind.Slug) { Nullable = true, Description = "Lab name." },
        new Field("location", FieldKind.Slug) { Nullable = true, Description = "Location name." },
        new Field("narrative", FieldKind.String),
        Json);

    public static readonly Serializer WaterType = new("WaterTypeDetail",
        Url,
        Json,
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 128 });

    public static readonly Serializer Procedure = new("ProcedureType",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 255, Description = "Long name" },
        Json,
        new Field("description", FieldKind.String) { Description = "Detailed description of the procedure" });

    public static readonly string[] OutcomeTypes = ["a", "r", "n"];

    public static readonly Serializer Surgery = new("Surgery",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("subject", FieldKind.Slug) { Required = true, Description = "Subject nickname." },
        new Field("name", FieldKind.String) { MaxLength = 255, Description = "Long name" },
        Json,
        new Field("narrative", FieldKind.String),
        new Field("start_time", FieldKind.DateTime) { Nullable = true },
        new Field("end_time", FieldKind.DateTime) { Nullable = true },
        new Field("outcome_type", FieldKind.Choice) { Choices = OutcomeTypes, Description = "a: Acute, r: Recovery, n: Non-recovery" },
        new Field("implant_weight", FieldKind.Float) { Required = true, Description = "Implant weight in grams (>= 0)." },
        new Field("lab", FieldKind.Slug) { Nullable = true, Format = "uuid", Description = "Lab id." },
        new Field("location", FieldKind.Slug) { Nullable = true, Format = "uuid", Description = "Location id; default: the location named Surgery Room." },
        new Field("users", FieldKind.SlugList) { Description = "User ids." },
        new Field("procedures", FieldKind.SlugList) { Description = "Procedure type ids." });

    public static readonly Serializer Notification = new("Notification",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        Url,
        new Field("subject", FieldKind.Slug) { ReadOnly = true, Nullable = true },
        new Field("notification_type", FieldKind.Choice) { ReadOnly = true, Choices = Notifications.Types },
        new Field("title", FieldKind.String) { ReadOnly = true },
        new Field("message", FieldKind.String) { ReadOnly = true },
        new Field("status", FieldKind.Choice) { ReadOnly = true, Choices = Notifications.Statuses },
        new Field("send_at", FieldKind.DateTime) { ReadOnly = true },
        new Field("sent_at", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("users", FieldKind.SlugList) { ReadOnly = true },
        Json with { ReadOnly = true });

    public static Expression<Func<Weighing, WeighingItem>> WeighingItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/weighings/";
        return w => new WeighingItem(w.Subject!.Nickname, w.DateTime, w.Weight, w.User == null ? null : w.User.Username, root + w.Id);
    }

    public static Expression<Func<WaterAdministration, WaterAdministrationItem>> WaterAdministrationItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/water-administrations/";
        return w => new WaterAdministrationItem(w.Subject!.Nickname, w.DateTime, w.WaterAdministered,
            w.WaterType == null ? null : w.WaterType.Name, w.User == null ? null : w.User.Username, root + w.Id, w.SessionId, w.Adlib);
    }

    public static readonly Expression<Func<WaterRestriction, WaterRestrictionItem>> WaterRestrictionItem = r =>
        new WaterRestrictionItem(r.Subject!.Nickname, r.StartTime, r.EndTime, r.WaterType == null ? null : r.WaterType.Name, r.ReferenceWeight);

    public static Expression<Func<WaterRestriction, WaterRestrictionDetail>> WaterRestrictionDetail(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/water-restriction/";
        return r => new WaterRestrictionDetail(r.Id, root + r.Id, r.Subject!.Nickname, r.StartTime, r.EndTime,
            r.WaterType == null ? null : r.WaterType.Name, r.ReferenceWeight,
            r.Users.OrderBy(u => u.Username).Select(u => u.Username).ToList(),
            r.Lab == null ? null : r.Lab.Name, r.Location == null ? null : r.Location.Name, r.Narrative, r.Json);
    }

    public static readonly Expression<Func<ProcedureType, ProcedureItem>> ProcedureItem = p => new ProcedureItem(p.Id, p.Name, p.Json, p.Description);

    public static readonly Expression<Func<Surgery, SurgeryItem>> SurgeryItem = s => new SurgeryItem(s.Id, s.Subject!.Nickname, s.Name, s.Json,
        s.Narrative, s.StartTime, s.EndTime, s.OutcomeType, s.ImplantWeight, s.LabId, s.LocationId,
        s.Users.OrderBy(u => u.Username).Select(u => u.Id).ToList(), s.Procedures.Select(p => p.Id).ToList());

    public static Expression<Func<Notification, NotificationItem>> NotificationItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/notifications/";
        return n => new NotificationItem(n.Id, root + n.Id, n.Subject == null ? null : n.Subject.Nickname, n.NotificationType, n.Title,
            n.Message, n.Status, n.SendAt, n.SentAt, n.Users.OrderBy(u => u.Username).Select(u => u.Username).ToList(), n.Json);
    }

    /// <summary>
    /// Django's <c>reverse()</c> quoting of a path segment: RFC 3986 unreserved characters and <c>!$&amp;'()*+,;=:@~</c>
    /// stay, everything else is percent-encoded as UTF-8.
    /// </summary>
    public static string DjangoQuote(string segment)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            if (b < 128 && (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".Contains(c))) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
