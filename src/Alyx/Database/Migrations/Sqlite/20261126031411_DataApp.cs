using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DataApp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_dataformat",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    file_extension = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    matlab_loader_function = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    python_loader_function = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_dataformat", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_datanotice",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    importance = table.Column<int>(type: "INTEGER", nullable: false),
                    created_by_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_datetime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version_affected = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    affected_date_start = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    affected_date_end = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datanotice", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_datanotice_misc_labmember_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "data_datasettype",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    created_by_id = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 1023, nullable: false),
                    filename_pattern = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datasettype", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_datasettype_misc_labmember_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_revision",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1023, nullable: false),
                    created_datetime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_revision", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_tag",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 1023, nullable: false),
                    @protected = table.Column<bool>(name: "protected", type: "INTEGER", nullable: false),
                    @public = table.Column<bool>(name: "public", type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_tag", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_dataset",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    session_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_by_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_datetime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    generating_software = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    provenance_directory_id = table.Column<string>(type: "TEXT", nullable: true),
                    content_type_id = table.Column<int>(type: "INTEGER", nullable: true),
                    object_id = table.Column<string>(type: "TEXT", nullable: true),
                    file_size = table.Column<long>(type: "INTEGER", nullable: true),
                    md5 = table.Column<string>(type: "TEXT", nullable: true),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    collection = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    dataset_type_id = table.Column<string>(type: "TEXT", nullable: false),
                    data_format_id = table.Column<string>(type: "TEXT", nullable: false),
                    revision_id = table.Column<string>(type: "TEXT", nullable: true),
                    auto_datetime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    default_dataset = table.Column<bool>(type: "INTEGER", nullable: false),
                    qc = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_dataset", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_dataset_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_dataset_data_dataformat_data_format_id",
                        column: x => x.data_format_id,
                        principalTable: "data_dataformat",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_data_dataset_data_dataset_provenance_directory_id",
                        column: x => x.provenance_directory_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_dataset_data_datasettype_dataset_type_id",
                        column: x => x.dataset_type_id,
                        principalTable: "data_datasettype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_data_dataset_data_revision_revision_id",
                        column: x => x.revision_id,
                        principalTable: "data_revision",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_data_dataset_django_content_type_content_type_id",
                        column: x => x.content_type_id,
                        principalTable: "django_content_type",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_dataset_misc_labmember_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_datanotice_datasets",
                columns: table => new
                {
                    datanotice_id = table.Column<string>(type: "TEXT", nullable: false),
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datanotice_datasets", x => new { x.datanotice_id, x.dataset_id });
                    table.ForeignKey(
                        name: "FK_data_datanotice_datasets_data_datanotice_datanotice_id",
                        column: x => x.datanotice_id,
                        principalTable: "data_datanotice",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_datanotice_datasets_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_dataset_tags",
                columns: table => new
                {
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    tag_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_dataset_tags", x => new { x.dataset_id, x.tag_id });
                    table.ForeignKey(
                        name: "FK_data_dataset_tags_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_dataset_tags_data_tag_tag_id",
                        column: x => x.tag_id,
                        principalTable: "data_tag",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_download",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    first_download = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_download = table.Column<DateTime>(type: "TEXT", nullable: false),
                    count = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_download", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_download_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_download_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_filerecord",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    dataset_id = table.Column<string>(type: "TEXT", nullable: false),
                    data_repository_id = table.Column<string>(type: "TEXT", nullable: false),
                    relative_path = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    exists = table.Column<bool>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_filerecord", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_filerecord_data_datarepository_data_repository_id",
                        column: x => x.data_repository_id,
                        principalTable: "data_datarepository",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_filerecord_data_dataset_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "data_dataset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_download_projects",
                columns: table => new
                {
                    download_id = table.Column<string>(type: "TEXT", nullable: false),
                    project_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_download_projects", x => new { x.download_id, x.project_id });
                    table.ForeignKey(
                        name: "FK_data_download_projects_data_download_download_id",
                        column: x => x.download_id,
                        principalTable: "data_download",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_data_download_projects_subjects_project_project_id",
                        column: x => x.project_id,
                        principalTable: "subjects_project",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_data_dataformat_file_extension",
                table: "data_dataformat",
                column: "file_extension");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataformat_name",
                table: "data_dataformat",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_affected_date_end",
                table: "data_datanotice",
                column: "affected_date_end");

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_affected_date_start",
                table: "data_datanotice",
                column: "affected_date_start");

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_created_by_id",
                table: "data_datanotice",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_importance_created_datetime_name",
                table: "data_datanotice",
                columns: new[] { "importance", "created_datetime", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_version_affected",
                table: "data_datanotice",
                column: "version_affected");

            migrationBuilder.CreateIndex(
                name: "IX_data_datanotice_datasets_dataset_id",
                table: "data_datanotice_datasets",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_auto_datetime",
                table: "data_dataset",
                column: "auto_datetime");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_collection",
                table: "data_dataset",
                column: "collection");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_content_type_id",
                table: "data_dataset",
                column: "content_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_created_by_id",
                table: "data_dataset",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_created_datetime_id",
                table: "data_dataset",
                columns: new[] { "created_datetime", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_data_format_id",
                table: "data_dataset",
                column: "data_format_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_dataset_type_id",
                table: "data_dataset",
                column: "dataset_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_hash",
                table: "data_dataset",
                column: "hash");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_name",
                table: "data_dataset",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_object_id",
                table: "data_dataset",
                column: "object_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_provenance_directory_id",
                table: "data_dataset",
                column: "provenance_directory_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_qc",
                table: "data_dataset",
                column: "qc");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_revision_id",
                table: "data_dataset",
                column: "revision_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_session_id_collection_name",
                table: "data_dataset",
                columns: new[] { "session_id", "collection", "name" });

            migrationBuilder.CreateIndex(
                name: "IX_data_dataset_tags_tag_id",
                table: "data_dataset_tags",
                column: "tag_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_datasettype_created_by_id",
                table: "data_datasettype",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_datasettype_filename_pattern",
                table: "data_datasettype",
                column: "filename_pattern",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_datasettype_name",
                table: "data_datasettype",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_download_count",
                table: "data_download",
                column: "count");

            migrationBuilder.CreateIndex(
                name: "IX_data_download_dataset_id",
                table: "data_download",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_download_user_id_dataset_id",
                table: "data_download",
                columns: new[] { "user_id", "dataset_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_download_projects_project_id",
                table: "data_download_projects",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_filerecord_data_repository_id_relative_path",
                table: "data_filerecord",
                columns: new[] { "data_repository_id", "relative_path" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_filerecord_dataset_id",
                table: "data_filerecord",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_filerecord_exists",
                table: "data_filerecord",
                column: "exists");

            migrationBuilder.CreateIndex(
                name: "IX_data_filerecord_relative_path",
                table: "data_filerecord",
                column: "relative_path");

            migrationBuilder.CreateIndex(
                name: "IX_data_revision_created_datetime",
                table: "data_revision",
                column: "created_datetime");

            migrationBuilder.CreateIndex(
                name: "IX_data_revision_name",
                table: "data_revision",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_tag_name",
                table: "data_tag",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_datanotice_datasets");

            migrationBuilder.DropTable(
                name: "data_dataset_tags");

            migrationBuilder.DropTable(
                name: "data_download_projects");

            migrationBuilder.DropTable(
                name: "data_filerecord");

            migrationBuilder.DropTable(
                name: "data_datanotice");

            migrationBuilder.DropTable(
                name: "data_tag");

            migrationBuilder.DropTable(
                name: "data_download");

            migrationBuilder.DropTable(
                name: "data_dataset");

            migrationBuilder.DropTable(
                name: "data_dataformat");

            migrationBuilder.DropTable(
                name: "data_datasettype");

            migrationBuilder.DropTable(
                name: "data_revision");
        }
    }
}
