using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Alyx.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "actions_cullmethod",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_cullmethod", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_cullreason",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_cullreason", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_proceduretype",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_proceduretype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_watertype",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_watertype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_dataformat",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    file_extension = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    matlab_loader_function = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    python_loader_function = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_dataformat", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_datarepositorytype",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datarepositorytype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_revision",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    created_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_revision", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_tag",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    @protected = table.Column<bool>(name: "protected", type: "boolean", nullable: false),
                    @public = table.Column<bool>(name: "public", type: "boolean", nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_tag", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "django_content_type",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    app_label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_django_content_type", x => x.id);
                });

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
                name: "misc_cagetype",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_cagetype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "misc_enrichment",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_enrichment", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "misc_food",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_food", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "misc_labmember",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    password = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    last_login = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    is_superuser = table.Column<bool>(type: "boolean", nullable: false),
                    username = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    first_name = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    last_name = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    is_staff = table.Column<bool>(type: "boolean", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    date_joined = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    is_stock_manager = table.Column<bool>(type: "boolean", nullable: false),
                    is_public_user = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_labmember", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_allele",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    nickname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    name = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_allele", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_project",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_project", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_sequence",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    base_pairs = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_sequence", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_source",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_source", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_species",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    nickname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_species", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subjects_strain",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_strain", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_datarepository",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    repository_type_id = table.Column<Guid>(type: "uuid", nullable: true),
                    hostname = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    data_url = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    globus_path = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    globus_endpoint_id = table.Column<Guid>(type: "uuid", nullable: true),
                    globus_is_personal = table.Column<bool>(type: "boolean", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_datarepository", x => x.id);
                    table.ForeignKey(
                        name: "FK_data_datarepository_data_datarepositorytype_repository_type~",
                        column: x => x.repository_type_id,
                        principalTable: "data_datarepositorytype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "misc_housing",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    cage_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    cage_type_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrichment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    food_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cage_cleaning_frequency_days = table.Column<int>(type: "integer", nullable: true),
                    light_cycle = table.Column<int>(type: "integer", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_housing", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_housing_misc_cagetype_cage_type_id",
                        column: x => x.cage_type_id,
                        principalTable: "misc_cagetype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_misc_housing_misc_enrichment_enrichment_id",
                        column: x => x.enrichment_id,
                        principalTable: "misc_enrichment",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_misc_housing_misc_food_food_id",
                        column: x => x.food_id,
                        principalTable: "misc_food",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "misc_lab",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    institution = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    address = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reference_weight_pct = table.Column<double>(type: "double precision", nullable: false),
                    zscore_weight_pct = table.Column<double>(type: "double precision", nullable: false),
                    cage_type_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enrichment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    food_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cage_cleaning_frequency_days = table.Column<int>(type: "integer", nullable: true),
                    light_cycle = table.Column<int>(type: "integer", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_lab", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_lab_misc_cagetype_cage_type_id",
                        column: x => x.cage_type_id,
                        principalTable: "misc_cagetype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_misc_lab_misc_enrichment_enrichment_id",
                        column: x => x.enrichment_id,
                        principalTable: "misc_enrichment",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_misc_lab_misc_food_food_id",
                        column: x => x.food_id,
                        principalTable: "misc_food",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_notificationrule",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notification_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subjects_scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_notificationrule", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_notificationrule_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "authtoken_token",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authtoken_token", x => x.key);
                    table.ForeignKey(
                        name: "FK_authtoken_token_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_datanotice",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    importance = table.Column<int>(type: "integer", nullable: false),
                    created_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    version_affected = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    affected_date_start = table.Column<DateOnly>(type: "date", nullable: true),
                    affected_date_end = table.Column<DateOnly>(type: "date", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    filename_pattern = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
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
                name: "misc_labmember_allowed_users",
                columns: table => new
                {
                    from_labmember_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to_labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_labmember_allowed_users", x => new { x.from_labmember_id, x.to_labmember_id });
                    table.ForeignKey(
                        name: "FK_misc_labmember_allowed_users_misc_labmember_from_labmember_~",
                        column: x => x.from_labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_misc_labmember_allowed_users_misc_labmember_to_labmember_id",
                        column: x => x.to_labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "misc_note",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    image = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    content_type_id = table.Column<int>(type: "integer", nullable: false),
                    object_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_note", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_note_django_content_type_content_type_id",
                        column: x => x.content_type_id,
                        principalTable: "django_content_type",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_misc_note_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_project_users",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_project_users", x => new { x.project_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_subjects_project_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_project_users_subjects_project_project_id",
                        column: x => x.project_id,
                        principalTable: "subjects_project",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_allele_sequences",
                columns: table => new
                {
                    allele_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_allele_sequences", x => new { x.allele_id, x.sequence_id });
                    table.ForeignKey(
                        name: "FK_subjects_allele_sequences_subjects_allele_allele_id",
                        column: x => x.allele_id,
                        principalTable: "subjects_allele",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_allele_sequences_subjects_sequence_sequence_id",
                        column: x => x.sequence_id,
                        principalTable: "subjects_sequence",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "misc_lab_repositories",
                columns: table => new
                {
                    lab_id = table.Column<Guid>(type: "uuid", nullable: false),
                    datarepository_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_lab_repositories", x => new { x.lab_id, x.datarepository_id });
                    table.ForeignKey(
                        name: "FK_misc_lab_repositories_data_datarepository_datarepository_id",
                        column: x => x.datarepository_id,
                        principalTable: "data_datarepository",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_misc_lab_repositories_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "misc_lablocation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_lablocation", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_lablocation_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "misc_labmembership",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    start_date = table.Column<DateOnly>(type: "date", nullable: true),
                    end_date = table.Column<DateOnly>(type: "date", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_labmembership", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_labmembership_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_misc_labmembership_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_line",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    nickname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    target_phenotype = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    strain_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_identifier = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    source_url = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    expression_data_url = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    species_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject_autoname_index = table.Column<int>(type: "integer", nullable: false),
                    breeding_pair_autoname_index = table.Column<int>(type: "integer", nullable: false),
                    litter_autoname_index = table.Column<int>(type: "integer", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_line", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_line_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_line_subjects_source_source_id",
                        column: x => x.source_id,
                        principalTable: "subjects_source",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_line_subjects_species_species_id",
                        column: x => x.species_id,
                        principalTable: "subjects_species",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_line_subjects_strain_strain_id",
                        column: x => x.strain_id,
                        principalTable: "subjects_strain",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_line_alleles",
                columns: table => new
                {
                    line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    allele_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_line_alleles", x => new { x.line_id, x.allele_id });
                    table.ForeignKey(
                        name: "FK_subjects_line_alleles_subjects_allele_allele_id",
                        column: x => x.allele_id,
                        principalTable: "subjects_allele",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_line_alleles_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_subjectrequest",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    line_id = table.Column<Guid>(type: "uuid", nullable: true),
                    count = table.Column<int>(type: "integer", nullable: true),
                    date_time = table.Column<DateOnly>(type: "date", nullable: true),
                    due_date = table.Column<DateOnly>(type: "date", nullable: true),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_subjectrequest", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_subjectrequest_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subjectrequest_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_zygosityrule",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_id = table.Column<Guid>(type: "uuid", nullable: true),
                    allele_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sequence0_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sequence0_result = table.Column<int>(type: "integer", nullable: true),
                    sequence1_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sequence1_result = table.Column<int>(type: "integer", nullable: true),
                    zygosity = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_zygosityrule", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_zygosityrule_subjects_allele_allele_id",
                        column: x => x.allele_id,
                        principalTable: "subjects_allele",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_zygosityrule_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_zygosityrule_subjects_sequence_sequence0_id",
                        column: x => x.sequence0_id,
                        principalTable: "subjects_sequence",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_zygosityrule_subjects_sequence_sequence1_id",
                        column: x => x.sequence1_id,
                        principalTable: "subjects_sequence",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_chronicrecording",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_chronicrecording", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_chronicrecording_procedures",
                columns: table => new
                {
                    chronicrecording_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_chronicrecording_procedures", x => new { x.chronicrecording_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_procedures_actions_chronicrecordin~",
                        column: x => x.chronicrecording_id,
                        principalTable: "actions_chronicrecording",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_procedures_actions_proceduretype_p~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_chronicrecording_users",
                columns: table => new
                {
                    chronicrecording_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_chronicrecording_users", x => new { x.chronicrecording_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_users_actions_chronicrecording_chr~",
                        column: x => x.chronicrecording_id,
                        principalTable: "actions_chronicrecording",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_cull",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    cull_reason_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cull_method_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_cull", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_cull_actions_cullmethod_cull_method_id",
                        column: x => x.cull_method_id,
                        principalTable: "actions_cullmethod",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_cull_actions_cullreason_cull_reason_id",
                        column: x => x.cull_reason_id,
                        principalTable: "actions_cullreason",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_cull_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_notification",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    send_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    sent_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    notification_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    message = table.Column<string>(type: "text", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_notification", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_notification_users",
                columns: table => new
                {
                    notification_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_notification_users", x => new { x.notification_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_notification_users_actions_notification_notificatio~",
                        column: x => x.notification_id,
                        principalTable: "actions_notification",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_notification_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_otheraction",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_otheraction", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_otheraction_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_otheraction_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_otheraction_procedures",
                columns: table => new
                {
                    otheraction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_otheraction_procedures", x => new { x.otheraction_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_otheraction_procedures_actions_otheraction_otheract~",
                        column: x => x.otheraction_id,
                        principalTable: "actions_otheraction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_otheraction_procedures_actions_proceduretype_proced~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_otheraction_users",
                columns: table => new
                {
                    otheraction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_otheraction_users", x => new { x.otheraction_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_otheraction_users_actions_otheraction_otheraction_id",
                        column: x => x.otheraction_id,
                        principalTable: "actions_otheraction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_otheraction_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_session",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    parent_session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    number = table.Column<int>(type: "integer", nullable: true),
                    task_protocol = table.Column<string>(type: "character varying(1023)", maxLength: 1023, nullable: false),
                    n_trials = table.Column<int>(type: "integer", nullable: true),
                    n_correct_trials = table.Column<int>(type: "integer", nullable: true),
                    qc = table.Column<int>(type: "integer", nullable: false),
                    extended_qc = table.Column<string>(type: "jsonb", nullable: true),
                    auto_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_session", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_session_actions_session_parent_session_id",
                        column: x => x.parent_session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_session_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_session_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_session_procedures",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_session_procedures", x => new { x.session_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_session_procedures_actions_proceduretype_proceduret~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_session_procedures_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_session_projects",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_session_projects", x => new { x.session_id, x.project_id });
                    table.ForeignKey(
                        name: "FK_actions_session_projects_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_session_projects_subjects_project_project_id",
                        column: x => x.project_id,
                        principalTable: "subjects_project",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_session_users",
                columns: table => new
                {
                    session_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_session_users", x => new { x.session_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_session_users_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_session_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "data_dataset",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    generating_software = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    provenance_directory_id = table.Column<Guid>(type: "uuid", nullable: true),
                    content_type_id = table.Column<int>(type: "integer", nullable: true),
                    object_id = table.Column<Guid>(type: "uuid", nullable: true),
                    file_size = table.Column<long>(type: "bigint", nullable: true),
                    md5 = table.Column<Guid>(type: "uuid", nullable: true),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    dataset_type_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data_format_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision_id = table.Column<Guid>(type: "uuid", nullable: true),
                    auto_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    default_dataset = table.Column<bool>(type: "boolean", nullable: false),
                    qc = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
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
                name: "data_datanotice_datasets",
                columns: table => new
                {
                    datanotice_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false)
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
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tag_id = table.Column<Guid>(type: "uuid", nullable: false)
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    first_download = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    last_download = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    data_repository_id = table.Column<Guid>(type: "uuid", nullable: false),
                    relative_path = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    exists = table.Column<bool>(type: "boolean", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "data_download_projects",
                columns: table => new
                {
                    download_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "actions_surgery",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    outcome_type = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    implant_weight = table.Column<double>(type: "double precision", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_surgery", x => x.id);
                    table.CheckConstraint("implant_weight_gte_0", "implant_weight >= 0");
                    table.ForeignKey(
                        name: "FK_actions_surgery_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_surgery_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_surgery_procedures",
                columns: table => new
                {
                    surgery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_surgery_procedures", x => new { x.surgery_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_surgery_procedures_actions_proceduretype_proceduret~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_surgery_procedures_actions_surgery_surgery_id",
                        column: x => x.surgery_id,
                        principalTable: "actions_surgery",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_surgery_users",
                columns: table => new
                {
                    surgery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_surgery_users", x => new { x.surgery_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_surgery_users_actions_surgery_surgery_id",
                        column: x => x.surgery_id,
                        principalTable: "actions_surgery",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_surgery_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_virusinjection",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    virus_batch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    injection_volume = table.Column<double>(type: "double precision", nullable: true),
                    rate_of_injection = table.Column<double>(type: "double precision", nullable: true),
                    injection_type = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_virusinjection", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_virusinjection_procedures",
                columns: table => new
                {
                    virusinjection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_virusinjection_procedures", x => new { x.virusinjection_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_procedures_actions_proceduretype_pro~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_procedures_actions_virusinjection_vi~",
                        column: x => x.virusinjection_id,
                        principalTable: "actions_virusinjection",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_virusinjection_users",
                columns: table => new
                {
                    virusinjection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_virusinjection_users", x => new { x.virusinjection_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_users_actions_virusinjection_virusin~",
                        column: x => x.virusinjection_id,
                        principalTable: "actions_virusinjection",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_wateradministration",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    water_administered = table.Column<double>(type: "double precision", nullable: true),
                    water_type_id = table.Column<Guid>(type: "uuid", nullable: true),
                    adlib = table.Column<bool>(type: "boolean", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_wateradministration", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_wateradministration_actions_session_session_id",
                        column: x => x.session_id,
                        principalTable: "actions_session",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_wateradministration_actions_watertype_water_type_id",
                        column: x => x.water_type_id,
                        principalTable: "actions_watertype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_wateradministration_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reference_weight = table.Column<double>(type: "double precision", nullable: false),
                    water_type_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: true),
                    narrative = table.Column<string>(type: "text", nullable: false),
                    start_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_actions_watertype_water_type_id",
                        column: x => x.water_type_id,
                        principalTable: "actions_watertype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_misc_lablocation_location_id",
                        column: x => x.location_id,
                        principalTable: "misc_lablocation",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction_procedures",
                columns: table => new
                {
                    waterrestriction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proceduretype_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction_procedures", x => new { x.waterrestriction_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_procedures_actions_proceduretype_p~",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_procedures_actions_waterrestrictio~",
                        column: x => x.waterrestriction_id,
                        principalTable: "actions_waterrestriction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction_users",
                columns: table => new
                {
                    waterrestriction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    labmember_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction_users", x => new { x.waterrestriction_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_users_actions_waterrestriction_wat~",
                        column: x => x.waterrestriction_id,
                        principalTable: "actions_waterrestriction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_users_misc_labmember_labmember_id",
                        column: x => x.labmember_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_weighing",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date_time = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    weight = table.Column<double>(type: "double precision", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_weighing", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_weighing_misc_labmember_user_id",
                        column: x => x.user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "misc_housingsubject",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: true),
                    housing_id = table.Column<Guid>(type: "uuid", nullable: true),
                    start_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    end_datetime = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_misc_housingsubject", x => x.id);
                    table.ForeignKey(
                        name: "FK_misc_housingsubject_misc_housing_housing_id",
                        column: x => x.housing_id,
                        principalTable: "misc_housing",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_breedingpair",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_id = table.Column<Guid>(type: "uuid", nullable: true),
                    start_date = table.Column<DateOnly>(type: "date", nullable: true),
                    end_date = table.Column<DateOnly>(type: "date", nullable: true),
                    father_id = table.Column<Guid>(type: "uuid", nullable: true),
                    mother1_id = table.Column<Guid>(type: "uuid", nullable: true),
                    mother2_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_breedingpair", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_breedingpair_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_litter",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_id = table.Column<Guid>(type: "uuid", nullable: true),
                    breeding_pair_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "text", nullable: false),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_litter", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_litter_subjects_breedingpair_breeding_pair_id",
                        column: x => x.breeding_pair_id,
                        principalTable: "subjects_breedingpair",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_litter_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_subject",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    nickname = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    species_id = table.Column<Guid>(type: "uuid", nullable: true),
                    litter_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    strain_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source_id = table.Column<Guid>(type: "uuid", nullable: true),
                    line_id = table.Column<Guid>(type: "uuid", nullable: true),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: true),
                    death_date = table.Column<DateOnly>(type: "date", nullable: true),
                    wean_date = table.Column<DateOnly>(type: "date", nullable: true),
                    genotype_date = table.Column<DateOnly>(type: "date", nullable: true),
                    responsible_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lab_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cage = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    ear_mark = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    protocol_number = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    adverse_effects = table.Column<string>(type: "text", nullable: false),
                    actual_severity = table.Column<int>(type: "integer", nullable: true),
                    to_be_genotyped = table.Column<bool>(type: "boolean", nullable: false),
                    to_be_culled = table.Column<bool>(type: "boolean", nullable: false),
                    reduced_date = table.Column<DateOnly>(type: "date", nullable: true),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_subject", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_subject_misc_lab_lab_id",
                        column: x => x.lab_id,
                        principalTable: "misc_lab",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_subject_misc_labmember_responsible_user_id",
                        column: x => x.responsible_user_id,
                        principalTable: "misc_labmember",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_line_line_id",
                        column: x => x.line_id,
                        principalTable: "subjects_line",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_litter_litter_id",
                        column: x => x.litter_id,
                        principalTable: "subjects_litter",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_source_source_id",
                        column: x => x.source_id,
                        principalTable: "subjects_source",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_species_species_id",
                        column: x => x.species_id,
                        principalTable: "subjects_species",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_strain_strain_id",
                        column: x => x.strain_id,
                        principalTable: "subjects_strain",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_subjects_subject_subjects_subjectrequest_request_id",
                        column: x => x.request_id,
                        principalTable: "subjects_subjectrequest",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "subjects_genotypetest",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence_id = table.Column<Guid>(type: "uuid", nullable: false),
                    test_result = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_genotypetest", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_genotypetest_subjects_sequence_sequence_id",
                        column: x => x.sequence_id,
                        principalTable: "subjects_sequence",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_genotypetest_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_subject_projects",
                columns: table => new
                {
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    project_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_subject_projects", x => new { x.subject_id, x.project_id });
                    table.ForeignKey(
                        name: "FK_subjects_subject_projects_subjects_project_project_id",
                        column: x => x.project_id,
                        principalTable: "subjects_project",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_subject_projects_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subjects_zygosity",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    allele_id = table.Column<Guid>(type: "uuid", nullable: false),
                    zygosity = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subjects_zygosity", x => x.id);
                    table.ForeignKey(
                        name: "FK_subjects_zygosity_subjects_allele_allele_id",
                        column: x => x.allele_id,
                        principalTable: "subjects_allele",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_subjects_zygosity_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_lab_id",
                table: "actions_chronicrecording",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_location_id",
                table: "actions_chronicrecording",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_start_time",
                table: "actions_chronicrecording",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_subject_id",
                table: "actions_chronicrecording",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_procedures_proceduretype_id",
                table: "actions_chronicrecording_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_chronicrecording_users_labmember_id",
                table: "actions_chronicrecording_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_cull_cull_method_id",
                table: "actions_cull",
                column: "cull_method_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_cull_cull_reason_id",
                table: "actions_cull",
                column: "cull_reason_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_cull_subject_id",
                table: "actions_cull",
                column: "subject_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_actions_cull_user_id",
                table: "actions_cull",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_notification_subject_id",
                table: "actions_notification",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_notification_users_labmember_id",
                table: "actions_notification_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_notificationrule_user_id_notification_type",
                table: "actions_notificationrule",
                columns: new[] { "user_id", "notification_type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_lab_id",
                table: "actions_otheraction",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_location_id",
                table: "actions_otheraction",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_start_time",
                table: "actions_otheraction",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_subject_id",
                table: "actions_otheraction",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_procedures_proceduretype_id",
                table: "actions_otheraction_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_otheraction_users_labmember_id",
                table: "actions_otheraction_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_lab_id",
                table: "actions_session",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_location_id",
                table: "actions_session",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_parent_session_id",
                table: "actions_session",
                column: "parent_session_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_start_time",
                table: "actions_session",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_subject_id_start_time",
                table: "actions_session",
                columns: new[] { "subject_id", "start_time" });

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_task_protocol",
                table: "actions_session",
                column: "task_protocol");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_procedures_proceduretype_id",
                table: "actions_session_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_projects_project_id",
                table: "actions_session_projects",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_session_users_labmember_id",
                table: "actions_session_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_lab_id",
                table: "actions_surgery",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_location_id",
                table: "actions_surgery",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_start_time",
                table: "actions_surgery",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_subject_id",
                table: "actions_surgery",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_procedures_proceduretype_id",
                table: "actions_surgery_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_surgery_users_labmember_id",
                table: "actions_surgery_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_lab_id",
                table: "actions_virusinjection",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_location_id",
                table: "actions_virusinjection",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_start_time",
                table: "actions_virusinjection",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_subject_id",
                table: "actions_virusinjection",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_procedures_proceduretype_id",
                table: "actions_virusinjection_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_virusinjection_users_labmember_id",
                table: "actions_virusinjection_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_session_id",
                table: "actions_wateradministration",
                column: "session_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_subject_id_date_time",
                table: "actions_wateradministration",
                columns: new[] { "subject_id", "date_time" });

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_user_id",
                table: "actions_wateradministration",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_wateradministration_water_type_id",
                table: "actions_wateradministration",
                column: "water_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_lab_id",
                table: "actions_waterrestriction",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_location_id",
                table: "actions_waterrestriction",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_start_time",
                table: "actions_waterrestriction",
                column: "start_time");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_subject_id_end_time",
                table: "actions_waterrestriction",
                columns: new[] { "subject_id", "end_time" });

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_water_type_id",
                table: "actions_waterrestriction",
                column: "water_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_procedures_proceduretype_id",
                table: "actions_waterrestriction_procedures",
                column: "proceduretype_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_waterrestriction_users_labmember_id",
                table: "actions_waterrestriction_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_actions_watertype_name",
                table: "actions_watertype",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_actions_weighing_subject_id_date_time",
                table: "actions_weighing",
                columns: new[] { "subject_id", "date_time" });

            migrationBuilder.CreateIndex(
                name: "IX_actions_weighing_user_id",
                table: "actions_weighing",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_authtoken_token_user_id",
                table: "authtoken_token",
                column: "user_id",
                unique: true);

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
                name: "IX_data_datarepository_name",
                table: "data_datarepository",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_data_datarepository_repository_type_id",
                table: "data_datarepository",
                column: "repository_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_data_datarepositorytype_name",
                table: "data_datarepositorytype",
                column: "name",
                unique: true);

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
                name: "data_dataset_identity_uniq",
                table: "data_dataset",
                columns: new[] { "session_id", "collection", "name", "revision_id", "content_type_id", "object_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

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

            migrationBuilder.CreateIndex(
                name: "IX_django_content_type_app_label_model",
                table: "django_content_type",
                columns: new[] { "app_label", "model" },
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_misc_enrichment_name",
                table: "misc_enrichment",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_misc_food_name",
                table: "misc_food",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_misc_housing_cage_type_id",
                table: "misc_housing",
                column: "cage_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_housing_enrichment_id",
                table: "misc_housing",
                column: "enrichment_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_housing_food_id",
                table: "misc_housing",
                column: "food_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_housingsubject_housing_id",
                table: "misc_housingsubject",
                column: "housing_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_housingsubject_subject_id_end_datetime",
                table: "misc_housingsubject",
                columns: new[] { "subject_id", "end_datetime" });

            migrationBuilder.CreateIndex(
                name: "IX_misc_lab_cage_type_id",
                table: "misc_lab",
                column: "cage_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_lab_enrichment_id",
                table: "misc_lab",
                column: "enrichment_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_lab_food_id",
                table: "misc_lab",
                column: "food_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_lab_name",
                table: "misc_lab",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_misc_lab_repositories_datarepository_id",
                table: "misc_lab_repositories",
                column: "datarepository_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_lablocation_lab_id",
                table: "misc_lablocation",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_lablocation_name",
                table: "misc_lablocation",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_misc_labmember_username",
                table: "misc_labmember",
                column: "username",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_misc_labmember_allowed_users_to_labmember_id",
                table: "misc_labmember_allowed_users",
                column: "to_labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_labmembership_lab_id",
                table: "misc_labmembership",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_labmembership_user_id",
                table: "misc_labmembership",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_note_content_type_id",
                table: "misc_note",
                column: "content_type_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_note_date_time_id",
                table: "misc_note",
                columns: new[] { "date_time", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_misc_note_object_id",
                table: "misc_note",
                column: "object_id");

            migrationBuilder.CreateIndex(
                name: "IX_misc_note_user_id",
                table: "misc_note",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_allele_nickname",
                table: "subjects_allele",
                column: "nickname",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_allele_sequences_sequence_id",
                table: "subjects_allele_sequences",
                column: "sequence_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_breedingpair_father_id",
                table: "subjects_breedingpair",
                column: "father_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_breedingpair_line_id",
                table: "subjects_breedingpair",
                column: "line_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_breedingpair_mother1_id",
                table: "subjects_breedingpair",
                column: "mother1_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_breedingpair_mother2_id",
                table: "subjects_breedingpair",
                column: "mother2_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_breedingpair_name",
                table: "subjects_breedingpair",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_genotypetest_sequence_id",
                table: "subjects_genotypetest",
                column: "sequence_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_genotypetest_subject_id",
                table: "subjects_genotypetest",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_lab_id",
                table: "subjects_line",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_name",
                table: "subjects_line",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_nickname",
                table: "subjects_line",
                column: "nickname",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_nickname_lab_id",
                table: "subjects_line",
                columns: new[] { "nickname", "lab_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_source_id",
                table: "subjects_line",
                column: "source_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_species_id",
                table: "subjects_line",
                column: "species_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_strain_id",
                table: "subjects_line",
                column: "strain_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_line_alleles_allele_id",
                table: "subjects_line_alleles",
                column: "allele_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_litter_breeding_pair_id",
                table: "subjects_litter",
                column: "breeding_pair_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_litter_line_id",
                table: "subjects_litter",
                column: "line_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_litter_name",
                table: "subjects_litter",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_project_name",
                table: "subjects_project",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_project_users_labmember_id",
                table: "subjects_project_users",
                column: "labmember_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_sequence_name",
                table: "subjects_sequence",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_species_nickname",
                table: "subjects_species",
                column: "nickname",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_strain_name",
                table: "subjects_strain",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_birth_date",
                table: "subjects_subject",
                column: "birth_date");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_death_date",
                table: "subjects_subject",
                column: "death_date");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_lab_id",
                table: "subjects_subject",
                column: "lab_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_line_id",
                table: "subjects_subject",
                column: "line_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_litter_id",
                table: "subjects_subject",
                column: "litter_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_nickname_birth_date",
                table: "subjects_subject",
                columns: new[] { "nickname", "birth_date" });

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_nickname_lab_id",
                table: "subjects_subject",
                columns: new[] { "nickname", "lab_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_nickname_responsible_user_id",
                table: "subjects_subject",
                columns: new[] { "nickname", "responsible_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_request_id",
                table: "subjects_subject",
                column: "request_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_responsible_user_id",
                table: "subjects_subject",
                column: "responsible_user_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_source_id",
                table: "subjects_subject",
                column: "source_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_species_id",
                table: "subjects_subject",
                column: "species_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_strain_id",
                table: "subjects_subject",
                column: "strain_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subject_projects_project_id",
                table: "subjects_subject_projects",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subjectrequest_date_time",
                table: "subjects_subjectrequest",
                column: "date_time");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subjectrequest_line_id",
                table: "subjects_subjectrequest",
                column: "line_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_subjectrequest_user_id",
                table: "subjects_subjectrequest",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosity_allele_id",
                table: "subjects_zygosity",
                column: "allele_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosity_subject_id",
                table: "subjects_zygosity",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosityrule_allele_id",
                table: "subjects_zygosityrule",
                column: "allele_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosityrule_line_id_allele_id_sequence0_id_sequen~",
                table: "subjects_zygosityrule",
                columns: new[] { "line_id", "allele_id", "sequence0_id", "sequence0_result", "sequence1_id", "sequence1_result" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosityrule_sequence0_id",
                table: "subjects_zygosityrule",
                column: "sequence0_id");

            migrationBuilder.CreateIndex(
                name: "IX_subjects_zygosityrule_sequence1_id",
                table: "subjects_zygosityrule",
                column: "sequence1_id");

            migrationBuilder.AddForeignKey(
                name: "FK_actions_chronicrecording_subjects_subject_subject_id",
                table: "actions_chronicrecording",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_cull_subjects_subject_subject_id",
                table: "actions_cull",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_notification_subjects_subject_subject_id",
                table: "actions_notification",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_otheraction_subjects_subject_subject_id",
                table: "actions_otheraction",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_session_subjects_subject_subject_id",
                table: "actions_session",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_surgery_subjects_subject_subject_id",
                table: "actions_surgery",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_virusinjection_subjects_subject_subject_id",
                table: "actions_virusinjection",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_wateradministration_subjects_subject_subject_id",
                table: "actions_wateradministration",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_waterrestriction_subjects_subject_subject_id",
                table: "actions_waterrestriction",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_actions_weighing_subjects_subject_subject_id",
                table: "actions_weighing",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_misc_housingsubject_subjects_subject_subject_id",
                table: "misc_housingsubject",
                column: "subject_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_father_id",
                table: "subjects_breedingpair",
                column: "father_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_mother1_id",
                table: "subjects_breedingpair",
                column: "mother1_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_mother2_id",
                table: "subjects_breedingpair",
                column: "mother2_id",
                principalTable: "subjects_subject",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_subjects_line_misc_lab_lab_id",
                table: "subjects_line");

            migrationBuilder.DropForeignKey(
                name: "FK_subjects_subject_misc_lab_lab_id",
                table: "subjects_subject");

            migrationBuilder.DropForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_father_id",
                table: "subjects_breedingpair");

            migrationBuilder.DropForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_mother1_id",
                table: "subjects_breedingpair");

            migrationBuilder.DropForeignKey(
                name: "FK_subjects_breedingpair_subjects_subject_mother2_id",
                table: "subjects_breedingpair");

            migrationBuilder.DropTable(
                name: "actions_chronicrecording_procedures");

            migrationBuilder.DropTable(
                name: "actions_chronicrecording_users");

            migrationBuilder.DropTable(
                name: "actions_cull");

            migrationBuilder.DropTable(
                name: "actions_notification_users");

            migrationBuilder.DropTable(
                name: "actions_notificationrule");

            migrationBuilder.DropTable(
                name: "actions_otheraction_procedures");

            migrationBuilder.DropTable(
                name: "actions_otheraction_users");

            migrationBuilder.DropTable(
                name: "actions_session_procedures");

            migrationBuilder.DropTable(
                name: "actions_session_projects");

            migrationBuilder.DropTable(
                name: "actions_session_users");

            migrationBuilder.DropTable(
                name: "actions_surgery_procedures");

            migrationBuilder.DropTable(
                name: "actions_surgery_users");

            migrationBuilder.DropTable(
                name: "actions_virusinjection_procedures");

            migrationBuilder.DropTable(
                name: "actions_virusinjection_users");

            migrationBuilder.DropTable(
                name: "actions_wateradministration");

            migrationBuilder.DropTable(
                name: "actions_waterrestriction_procedures");

            migrationBuilder.DropTable(
                name: "actions_waterrestriction_users");

            migrationBuilder.DropTable(
                name: "actions_weighing");

            migrationBuilder.DropTable(
                name: "authtoken_token");

            migrationBuilder.DropTable(
                name: "data_datanotice_datasets");

            migrationBuilder.DropTable(
                name: "data_dataset_tags");

            migrationBuilder.DropTable(
                name: "data_download_projects");

            migrationBuilder.DropTable(
                name: "data_filerecord");

            migrationBuilder.DropTable(
                name: "experiments_probeinsertion_datasets");

            migrationBuilder.DropTable(
                name: "misc_housingsubject");

            migrationBuilder.DropTable(
                name: "misc_lab_repositories");

            migrationBuilder.DropTable(
                name: "misc_labmember_allowed_users");

            migrationBuilder.DropTable(
                name: "misc_labmembership");

            migrationBuilder.DropTable(
                name: "misc_note");

            migrationBuilder.DropTable(
                name: "subjects_allele_sequences");

            migrationBuilder.DropTable(
                name: "subjects_genotypetest");

            migrationBuilder.DropTable(
                name: "subjects_line_alleles");

            migrationBuilder.DropTable(
                name: "subjects_project_users");

            migrationBuilder.DropTable(
                name: "subjects_subject_projects");

            migrationBuilder.DropTable(
                name: "subjects_zygosity");

            migrationBuilder.DropTable(
                name: "subjects_zygosityrule");

            migrationBuilder.DropTable(
                name: "actions_chronicrecording");

            migrationBuilder.DropTable(
                name: "actions_cullmethod");

            migrationBuilder.DropTable(
                name: "actions_cullreason");

            migrationBuilder.DropTable(
                name: "actions_notification");

            migrationBuilder.DropTable(
                name: "actions_otheraction");

            migrationBuilder.DropTable(
                name: "actions_surgery");

            migrationBuilder.DropTable(
                name: "actions_virusinjection");

            migrationBuilder.DropTable(
                name: "actions_proceduretype");

            migrationBuilder.DropTable(
                name: "actions_waterrestriction");

            migrationBuilder.DropTable(
                name: "data_datanotice");

            migrationBuilder.DropTable(
                name: "data_tag");

            migrationBuilder.DropTable(
                name: "data_download");

            migrationBuilder.DropTable(
                name: "experiments_probeinsertion");

            migrationBuilder.DropTable(
                name: "misc_housing");

            migrationBuilder.DropTable(
                name: "data_datarepository");

            migrationBuilder.DropTable(
                name: "subjects_project");

            migrationBuilder.DropTable(
                name: "subjects_allele");

            migrationBuilder.DropTable(
                name: "subjects_sequence");

            migrationBuilder.DropTable(
                name: "actions_watertype");

            migrationBuilder.DropTable(
                name: "data_dataset");

            migrationBuilder.DropTable(
                name: "experiments_probemodel");

            migrationBuilder.DropTable(
                name: "data_datarepositorytype");

            migrationBuilder.DropTable(
                name: "actions_session");

            migrationBuilder.DropTable(
                name: "data_dataformat");

            migrationBuilder.DropTable(
                name: "data_datasettype");

            migrationBuilder.DropTable(
                name: "data_revision");

            migrationBuilder.DropTable(
                name: "django_content_type");

            migrationBuilder.DropTable(
                name: "misc_lablocation");

            migrationBuilder.DropTable(
                name: "misc_lab");

            migrationBuilder.DropTable(
                name: "misc_cagetype");

            migrationBuilder.DropTable(
                name: "misc_enrichment");

            migrationBuilder.DropTable(
                name: "misc_food");

            migrationBuilder.DropTable(
                name: "subjects_subject");

            migrationBuilder.DropTable(
                name: "subjects_litter");

            migrationBuilder.DropTable(
                name: "subjects_subjectrequest");

            migrationBuilder.DropTable(
                name: "subjects_breedingpair");

            migrationBuilder.DropTable(
                name: "misc_labmember");

            migrationBuilder.DropTable(
                name: "subjects_line");

            migrationBuilder.DropTable(
                name: "subjects_source");

            migrationBuilder.DropTable(
                name: "subjects_species");

            migrationBuilder.DropTable(
                name: "subjects_strain");
        }
    }
}
