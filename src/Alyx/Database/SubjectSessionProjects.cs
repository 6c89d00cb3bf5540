using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Database;

/// <summary>
/// <c>subject_session_projects</c>: for each subject, the projects of its sessions with the number of its sessions in each, kept by
/// triggers in the transaction of every write to sessions or their project links, whatever writes them (the REST API, the admin,
/// dump imports, the synthetic seeding, cascades from a subject's or project's deletion). The subject list's
/// <c>session_projects</c> reads a page's rows by the primary key (subject_id, project_id) instead of joining every session of
/// the page's subjects to its project links. Derived data, never written by the application: the EF model maps it read-only, as
/// a keyless view (<see cref="SubjectSessionProject"/>), so that queries joining it can be compiled; migrations create no table
/// for a view, the raw statements below make it.
/// </summary>
/// <remarks>
/// A session's links count once each: a link inserted counts when its session exists, a session inserted counts the links
/// already there (a load may write links first); a session's deletion uncounts its links BEFORE the row goes, and the links'
/// cascade deletion then finds no session and changes nothing (both databases run the cascade after removing the parent row).
/// Counts, rather than a recomputation of existence, keep concurrent writers right on PostgreSQL: each change is an update of one
/// counted row under its row lock. A count that reaches zero removes its row. PostgreSQL's TRUNCATE (the dump import's way of
/// emptying tables) fires no row trigger: a statement trigger rebuilds the table then.
/// </remarks>
public static class SubjectSessionProjects
{
    public const string Table = "subject_session_projects";

    /// <summary>The whole table rebuilt from the sessions and their links (the migration's fill).</summary>
    const string Fill =
        """
        INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions")
        SELECT s."subject_id", sp."project_id", count(*) FROM "actions_session_projects" sp
        JOIN "actions_session" s ON s."id" = sp."session_id" GROUP BY s."subject_id", sp."project_id";
        """;

    public static readonly string[] SqliteUp =
    [
        """
        CREATE TABLE "subject_session_projects" (
            "subject_id" TEXT NOT NULL, "project_id" TEXT NOT NULL, "sessions" INTEGER NOT NULL,
            PRIMARY KEY ("subject_id", "project_id")) WITHOUT ROWID;
        """,
        Fill,
        """
        CREATE TRIGGER "subject_session_projects_link_insert" AFTER INSERT ON "actions_session_projects" BEGIN
            INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions")
            SELECT s."subject_id", NEW."project_id", 1 FROM "actions_session" s WHERE s."id" = NEW."session_id"
            ON CONFLICT ("subject_id", "project_id") DO UPDATE SET "sessions" = "sessions" + 1;
        END;
        """,
        """
        CREATE TRIGGER "subject_session_projects_link_delete" AFTER DELETE ON "actions_session_projects" BEGIN
            UPDATE "subject_session_projects" SET "sessions" = "sessions" - 1 WHERE "project_id" = OLD."project_id"
                AND "subject_id" = (SELECT s."subject_id" FROM "actions_session" s WHERE s."id" = OLD."session_id");
            DELETE FROM "subject_session_projects" WHERE "project_id" = OLD."project_id" AND "sessions" <= 0
                AND "subject_id" = (SELECT s."subject_id" FROM "actions_session" s WHERE s."id" = OLD."session_id");
        END;
        """,
        """
        CREATE TRIGGER "subject_session_projects_link_update" AFTER UPDATE OF "session_id", "project_id" ON "actions_session_projects" BEGIN
            UPDATE "subject_session_projects" SET "sessions" = "sessions" - 1 WHERE "project_id" = OLD."project_id"
                AND "subject_id" = (SELECT s."subject_id" FROM "actions_session" s WHERE s."id" = OLD."session_id");
            DELETE FROM "subject_session_projects" WHERE "project_id" = OLD."project_id" AND "sessions" <= 0
                AND "subject_id" = (SELECT s."subject_id" FROM "actions_session" s WHERE s."id" = OLD."session_id");
            INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions")
            SELECT s."subject_id", NEW."project_id", 1 FROM "actions_session" s WHERE s."id" = NEW."session_id"
            ON CONFLICT ("subject_id", "project_id") DO UPDATE SET "sessions" = "sessions" + 1;
        END;
        """,
        """
        CREATE TRIGGER "subject_session_projects_session_insert" AFTER INSERT ON "actions_session" BEGIN
            INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions")
            SELECT NEW."subject_id", sp."project_id", 1 FROM "actions_session_projects" sp WHERE sp."session_id" = NEW."id" AND true
            ON CONFLICT ("subject_id", "project_id") DO UPDATE SET "sessions" = "sessions" + 1;
        END;
        """,
        """
        CREATE TRIGGER "subject_session_projects_session_subject" AFTER UPDATE OF "subject_id" ON "actions_session"
        WHEN OLD."subject_id" IS NOT NEW."subject_id" BEGIN
            UPDATE "subject_session_projects" SET "sessions" = "sessions" - 1 WHERE "subject_id" = OLD."subject_id"
                AND "project_id" IN (SELECT sp."project_id" FROM "actions_session_projects" sp WHERE sp."session_id" = OLD."id");
            DELETE FROM "subject_session_projects" WHERE "subject_id" = OLD."subject_id" AND "sessions" <= 0;
            INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions")
            SELECT NEW."subject_id", sp."project_id", 1 FROM "actions_session_projects" sp WHERE sp."session_id" = NEW."id" AND true
            ON CONFLICT ("subject_id", "project_id") DO UPDATE SET "sessions" = "sessions" + 1;
        END;
        """,
        """
        CREATE TRIGGER "subject_session_projects_session_delete" BEFORE DELETE ON "actions_session" BEGIN
            UPDATE "subject_session_projects" SET "sessions" = "sessions" - 1 WHERE "subject_id" = OLD."subject_id"
                AND "project_id" IN (SELECT sp."project_id" FROM "actions_session_projects" sp WHERE sp."session_id" = OLD."id");
            DELETE FROM "subject_session_projects" WHERE "subject_id" = OLD."subject_id" AND "sessions" <= 0;
        END;
        """,
    ];

    public static readonly string[] SqliteDown =
    [
        "DROP TRIGGER IF EXISTS \"subject_session_projects_link_insert\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_link_delete\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_link_update\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_insert\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_subject\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_delete\";",
        "DROP TABLE IF EXISTS \"subject_session_projects\";",
    ];

    public static readonly string[] PostgresUp =
    [
        """
        CREATE TABLE "subject_session_projects" (
            "subject_id" uuid NOT NULL, "project_id" uuid NOT NULL, "sessions" integer NOT NULL,
            CONSTRAINT "PK_subject_session_projects" PRIMARY KEY ("subject_id", "project_id"));
        """,
        Fill,
        // One function per table; each change of a count is an upsert or an update of one row under its lock.
        """
        CREATE FUNCTION "subject_session_projects_add"(subject uuid, project uuid, n integer) RETURNS void LANGUAGE sql AS $$
            INSERT INTO "subject_session_projects" ("subject_id", "project_id", "sessions") VALUES (subject, project, n)
            ON CONFLICT ("subject_id", "project_id") DO UPDATE SET "sessions" = "subject_session_projects"."sessions" + EXCLUDED."sessions";
            DELETE FROM "subject_session_projects" WHERE "subject_id" = subject AND "project_id" = project AND "sessions" <= 0;
        $$;
        """,
        """
        CREATE FUNCTION "subject_session_projects_link"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                PERFORM "subject_session_projects_add"(s."subject_id", OLD."project_id", -1) FROM "actions_session" s WHERE s."id" = OLD."session_id";
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                PERFORM "subject_session_projects_add"(s."subject_id", NEW."project_id", 1) FROM "actions_session" s WHERE s."id" = NEW."session_id";
            END IF;
            RETURN NULL;
        END $$;
        """,
        """
        CREATE FUNCTION "subject_session_projects_session"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                PERFORM "subject_session_projects_add"(OLD."subject_id", sp."project_id", -1) FROM "actions_session_projects" sp WHERE sp."session_id" = OLD."id";
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                PERFORM "subject_session_projects_add"(NEW."subject_id", sp."project_id", 1) FROM "actions_session_projects" sp WHERE sp."session_id" = NEW."id";
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NULL;
        END $$;
        """,
        """
        CREATE FUNCTION "subject_session_projects_rebuild"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM "subject_session_projects";
        """ + Fill + """

            RETURN NULL;
        END $$;
        """,
        """
        CREATE TRIGGER "subject_session_projects_link" AFTER INSERT OR DELETE OR UPDATE OF "session_id", "project_id"
        ON "actions_session_projects" FOR EACH ROW EXECUTE FUNCTION "subject_session_projects_link"();
        """,
        """
        CREATE TRIGGER "subject_session_projects_session_insert" AFTER INSERT ON "actions_session"
        FOR EACH ROW EXECUTE FUNCTION "subject_session_projects_session"();
        """,
        """
        CREATE TRIGGER "subject_session_projects_session_subject" AFTER UPDATE OF "subject_id" ON "actions_session"
        FOR EACH ROW WHEN (OLD."subject_id" IS DISTINCT FROM NEW."subject_id") EXECUTE FUNCTION "subject_session_projects_session"();
        """,
        // BEFORE: the links are still there to be uncounted; their cascade deletion then finds no session.
        """
        CREATE TRIGGER "subject_session_projects_session_delete" BEFORE DELETE ON "actions_session"
        FOR EACH ROW EXECUTE FUNCTION "subject_session_projects_session"();
        """,
        """
        CREATE TRIGGER "subject_session_projects_truncate_sessions" AFTER TRUNCATE ON "actions_session"
        FOR EACH STATEMENT EXECUTE FUNCTION "subject_session_projects_rebuild"();
        """,
        """
        CREATE TRIGGER "subject_session_projects_truncate_links" AFTER TRUNCATE ON "actions_session_projects"
        FOR EACH STATEMENT EXECUTE FUNCTION "subject_session_projects_rebuild"();
        """,
    ];

    public static readonly string[] PostgresDown =
    [
        "DROP TRIGGER IF EXISTS \"subject_session_projects_link\" ON \"actions_session_projects\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_truncate_links\" ON \"actions_session_projects\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_insert\" ON \"actions_session\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_subject\" ON \"actions_session\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_session_delete\" ON \"actions_session\";",
        "DROP TRIGGER IF EXISTS \"subject_session_projects_truncate_sessions\" ON \"actions_session\";",
        "DROP FUNCTION IF EXISTS \"subject_session_projects_rebuild\"();",
        "DROP FUNCTION IF EXISTS \"subject_session_projects_session\"();",
        "DROP FUNCTION IF EXISTS \"subject_session_projects_link\"();",
        "DROP FUNCTION IF EXISTS \"subject_session_projects_add\"(uuid, uuid, integer);",
        "DROP TABLE IF EXISTS \"subject_session_projects\";",
    ];
}

/// <summary>A row of <see cref="SubjectSessionProjects"/>: a subject and a project of (at least) one of its sessions.</summary>
public sealed class SubjectSessionProject
{
    public Guid SubjectId { get; init; }

    public Guid ProjectId { get; init; }
}

sealed class SubjectSessionProjectConfiguration : IEntityTypeConfiguration<SubjectSessionProject>
{
    public void Configure(EntityTypeBuilder<SubjectSessionProject> b) => b.HasNoKey().ToView(SubjectSessionProjects.Table);
}
