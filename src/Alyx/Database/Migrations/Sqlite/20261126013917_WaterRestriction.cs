using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WaterRestriction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "actions_waterrestriction",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    reference_weight = table.Column<double>(type: "REAL", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_lab_id",
                table: "actions_waterrestriction",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_location_id",
                table: "actions_waterrestriction",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_subject_id",
                table: "actions_waterrestriction",
                column: "subject_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "actions_waterrestriction");
        }
    }
}
