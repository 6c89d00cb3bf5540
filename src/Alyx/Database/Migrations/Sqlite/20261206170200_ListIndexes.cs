using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The subject list's session_projects from a table the database keeps (Database/SubjectSessionProjects.cs).
            foreach (var sql in SubjectSessionProjects.SqliteUp) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in SubjectSessionProjects.SqliteDown) migrationBuilder.Sql(sql);
        }
    }
}
