using Alyx.Actions;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>Rows the admin page tests create for themselves (unique names), straight in the fixture's database.</summary>
static class AdminSeed
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new subject of the fixture's first lab, responsible <paramref name="responsible"/> (a username, or none).</summary>
    public static Task<(Guid Id, string Nickname)> SubjectAsync(AlyxApp app, string? responsible = null, string? nickname = null) =>
        app.WithDbAsync(async db =>
        {
            var lab = await db.Labs.OrderBy(l => l.Name).FirstAsync(Ct);
            var user = responsible is null ? null : await db.Users.SingleAsync(u => u.Username == responsible, Ct);
            var subject = new Subject
            {
                Nickname = nickname ?? AlyxApp.Unique("mouse"),
                LabId = lab.Id,
                ResponsibleUserId = user?.Id,
                Sex = "F",
                BirthDate = new DateOnly(2024, 1, 2),
            };
            db.Subjects.Add(subject);
            await db.SaveChangesAsync(Ct);
            return (subject.Id, subject.Nickname);
        });

    public static Task<Guid> WeighingAsync(AlyxApp app, Guid subject, double grams, DateTime when) =>
        app.WithDbAsync(async db =>
        {
            var weighing = new Weighing { SubjectId = subject, Weight = grams, DateTime = when };
            db.Add(weighing);
            await db.SaveChangesAsync(Ct);
            return weighing.Id;
        });

    public static Task<int> WeighingCountAsync(AlyxApp app, Guid subject) =>
        app.WithDbAsync(db => db.Set<Weighing>().CountAsync(w => w.SubjectId == subject, Ct));
}
