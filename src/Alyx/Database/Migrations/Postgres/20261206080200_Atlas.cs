using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Atlas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "experiments_brainregion",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    acronym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    parent_id = table.Column<int>(type: "integer", nullable: true),
                    ontology = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    lft = table.Column<int>(type: "integer", nullable: false),
                    rght = table.Column<int>(type: "integer", nullable: false),
                    tree_id = table.Column<int>(type: "integer", nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_brainregion", x => x.id);
                    table.CheckConstraint("experiments_brainregion_level_check", "level >= 0");
                    table.CheckConstraint("experiments_brainregion_lft_check", "lft >= 0");
                    table.CheckConstraint("experiments_brainregion_rght_check", "rght >= 0");
                    table.CheckConstraint("experiments_brainregion_tree_id_check", "tree_id >= 0");
                    table.ForeignKey(
                        name: "FK_experiments_brainregion_experiments_brainregion_parent_id",
                        column: x => x.parent_id,
                        principalTable: "experiments_brainregion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_experiments_brainregion_acronym",
                table: "experiments_brainregion",
                column: "acronym",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_brainregion_level",
                table: "experiments_brainregion",
                column: "level");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_brainregion_name",
                table: "experiments_brainregion",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_brainregion_parent_id",
                table: "experiments_brainregion",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_brainregion_tree_id_lft_rght",
                table: "experiments_brainregion",
                columns: new[] { "tree_id", "lft", "rght" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "experiments_brainregion");
        }
    }
}
