using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SessionWaterIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_actions_wateradministration_session_id",
                table: "actions_wateradministration");

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_session_id",
                table: "actions_wateradministration",
                column: "session_id",
                filter: "session_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_actions_wateradministration_session_id",
                table: "actions_wateradministration");

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_session_id",
                table: "actions_wateradministration",
                column: "session_id");
        }
    }
}
