using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TaskNameStatusOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // /tasks by name and status in the list's order from one index (Jobs/TaskOrder.cs).
            foreach (var sql in global::Alyx.Jobs.TaskOrder.SqliteNameStatusUp) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in global::Alyx.Jobs.TaskOrder.NameStatusDown) migrationBuilder.Sql(sql);
        }
    }
}
