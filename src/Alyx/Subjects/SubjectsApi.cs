using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>
/// /subjects, /subjects/{nickname} and /water-restricted-subjects (Alyx: subjects SubjectList / SubjectDetail /
/// WaterRestrictedSubjectList). POST validates and answers the list representation, retrieve and updates the detail. A nickname
/// shared by subjects of different labs is refused with a 400 (quirk S5: the original fails with a 500; an arbitrary pick is not
/// acceptable). A DELETE leaves the rest to the database: it cascades zygosities, genotype tests, actions and project links and
/// nulls breeding-pair parents.
/// </summary>
static class SubjectsApi
{
    public static void MapSubjectsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Subject, SubjectListItem, SubjectDetail>
        {
            Path = "subjects",
            Model = "Subject",
            Slug = ("nickname", s => s.Nickname),
            Serializer = SubjectDtos.Detail,
            ListSerializer = SubjectDtos.List,
            // The list serializer's genotype is read-only here (quirk S3: posting it crashed the original).
            CreateSerializer = SubjectDtos.List,
            CreateAnswersListItem = true,
            Location = true,
            Ordered = db => Ordered(db.Subjects),
            ItemFor = req => SubjectDtos.ListItem(req, clock.Today),
            Enrich = async (db, rows, ct) =>
            {
                await SubjectDtos.EnrichNamesAsync(db, rows, ct);
                await SubjectDtos.EnrichWaterAsync(db, clock, rows, ct);
            },
            ReadDetail = async (db, req, id, ct) =>
            {
                var detail = await SubjectDtos.ReadDetailAsync(db, req, clock.Today, id, ct);
                if (detail is null) return null;
                await SubjectDtos.EnrichWaterAsync(db, clock, [detail], ct);
                return detail;
            },
            Filters = SubjectFilters.Create(clock),
            ForUpdate = q => q.Include(s => s.Projects),
            Write = SubjectWrite.WriteAsync,
            BeforeSave = w => SubjectWrite.BeforeSaveAsync(w, clock),
        }.Map(routes);

        // No filter set at all: every parameter but limit/offset is ignored. Dead subjects are not excluded (quirk S6).
        new Resource<Subject, WaterRestrictedSubjectItem>
        {
            Path = "water-restricted-subjects",
            Model = "Subject",
            Verbs = Verbs.List,
            Serializer = SubjectDtos.WaterRestricted,
            Ordered = db => Ordered(db.Subjects.Where(s => s.WaterRestrictions.Any(w => w.EndTime == null))),
            ItemFor = SubjectDtos.WaterRestrictedItem,
            Enrich = (db, rows, ct) => SubjectDtos.EnrichWaterAsync(db, clock, rows, ct),
            Filters = null,
        }.Map(routes);
    }

    /// <summary>Subject's Meta.ordering ['nickname', '-birth_date'], then id for stable pages.</summary>
    static IOrderedQueryable<Subject> Ordered(IQueryable<Subject> subjects) =>
        subjects.OrderBy(s => s.Nickname).ThenByDescending(s => s.BirthDate).ThenBy(s => s.Id);
}
