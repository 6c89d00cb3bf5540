using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TaskOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "session_start_time",
                table: "jobs_task",
                type: "timestamp without time zone",
                nullable: true);

            // The list's order from an index, the session's start time kept on each task by triggers (Jobs/TaskOrder.cs).
            foreach (var sql in global::Alyx.Jobs.TaskOrder.PostgresUp) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in global::Alyx.Jobs.TaskOrder.PostgresDown) migrationBuilder.Sql(sql);
            migrationBuilder.DropColumn(
                name: "session_start_time",
                table: "jobs_task");
        }
    }
}
