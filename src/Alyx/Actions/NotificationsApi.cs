using Alyx.Filtering;
using Alyx.Http;

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

    public static void MapNotificationsApi(this IEndpointRouteBuilder routes) => new Resource<Notification, NotificationItem>
    {
        Path = "notifications",
        Model = "Notification",
        Serializer = ActionDtos.Notification,
        Ordered = db => db.Set<Notification>().OrderByDescending(n => n.SendAt).ThenBy(n => n.Id),
        ItemFor = ActionDtos.NotificationItem,
        Filters = Filters,
        Verbs = Verbs.ReadOnly,
        ListDescription = "Notifications created by the server (underweight animals, responsible-user changes).",
    }.Map(routes);
}
