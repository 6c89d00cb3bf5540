using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Imaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "experiments_imagingstack",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_imagingstack", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "experiments_imagingtype",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_imagingtype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "experiments_fov",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    imaging_type_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stack_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_fov", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiments_fov_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_fov_experiments_imagingstack_stack_id",
                        column: x => x.stack_id,
                        principalTable: "experiments_imagingstack",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_fov_experiments_imagingtype_imaging_type_id",
                        column: x => x.imaging_type_id,
                        principalTable: "experiments_imagingtype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments_fov_datasets",
                columns: table => new
                {
                    fov_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_fov_datasets", x => new { x.fov_id, x.dataset_id });
                    table.ForeignKey(
                        name: "FK_experiments_fov_datasets_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_fov_datasets_experiments_fov_fov_id",
                        column: x => x.fov_id,
                        principalTable: "experiments_fov",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments_fovlocation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    field_of_view_id = table.Column<Guid>(type: "uuid", nullable: false),
                    provenance = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    default_provenance = table.Column<bool>(type: "boolean", nullable: false),
                    coordinate_system_id = table.Column<Guid>(type: "uuid", nullable: true),
                    auto_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    x = table.Column<string>(type: "text", nullable: false),
                    y = table.Column<string>(type: "text", nullable: false),
                    z = table.Column<string>(type: "text", nullable: false),
                    n_xyz = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_fovlocation", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiments_fovlocation_experiments_coordinatesystem_coordi~",
                        column: x => x.coordinate_system_id,
                        principalTable: "experiments_coordinatesystem",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_experiments_fovlocation_experiments_fov_field_of_view_id",
                        column: x => x.field_of_view_id,
                        principalTable: "experiments_fov",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments_fovlocation_brain_region",
                columns: table => new
                {
                    fovlocation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    brainregion_id = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_fovlocation_brain_region", x => new { x.fovlocation_id, x.brainregion_id });
                    table.ForeignKey(
                        name: "FK_experiments_fovlocation_brain_region_experiments_brainregio~",
                        column: x => x.brainregion_id,
                        principalTable: "experiments_brainregion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_fovlocation_brain_region_experiments_fovlocatio~",
                        column: x => x.fovlocation_id,
                        principalTable: "experiments_fovlocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fov_imaging_type_id",
                table: "experiments_fov",
                column: "imaging_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fov_stack_id",
                table: "experiments_fov",
                column: "stack_id");

            migrationBuilder.CreateIndex(
                name: "experiments_fov_session_id_name_uniq",
                table: "experiments_fov",
                columns: new[] { "session_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fov_datasets_dataset_id",
                table: "experiments_fov_datasets",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fovlocation_coordinate_system_id",
                table: "experiments_fovlocation",
                column: "coordinate_system_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fovlocation_field_of_view_id",
                table: "experiments_fovlocation",
                column: "field_of_view_id");

            migrationBuilder.CreateIndex(
                name: "unique_provenance_per_field_of_view",
                table: "experiments_fovlocation",
                columns: new[] { "provenance", "field_of_view_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_fovlocation_brain_region_brainregion_id",
                table: "experiments_fovlocation_brain_region",
                column: "brainregion_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_imagingtype_name",
                table: "experiments_imagingtype",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "experiments_fov_datasets");

            migrationBuilder.DropTable(
                name: "experiments_fovlocation_brain_region");

            migrationBuilder.DropTable(
                name: "experiments_fovlocation");

            migrationBuilder.DropTable(
                name: "experiments_fov");

            migrationBuilder.DropTable(
                name: "experiments_imagingstack");

            migrationBuilder.DropTable(
                name: "experiments_imagingtype");
        }
    }
}
