using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Perf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_data_dataset_dataset_type_id",
                table: "data_dataset");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_dataset_type_id_created_datetime_id",
                table: "data_dataset",
                columns: new[] { "dataset_type_id", "created_datetime", "id" });

            // Django's nickname iexact (/sessions?subject=, /weighings?nickname=...) compares upper(nickname): an index on that expression
            // finds the subject instead of scanning every subject (or, on SQLite, every session in list order).
            migrationBuilder.Sql("CREATE INDEX \"IX_subjects_subject_upper_nickname\" ON \"subjects_subject\" (upper(\"nickname\"));");

            // The sessions list's order on SQLite (start_time descending with NULLs first, then id: SessionsApi.Ordered) as an
            // expression index, so that a page walks the index instead of sorting every session.
            migrationBuilder.Sql(
                "CREATE INDEX \"IX_actions_session_list_order\" ON \"actions_session\" "
                + "(CASE WHEN \"start_time\" IS NULL THEN 0 ELSE 1 END, \"start_time\" DESC, \"id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_subjects_subject_upper_nickname\";");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_actions_session_list_order\";");

            migrationBuilder.DropIndex(
                name: "IX_data_dataset_dataset_type_id_created_datetime_id",
                table: "data_dataset");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_dataset_type_id",
                table: "data_dataset",
                column: "dataset_type_id");
        }
    }
}
