using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SharedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Several server processes on one database (Alyx.Database.SharedState): versions of the data and of the users
            // and tokens, moved on after every committed write and read per request.
            migrationBuilder.Sql("CREATE SEQUENCE alyx_data_version;");
            migrationBuilder.Sql("CREATE SEQUENCE alyx_auth_version;");
            // Throttle windows shared by the processes (Alyx.Http.SharedThrottle): the accepted requests' times (.NET ticks),
            // oldest first. Unlogged: counters need not survive a crash, and are not worth WAL.
            migrationBuilder.Sql("CREATE UNLOGGED TABLE alyx_throttle (key text PRIMARY KEY, hits bigint[] NOT NULL, expires bigint NOT NULL);");
            // Spends one request of every budget (keys[i]: at most limits[i] requests within periods[i] ticks) when each has
            // room, as DRF's SimpleRateThrottle: returns null, or the wait in seconds (the longest of the refusals).
            migrationBuilder.Sql("""
                CREATE FUNCTION alyx_throttle_take(keys text[], limits integer[], periods bigint[], now_ticks bigint)
                RETURNS double precision LANGUAGE plpgsql AS $$
                DECLARE
                    i integer;
                    kept bigint[];
                    available integer;
                    remaining double precision;
                    w double precision;
                    wait double precision;
                BEGIN
                    INSERT INTO alyx_throttle (key, hits, expires)
                        SELECT k, '{}', 0 FROM unnest(keys) AS k ORDER BY k ON CONFLICT (key) DO NOTHING;
                    -- In key order: concurrent requests of one user cannot deadlock.
                    PERFORM 1 FROM alyx_throttle WHERE key = ANY (keys) ORDER BY key FOR UPDATE;
                    FOR i IN 1 .. cardinality(keys) LOOP
                        SELECT ARRAY(SELECT h FROM unnest(t.hits) WITH ORDINALITY AS u(h, o) WHERE h > now_ticks - periods[i] ORDER BY o)
                            INTO kept FROM alyx_throttle AS t WHERE t.key = keys[i];
                        IF cardinality(kept) >= limits[i] THEN
                            remaining := (periods[i] - (now_ticks - kept[1]))::double precision / 10000000::double precision;
                            available := limits[i] - cardinality(kept) + 1;
                            w := CASE WHEN available > 0 THEN remaining / available ELSE remaining END;
                            wait := greatest(coalesce(wait, 0), w);
                        END IF;
                    END LOOP;
                    IF wait IS NULL THEN
                        FOR i IN 1 .. cardinality(keys) LOOP
                            UPDATE alyx_throttle AS t
                            SET hits = array_append(ARRAY(SELECT h FROM unnest(t.hits) WITH ORDINALITY AS u(h, o)
                                    WHERE h > now_ticks - periods[i] ORDER BY o), now_ticks),
                                expires = now_ticks + periods[i]
                            WHERE t.key = keys[i];
                        END LOOP;
                    END IF;
                    RETURN wait;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION alyx_throttle_take(text[], integer[], bigint[], bigint);");
            migrationBuilder.Sql("DROP TABLE alyx_throttle;");
            migrationBuilder.Sql("DROP SEQUENCE alyx_auth_version;");
            migrationBuilder.Sql("DROP SEQUENCE alyx_data_version;");
        }
    }
}
