using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Trajectories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "chronic_insertion_id",
                table: "experiments_probeinsertion",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "experiments_chronicinsertion",
                columns: table => new
                {
                    chronicrecording_ptr_id = table.Column<string>(type: "TEXT", nullable: false),
                    serial = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    model_id = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_chronicinsertion", x => x.chronicrecording_ptr_id);
                    table.ForeignKey(
                        name: "FK_experiments_chronicinsertion_actions_chronicrecording_chronicrecording_ptr_id",
                        column: x => x.chronicrecording_ptr_id,
                        principalTable: "actions_chronicrecording",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_chronicinsertion_experiments_probemodel_model_id",
                        column: x => x.model_id,
                        principalTable: "experiments_probemodel",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "experiments_coordinatesystem",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_coordinatesystem", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "experiments_trajectoryestimate",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    probe_insertion_id = table.Column<string>(type: "TEXT", nullable: true),
                    chronic_insertion_id = table.Column<string>(type: "TEXT", nullable: true),
                    x = table.Column<double>(type: "REAL", nullable: true),
                    y = table.Column<double>(type: "REAL", nullable: true),
                    z = table.Column<double>(type: "REAL", nullable: true),
                    depth = table.Column<double>(type: "REAL", nullable: true),
                    theta = table.Column<double>(type: "REAL", nullable: true),
                    phi = table.Column<double>(type: "REAL", nullable: true),
                    roll = table.Column<double>(type: "REAL", nullable: true),
                    provenance = table.Column<int>(type: "INTEGER", nullable: false),
                    coordinate_system_id = table.Column<string>(type: "TEXT", nullable: true),
                    datetime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_trajectoryestimate", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiments_trajectoryestimate_experiments_chronicinsertion_chronic_insertion_id",
                        column: x => x.chronic_insertion_id,
                        principalTable: "experiments_chronicinsertion",
                        principalColumn: "chronicrecording_ptr_id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_trajectoryestimate_experiments_coordinatesystem_coordinate_system_id",
                        column: x => x.coordinate_system_id,
                        principalTable: "experiments_coordinatesystem",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_experiments_trajectoryestimate_experiments_probeinsertion_probe_insertion_id",
                        column: x => x.probe_insertion_id,
                        principalTable: "experiments_probeinsertion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments_channel",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    axial = table.Column<double>(type: "REAL", nullable: true),
                    lateral = table.Column<double>(type: "REAL", nullable: true),
                    x = table.Column<double>(type: "REAL", nullable: true),
                    y = table.Column<double>(type: "REAL", nullable: true),
                    z = table.Column<double>(type: "REAL", nullable: true),
                    brain_region_id = table.Column<int>(type: "INTEGER", nullable: true),
                    trajectory_estimate_id = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_channel", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiments_channel_experiments_brainregion_brain_region_id",
                        column: x => x.brain_region_id,
                        principalTable: "experiments_brainregion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_experiments_channel_experiments_trajectoryestimate_trajectory_estimate_id",
                        column: x => x.trajectory_estimate_id,
                        principalTable: "experiments_trajectoryestimate",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_experiments_probeinsertion_chronic_insertion_id",
                table: "experiments_probeinsertion",
                column: "chronic_insertion_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_channel_brain_region_id",
                table: "experiments_channel",
                column: "brain_region_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_channel_trajectory_estimate_id",
                table: "experiments_channel",
                column: "trajectory_estimate_id");

            migrationBuilder.CreateIndex(
                name: "unique_axial_lateral_trajectory_estimate",
                table: "experiments_channel",
                columns: new[] { "axial", "lateral", "trajectory_estimate_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_chronicinsertion_model_id",
                table: "experiments_chronicinsertion",
                column: "model_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_coordinatesystem_description",
                table: "experiments_coordinatesystem",
                column: "description",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_trajectoryestimate_chronic_insertion_id",
                table: "experiments_trajectoryestimate",
                column: "chronic_insertion_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_trajectoryestimate_coordinate_system_id",
                table: "experiments_trajectoryestimate",
                column: "coordinate_system_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_trajectoryestimate_probe_insertion_id",
                table: "experiments_trajectoryestimate",
                column: "probe_insertion_id");

            migrationBuilder.CreateIndex(
                name: "unique_trajectory_per_chronic_provenance",
                table: "experiments_trajectoryestimate",
                columns: new[] { "provenance", "chronic_insertion_id" },
                unique: true,
                filter: "probe_insertion_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "unique_trajectory_per_provenance",
                table: "experiments_trajectoryestimate",
                columns: new[] { "provenance", "probe_insertion_id" },
                unique: true,
                filter: "probe_insertion_id IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "FK_experiments_probeinsertion_experiments_chronicinsertion_chronic_insertion_id",
                table: "experiments_probeinsertion",
                column: "chronic_insertion_id",
                principalTable: "experiments_chronicinsertion",
                principalColumn: "chronicrecording_ptr_id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_experiments_probeinsertion_experiments_chronicinsertion_chronic_insertion_id",
                table: "experiments_probeinsertion");

            migrationBuilder.DropTable(
                name: "experiments_channel");

            migrationBuilder.DropTable(
                name: "experiments_trajectoryestimate");

            migrationBuilder.DropTable(
                name: "experiments_chronicinsertion");

            migrationBuilder.DropTable(
                name: "experiments_coordinatesystem");

            migrationBuilder.DropIndex(
                name: "IX_experiments_probeinsertion_chronic_insertion_id",
                table: "experiments_probeinsertion");

            migrationBuilder.DropColumn(
                name: "chronic_insertion_id",
                table: "experiments_probeinsertion");
        }
    }
}
