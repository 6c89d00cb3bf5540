using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Idempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alyx_idempotencykey",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    location = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alyx_idempotencykey", x => x.id);
                    table.ForeignKey(
                        name: "FK_alyx_idempotencykey_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alyx_idempotencykey_created",
                table: "alyx_idempotencykey",
                column: "created");

            migrationBuilder.CreateIndex(
                name: "IX_alyx_idempotencykey_user_id_key",
                table: "alyx_idempotencykey",
                columns: new[] { "user_id", "key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alyx_idempotencykey");
        }
    }
}
