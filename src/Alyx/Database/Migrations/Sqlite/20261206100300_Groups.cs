using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Groups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "auth_group",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 150, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auth_group", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "misc_labmember_groups",
                columns: table => new
                {
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_labmember_groups", x => new { x.labmember_id, x.group_id });
                    table.ForeignKey(
                        name: "FK_misc_labmember_groups_auth_group_group_id",
                        column: x => x.group_id,
                        principalTable: "auth_group",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_misc_labmember_groups_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_auth_group_name",
                table: "auth_group",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_misc_labmember_groups_group_id",
                table: "misc_labmember_groups",
                column: "group_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "misc_labmember_groups");

            migrationBuilder.DropTable(
                name: "auth_group");
        }
    }
}
