using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Alyx.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Actions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "actions_chronicrecording",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_cullmethod",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_cullmethod", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_cullreason",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_cullreason", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_notification",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    send_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    notification_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    subject_id = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_notification", x => x.id);
                    table.ForeignKey(
                        name: "FK_actions_notification_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "actions_notificationrule",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    notification_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    subjects_scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
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
                name: "actions_otheraction",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_otheraction_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_proceduretype",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_proceduretype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_session",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    parent_session_id = table.Column<string>(type: "TEXT", nullable: true),
                    type = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    number = table.Column<int>(type: "INTEGER", nullable: true),
                    task_protocol = table.Column<string>(type: "TEXT", maxLength: 1023, nullable: false),
                    n_trials = table.Column<int>(type: "INTEGER", nullable: true),
                    n_correct_trials = table.Column<int>(type: "INTEGER", nullable: true),
                    qc = table.Column<int>(type: "INTEGER", nullable: false),
                    extended_qc = table.Column<string>(type: "TEXT", nullable: true),
                    auto_datetime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_session_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_surgery",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    outcome_type = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    implant_weight = table.Column<double>(type: "REAL", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_surgery_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_virusinjection",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    virus_batch = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    injection_volume = table.Column<double>(type: "REAL", nullable: true),
                    rate_of_injection = table.Column<double>(type: "REAL", nullable: true),
                    injection_type = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_watertype",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_watertype", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "actions_weighing",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    date_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    weight = table.Column<double>(type: "REAL", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_weighing_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_chronicrecording_users",
                columns: table => new
                {
                    chronicrecording_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_chronicrecording_users", x => new { x.chronicrecording_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_users_actions_chronicrecording_chronicrecording_id",
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
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    cull_reason_id = table.Column<string>(type: "TEXT", nullable: true),
                    cull_method_id = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_cull_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_notification_users",
                columns: table => new
                {
                    notification_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_notification_users", x => new { x.notification_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_notification_users_actions_notification_notification_id",
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
                name: "actions_otheraction_users",
                columns: table => new
                {
                    otheraction_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "actions_chronicrecording_procedures",
                columns: table => new
                {
                    chronicrecording_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_chronicrecording_procedures", x => new { x.chronicrecording_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_procedures_actions_chronicrecording_chronicrecording_id",
                        column: x => x.chronicrecording_id,
                        principalTable: "actions_chronicrecording",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_chronicrecording_procedures_actions_proceduretype_proceduretype_id",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_otheraction_procedures",
                columns: table => new
                {
                    otheraction_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_otheraction_procedures", x => new { x.otheraction_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_otheraction_procedures_actions_otheraction_otheraction_id",
                        column: x => x.otheraction_id,
                        principalTable: "actions_otheraction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_otheraction_procedures_actions_proceduretype_proceduretype_id",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_session_procedures",
                columns: table => new
                {
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_session_procedures", x => new { x.session_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_session_procedures_actions_proceduretype_proceduretype_id",
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
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    project_id = table.Column<string>(type: "TEXT", nullable: false)
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
                    session_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "actions_surgery_procedures",
                columns: table => new
                {
                    surgery_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_surgery_procedures", x => new { x.surgery_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_surgery_procedures_actions_proceduretype_proceduretype_id",
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
                    surgery_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
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
                name: "actions_virusinjection_procedures",
                columns: table => new
                {
                    virusinjection_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_virusinjection_procedures", x => new { x.virusinjection_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_procedures_actions_proceduretype_proceduretype_id",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_procedures_actions_virusinjection_virusinjection_id",
                        column: x => x.virusinjection_id,
                        principalTable: "actions_virusinjection",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_virusinjection_users",
                columns: table => new
                {
                    virusinjection_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_virusinjection_users", x => new { x.virusinjection_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_virusinjection_users_actions_virusinjection_virusinjection_id",
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
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    date_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    session_id = table.Column<string>(type: "TEXT", nullable: true),
                    water_administered = table.Column<double>(type: "REAL", nullable: true),
                    water_type_id = table.Column<string>(type: "TEXT", nullable: true),
                    adlib = table.Column<bool>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_wateradministration_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    reference_weight = table.Column<double>(type: "REAL", nullable: false),
                    water_type_id = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", nullable: false),
                    location_id = table.Column<string>(type: "TEXT", nullable: true),
                    lab_id = table.Column<string>(type: "TEXT", nullable: true),
                    narrative = table.Column<string>(type: "TEXT", nullable: false),
                    start_time = table.Column<DateTime>(type: "TEXT", nullable: true),
                    end_time = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_subjects_subject_subject_id",
                        column: x => x.subject_id,
                        principalTable: "subjects_subject",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction_procedures",
                columns: table => new
                {
                    waterrestriction_id = table.Column<string>(type: "TEXT", nullable: false),
                    proceduretype_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction_procedures", x => new { x.waterrestriction_id, x.proceduretype_id });
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_procedures_actions_proceduretype_proceduretype_id",
                        column: x => x.proceduretype_id,
                        principalTable: "actions_proceduretype",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_procedures_actions_waterrestriction_waterrestriction_id",
                        column: x => x.waterrestriction_id,
                        principalTable: "actions_waterrestriction",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "actions_waterrestriction_users",
                columns: table => new
                {
                    waterrestriction_id = table.Column<string>(type: "TEXT", nullable: false),
                    labmember_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_actions_waterrestriction_users", x => new { x.waterrestriction_id, x.labmember_id });
                    table.ForeignKey(
                        name: "FK_actions_waterrestriction_users_actions_waterrestriction_waterrestriction_id",
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                name: "actions_session");

            migrationBuilder.DropTable(
                name: "actions_proceduretype");

            migrationBuilder.DropTable(
                name: "actions_waterrestriction");

            migrationBuilder.DropTable(
                name: "actions_watertype");
        }
    }
}
