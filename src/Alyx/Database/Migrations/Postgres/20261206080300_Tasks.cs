using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Tasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "jobs_task",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    priority = table.Column<short>(type: "smallint", nullable: true),
                    io_charge = table.Column<short>(type: "smallint", nullable: true),
                    level = table.Column<short>(type: "smallint", nullable: true),
                    gpu = table.Column<short>(type: "smallint", nullable: true),
                    cpu = table.Column<short>(type: "smallint", nullable: true),
                    ram = table.Column<short>(type: "smallint", nullable: true),
                    time_out_secs = table.Column<short>(type: "smallint", nullable: true),
                    time_elapsed_secs = table.Column<double>(type: "double precision", nullable: true),
                    executable = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    graph = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    status = table.Column<int>(type: "integer", nullable: false),
                    log = table.Column<string>(type: "text", nullable: true),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    arguments = table.Column<string>(type: "jsonb", nullable: true),
                    data_repository_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs_task", x => x.id);
                    table.ForeignKey(
                        name: "FK_jobs_task_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jobs_task_data_datarepository_data_repository_id",
                        column: x => x.data_repository_id,
                        principalTable: "data_datarepository",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "jobs_task_parents",
                columns: table => new
                {
                    from_task_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to_task_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs_task_parents", x => new { x.from_task_id, x.to_task_id });
                    table.ForeignKey(
                        name: "FK_jobs_task_parents_jobs_task_from_task_id",
                        column: x => x.from_task_id,
                        principalTable: "jobs_task",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_jobs_task_parents_jobs_task_to_task_id",
                        column: x => x.to_task_id,
                        principalTable: "jobs_task",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_task_data_repository_id",
                table: "jobs_task",
                column: "data_repository_id");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_task_name_session_id",
                table: "jobs_task",
                columns: new[] { "name", "session_id" });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_task_session_id",
                table: "jobs_task",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_task_parents_to_task_id",
                table: "jobs_task_parents",
                column: "to_task_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "jobs_task_parents");

            migrationBuilder.DropTable(
                name: "jobs_task");
        }
    }
}
