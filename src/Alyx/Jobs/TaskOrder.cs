using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Jobs;

/// <summary>
/// The order of <c>/tasks</c>, Django's <c>order_by('level', '-priority', '-session__start_time')</c>, read from an index. The
/// session's start time is copied onto each task (<c>jobs_task.session_start_time</c>) and kept by triggers in the transaction of
/// every write, whatever writes it (the REST API, the admin, dump imports): a task's insert or change of session copies its
/// session's start time, a session's insert or change of start time copies it to the session's tasks. One index per provider
/// then holds the whole order, so a page walks the index and stops after <c>offset + limit</c> rows, instead of joining every
/// task to its session and sorting them all.
/// </summary>
/// <remarks>
/// <para>NULLs sort as on PostgreSQL, Django's database: last ascending, first descending, so tasks without a level come last,
/// and those without a priority, without a session or whose session has no start time come first within their group. That is
/// PostgreSQL's default, so its index is plain; SQLite puts NULLs the other way, so its order (and its index, on the same
/// expressions, which SQLite matches to the query's) puts a NULL key before each nullable column.</para>
/// <para>On PostgreSQL, the task's copy reads the session row <c>FOR SHARE</c>: a concurrent change of that session's start time
/// (which locks the row for update) waits for the task's transaction and then finds the task to update, or the task's read waits
/// for it and copies the new value. SQLite has one writer at a time.</para>
/// <para>The column is derived data: a shadow property (so no filter names it), never written by EF, neither imported nor
/// exported (<see cref="AlyxAnnotations.Derived"/>).</para>
/// </remarks>
public static class TaskOrder
{
    /// <summary>The shadow property of <see cref="PipelineTask"/> that holds its session's start time.</summary>
    public const string SessionStartTime = "SessionStartTime";

    const string Index = "IX_jobs_task_order";

    const string NameStatusIndex = "IX_jobs_task_name_status_order";

    /// <summary>
    /// The order of <see cref="Apply"/> as index columns on SQLite: the expressions EF writes for it (a NULL key before each
    /// nullable column), so that SQLite matches them to an index holding them. Both indexes below end with it.
    /// </summary>
    const string SqliteOrderColumns =
        """
        CASE WHEN "level" IS NULL THEN 1 ELSE 0 END, "level", CASE WHEN "priority" IS NULL THEN 0 ELSE 1 END, "priority" DESC,
            CASE WHEN "session_start_time" IS NULL THEN 0 ELSE 1 END, "session_start_time" DESC, "id"
        """;

    /// <summary>The order of <see cref="Apply"/> as index columns on PostgreSQL, whose NULL placement is Django's.</summary>
    const string PostgresOrderColumns = "\"level\", \"priority\" DESC, \"session_start_time\" DESC, \"id\"";

    /// <summary>
    /// <c>/tasks?name=..&amp;status=..</c> (how a pipeline asks for its work) in the list's order from one index: the name and status,
    /// then the order's columns, so that a page reads its rows and stops, where the order index alone is walked past every task of
    /// other names and statuses (30,686 rows for a page at scale 10 on PostgreSQL). On SQLite the index is partial on a condition
    /// that only a filter on the name implies: SQLite would otherwise skip-scan it (a few names) for a status alone and sort all
    /// the tasks of that status instead of walking the order index.
    /// </summary>
    public static readonly string[] SqliteNameStatusUp =
    [
        $"""
        CREATE INDEX "{NameStatusIndex}" ON "jobs_task" ("name", "status", {SqliteOrderColumns}) WHERE "name" IS NOT NULL;
        """,
    ];

    /// <summary><see cref="SqliteNameStatusUp"/> on PostgreSQL: the plain columns are the order.</summary>
    public static readonly string[] PostgresNameStatusUp =
    [
        $"""
        CREATE INDEX "{NameStatusIndex}" ON "jobs_task" ("name", "status", {PostgresOrderColumns});
        """,
    ];

    public static readonly string[] NameStatusDown = [$"DROP INDEX IF EXISTS \"{NameStatusIndex}\";"];

    /// <summary>Tasks in the list's order (ties broken by id for stable pages).</summary>
    public static IOrderedQueryable<PipelineTask> Apply(AlyxDb db, IQueryable<PipelineTask> tasks) => db.Provider == DatabaseProvider.Postgres
        ? tasks.OrderBy(t => t.Level).ThenByDescending(t => t.Priority)
            .ThenByDescending(t => EF.Property<DateTime?>(t, SessionStartTime)).ThenBy(t => t.Id)
        : tasks.OrderBy(t => t.Level == null ? 1 : 0).ThenBy(t => t.Level)
            .ThenBy(t => t.Priority == null ? 0 : 1).ThenByDescending(t => t.Priority)
            .ThenBy(t => EF.Property<DateTime?>(t, SessionStartTime) == null ? 0 : 1).ThenByDescending(t => EF.Property<DateTime?>(t, SessionStartTime))
            .ThenBy(t => t.Id);

    const string SqliteFill =
        """
        UPDATE "jobs_task" SET "session_start_time" = (SELECT s."start_time" FROM "actions_session" s WHERE s."id" = "jobs_task"."session_id")
        WHERE "session_id" IS NOT NULL;
        """;

    public static readonly string[] SqliteUp =
    [
        SqliteFill,
        // The expressions EF writes for the order of Apply, so that SQLite matches them to the index.
        $"""
        CREATE INDEX "{Index}" ON "jobs_task" ({SqliteOrderColumns});
        """,
        """
        CREATE TRIGGER "jobs_task_session_start_time_insert" AFTER INSERT ON "jobs_task" WHEN NEW."session_id" IS NOT NULL BEGIN
            UPDATE "jobs_task" SET "session_start_time" = (SELECT s."start_time" FROM "actions_session" s WHERE s."id" = NEW."session_id")
            WHERE "id" = NEW."id";
        END;
        """,
        """
        CREATE TRIGGER "jobs_task_session_start_time_update" AFTER UPDATE OF "session_id" ON "jobs_task" BEGIN
            UPDATE "jobs_task" SET "session_start_time" = (SELECT s."start_time" FROM "actions_session" s WHERE s."id" = NEW."session_id")
            WHERE "id" = NEW."id";
        END;
        """,
        // A session inserted after its tasks (a load with deferred foreign keys) gives them its start time.
        """
        CREATE TRIGGER "jobs_task_session_start_time_session_insert" AFTER INSERT ON "actions_session" BEGIN
            UPDATE "jobs_task" SET "session_start_time" = NEW."start_time" WHERE "session_id" = NEW."id";
        END;
        """,
        """
        CREATE TRIGGER "jobs_task_session_start_time_session_update" AFTER UPDATE OF "start_time" ON "actions_session"
        WHEN OLD."start_time" IS NOT NEW."start_time" BEGIN
            UPDATE "jobs_task" SET "session_start_time" = NEW."start_time" WHERE "session_id" = NEW."id";
        END;
        """,
    ];

    public static readonly string[] SqliteDown =
    [
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_insert\";",
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_update\";",
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_session_insert\";",
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_session_update\";",
        $"DROP INDEX IF EXISTS \"{Index}\";",
    ];

    public static readonly string[] PostgresUp =
    [
        """
        UPDATE "jobs_task" t SET "session_start_time" = s."start_time" FROM "actions_session" s WHERE s."id" = t."session_id";
        """,
        // PostgreSQL's default NULL placement is Django's order: the plain columns are the order.
        $"""
        CREATE INDEX "{Index}" ON "jobs_task" ({PostgresOrderColumns});
        """,
        """
        CREATE FUNCTION "jobs_task_session_start_time"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT s."start_time" INTO NEW."session_start_time" FROM "actions_session" s WHERE s."id" = NEW."session_id" FOR SHARE;
            RETURN NEW;
        END $$;
        """,
        """
        CREATE FUNCTION "jobs_task_session_start_time_of_session"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE "jobs_task" SET "session_start_time" = NEW."start_time"
            WHERE "session_id" = NEW."id" AND "session_start_time" IS DISTINCT FROM NEW."start_time";
            RETURN NULL;
        END $$;
        """,
        """
        CREATE TRIGGER "jobs_task_session_start_time" BEFORE INSERT OR UPDATE OF "session_id" ON "jobs_task"
        FOR EACH ROW EXECUTE FUNCTION "jobs_task_session_start_time"();
        """,
        // A session inserted after its tasks (a load with deferred foreign keys) gives them its start time.
        """
        CREATE TRIGGER "jobs_task_session_start_time_session_insert" AFTER INSERT ON "actions_session"
        FOR EACH ROW EXECUTE FUNCTION "jobs_task_session_start_time_of_session"();
        """,
        """
        CREATE TRIGGER "jobs_task_session_start_time_session_update" AFTER UPDATE OF "start_time" ON "actions_session"
        FOR EACH ROW WHEN (OLD."start_time" IS DISTINCT FROM NEW."start_time") EXECUTE FUNCTION "jobs_task_session_start_time_of_session"();
        """,
    ];

    public static readonly string[] PostgresDown =
    [
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time\" ON \"jobs_task\";",
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_session_insert\" ON \"actions_session\";",
        "DROP TRIGGER IF EXISTS \"jobs_task_session_start_time_session_update\" ON \"actions_session\";",
        "DROP FUNCTION IF EXISTS \"jobs_task_session_start_time_of_session\"();",
        "DROP FUNCTION IF EXISTS \"jobs_task_session_start_time\"();",
        $"DROP INDEX IF EXISTS \"{Index}\";",
    ];
}
