using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Actions;

/// <summary>Rows the actions tests create for themselves: a lab with weight percentages and a subject in it.</summary>
static class ActionsSeed
{
    public sealed record Mouse(Guid Id, string Nickname, Guid LabId, string Responsible);

    /// <summary>A fresh lab (no time zone: the server's) and subject, responsible user <paramref name="responsible"/> (created if needed).</summary>
    public static async Task<Mouse> SubjectAsync(AlyxApp app, double referencePct = 0.85, DateOnly? death = null, string responsible = "test_user",
        DateOnly? birth = null)
    {
        var nickname = AlyxApp.Unique("mouse");
        return await app.WithDbAsync(async db =>
        {
            var user = db.Users.SingleOrDefault(u => u.Username == responsible);
            if (user is null)
            {
                user = new LabMember { Username = responsible, DateJoined = new DateTime(2020, 1, 1) };
                db.Users.Add(user);
            }
            var lab = new Lab { Name = AlyxApp.Unique("lab"), ReferenceWeightPct = referencePct };
            var subject = new Subject
            {
                Nickname = nickname,
                Lab = lab,
                ResponsibleUser = user,
                BirthDate = birth ?? new DateOnly(2018, 1, 1),
                DeathDate = death,
            };
            db.AddRange(lab, subject);
            await db.SaveChangesAsync();
            return new Mouse(subject.Id, nickname, lab.Id, responsible);
        });
    }

    public static DateTime T(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Unspecified);
}
