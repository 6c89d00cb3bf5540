using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The subject list's session_projects from a table the database keeps (Database/SubjectSessionProjects.cs).
            foreach (var sql in SubjectSessionProjects.PostgresUp) migrationBuilder.Sql(sql);

            // JSON-key equality filters (django=json__key=value, extended_qc=key,value) add a containment test (json @> '{"key": value}')
            // that these indexes answer; ranges and text lookups on a key cannot use them.
            migrationBuilder.Sql("CREATE INDEX \"IX_actions_session_json_gin\" ON \"actions_session\" USING gin (\"json\" jsonb_path_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_actions_session_extended_qc_gin\" ON \"actions_session\" USING gin (\"extended_qc\" jsonb_path_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_data_dataset_json_gin\" ON \"data_dataset\" USING gin (\"json\" jsonb_path_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_actions_session_json_gin\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_actions_session_extended_qc_gin\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_data_dataset_json_gin\";");
            foreach (var sql in SubjectSessionProjects.PostgresDown) migrationBuilder.Sql(sql);
        }
    }
}
