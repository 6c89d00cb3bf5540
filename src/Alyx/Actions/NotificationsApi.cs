using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /notifications and /notifications/{id}: read-only access to the notifications the save hooks create (underweight
/// animals after a weighing, responsible-user changes; spec 20-actions §9). Not in the original, which shows them in its
/// admin only. Newest first.
/// </summary>
static class NotificationsApi
{
    static readonly FilterSet<Notification> Filters = new FilterSet<Notification>()
        .Generated()
        .Add(new LookupFilter<Notification>(new FilterDoc("subject", "string", Description: "Subject nickname (case-insensitive)."),
            "subject__nickname__iexact"))
        .Add(new FilterDoc("users", "string", Description: "Recipient username."), (q, raw, _) =>
        {
            var username = raw.Trim();
            return q.Where(n => n.Users.Any(u => u.Username == username));
        })
        .Add(new ChoiceFilter<Notification>("notification_type", "string", Notifications.Types, v => n => n.NotificationType == v))
        .Add(new ChoiceFilter<Notification>("status", "string", Notifications.Statuses, v => n => n.Status == v))
        .Django();

    public static void MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("notifications", "id", uuidLookup: true)
            .List(db => db.Set<Notification>().OrderByDescending(n => n.SendAt).ThenBy(n => n.Id), ActionDtos.NotificationItem,
                ActionDtos.Notification, Filters, description: "Notifications created by the server (underweight animals, responsible-user changes).")
            .Retrieve(GetAsync, ActionDtos.Notification);
    }

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var item = await db.Set<Notification>().AsNoTracking().Where(n => n.Id == id).Select(ActionDtos.NotificationItem(req)).SingleOrDefaultAsync(ct);
        return item is null ? AlyxResults.NotFound("Notification") : AlyxResults.Ok(item);
    }
}
