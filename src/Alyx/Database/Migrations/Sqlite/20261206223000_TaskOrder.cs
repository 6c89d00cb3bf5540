using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            // The list's order from an index, the session's start time kept on each task by triggers (Jobs/TaskOrder.cs).
            foreach (var sql in global::Alyx.Jobs.TaskOrder.SqliteUp) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in global::Alyx.Jobs.TaskOrder.SqliteDown) migrationBuilder.Sql(sql);
            migrationBuilder.DropColumn(
                name: "session_start_time",
                table: "jobs_task");
        }
    }
}
