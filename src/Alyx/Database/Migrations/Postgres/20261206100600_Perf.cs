using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_subjects_subject_upper_nickname\";");
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
