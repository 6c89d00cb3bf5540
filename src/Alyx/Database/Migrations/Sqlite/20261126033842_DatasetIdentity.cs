using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DatasetIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "identity_key",
                table: "data_dataset",
                type: "TEXT",
                nullable: true,
                computedColumnSql: "coalesce(session_id, '') || ' ' || coalesce(content_type_id, '') || ' ' || coalesce(object_id, '') || ' ' || coalesce(revision_id, '')",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "data_dataset_identity_uniq",
                table: "data_dataset",
                columns: new[] { "identity_key", "collection", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "data_dataset_identity_uniq",
                table: "data_dataset");

            migrationBuilder.DropColumn(
                name: "identity_key",
                table: "data_dataset");
        }
    }
}
