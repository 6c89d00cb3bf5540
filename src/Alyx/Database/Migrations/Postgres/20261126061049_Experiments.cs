using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Experiments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "experiments_probemodel",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    probe_manufacturer = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    probe_model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_probemodel", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "experiments_probeinsertion",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    model_id = table.Column<Guid>(type: "uuid", nullable: true),
                    serial = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    auto_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_probeinsertion", x => x.id);
                    table.ForeignKey(
                        name: "FK_experiments_probeinsertion_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_probeinsertion_experiments_probemodel_model_id",
                        column: x => x.model_id,
                        principalTable: "experiments_probemodel",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "experiments_probeinsertion_datasets",
                columns: table => new
                {
                    probeinsertion_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments_probeinsertion_datasets", x => new { x.probeinsertion_id, x.dataset_id });
                    table.ForeignKey(
                        name: "FK_experiments_probeinsertion_datasets_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_experiments_probeinsertion_datasets_experiments_probeinsert~",
                        column: x => x.probeinsertion_id,
                        principalTable: "experiments_probeinsertion",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_experiments_probeinsertion_model_id",
                table: "experiments_probeinsertion",
                column: "model_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_probeinsertion_session_id",
                table: "experiments_probeinsertion",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "unique_probe_insertion_name_per_session",
                table: "experiments_probeinsertion",
                columns: new[] { "name", "session_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_probeinsertion_datasets_dataset_id",
                table: "experiments_probeinsertion_datasets",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_probemodel_probe_model",
                table: "experiments_probemodel",
                column: "probe_model",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "experiments_probeinsertion_datasets");

            migrationBuilder.DropTable(
                name: "experiments_probeinsertion");

            migrationBuilder.DropTable(
                name: "experiments_probemodel");
        }
    }
}
