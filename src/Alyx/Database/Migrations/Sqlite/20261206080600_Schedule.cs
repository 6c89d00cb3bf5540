using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Schedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alyx_scheduledjob",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    last_occurrence = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_started = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_finished = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_duration_seconds = table.Column<double>(type: "REAL", nullable: true),
                    last_outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    last_message = table.Column<string>(type: "TEXT", nullable: false),
                    last_host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alyx_scheduledjob", x => x.name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alyx_scheduledjob");
        }
    }
}
