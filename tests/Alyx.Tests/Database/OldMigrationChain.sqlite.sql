-- Test data (MigrationsTests): the SQLite migration chain that 20261206000000_Initial replaced (20261126022755_Initial, 20261126031411_DataApp, 20261126033842_DatasetIdentity, 20261126061026_Experiments), as 'dotnet ef migrations script --context SqliteAlyxDb' printed it before those migrations were deleted (SQLite has no idempotent scripts). Not to be edited.
CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "actions_cullmethod" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_cullmethod" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "actions_cullreason" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_cullreason" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "actions_proceduretype" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_proceduretype" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "actions_watertype" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_watertype" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "data_datarepositorytype" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_datarepositorytype" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "django_content_type" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_django_content_type" PRIMARY KEY AUTOINCREMENT,
    "app_label" TEXT NOT NULL,
    "model" TEXT NOT NULL
);

CREATE TABLE "misc_cagetype" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_cagetype" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "misc_enrichment" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_enrichment" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "misc_food" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_food" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "misc_labmember" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_labmember" PRIMARY KEY,
    "password" TEXT NOT NULL,
    "last_login" TEXT NULL,
    "is_superuser" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "is_staff" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL,
    "date_joined" TEXT NOT NULL,
    "is_stock_manager" INTEGER NOT NULL,
    "is_public_user" INTEGER NOT NULL
);

CREATE TABLE "subjects_allele" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_allele" PRIMARY KEY,
    "nickname" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "subjects_project" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_project" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "subjects_sequence" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_sequence" PRIMARY KEY,
    "base_pairs" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "subjects_source" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_source" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "subjects_species" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_species" PRIMARY KEY,
    "nickname" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "subjects_strain" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_strain" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "data_datarepository" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_datarepository" PRIMARY KEY,
    "repository_type_id" TEXT NULL,
    "hostname" TEXT NOT NULL,
    "data_url" TEXT NULL,
    "timezone" TEXT NOT NULL,
    "globus_path" TEXT NOT NULL,
    "globus_endpoint_id" TEXT NULL,
    "globus_is_personal" INTEGER NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_datarepository_data_datarepositorytype_repository_type_id" FOREIGN KEY ("repository_type_id") REFERENCES "data_datarepositorytype" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_housing" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_housing" PRIMARY KEY,
    "cage_name" TEXT NOT NULL,
    "cage_type_id" TEXT NULL,
    "enrichment_id" TEXT NULL,
    "food_id" TEXT NULL,
    "cage_cleaning_frequency_days" INTEGER NULL,
    "light_cycle" INTEGER NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_housing_misc_cagetype_cage_type_id" FOREIGN KEY ("cage_type_id") REFERENCES "misc_cagetype" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_misc_housing_misc_enrichment_enrichment_id" FOREIGN KEY ("enrichment_id") REFERENCES "misc_enrichment" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_misc_housing_misc_food_food_id" FOREIGN KEY ("food_id") REFERENCES "misc_food" ("id") ON DELETE SET NULL
);

CREATE TABLE "misc_lab" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_lab" PRIMARY KEY,
    "institution" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "reference_weight_pct" REAL NOT NULL,
    "zscore_weight_pct" REAL NOT NULL,
    "cage_type_id" TEXT NULL,
    "enrichment_id" TEXT NULL,
    "food_id" TEXT NULL,
    "cage_cleaning_frequency_days" INTEGER NULL,
    "light_cycle" INTEGER NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_lab_misc_cagetype_cage_type_id" FOREIGN KEY ("cage_type_id") REFERENCES "misc_cagetype" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_misc_lab_misc_enrichment_enrichment_id" FOREIGN KEY ("enrichment_id") REFERENCES "misc_enrichment" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_misc_lab_misc_food_food_id" FOREIGN KEY ("food_id") REFERENCES "misc_food" ("id") ON DELETE SET NULL
);

CREATE TABLE "actions_notificationrule" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_notificationrule" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "notification_type" TEXT NOT NULL,
    "subjects_scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_actions_notificationrule_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "authtoken_token" (
    "key" TEXT NOT NULL CONSTRAINT "PK_authtoken_token" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "created" TEXT NOT NULL,
    CONSTRAINT "FK_authtoken_token_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_labmember_allowed_users" (
    "from_labmember_id" TEXT NOT NULL,
    "to_labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_misc_labmember_allowed_users" PRIMARY KEY ("from_labmember_id", "to_labmember_id"),
    CONSTRAINT "FK_misc_labmember_allowed_users_misc_labmember_from_labmember_id" FOREIGN KEY ("from_labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_misc_labmember_allowed_users_misc_labmember_to_labmember_id" FOREIGN KEY ("to_labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_note" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_note" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "date_time" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "image" TEXT NULL,
    "content_type_id" INTEGER NOT NULL,
    "object_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_note_django_content_type_content_type_id" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_misc_note_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_project_users" (
    "project_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_subjects_project_users" PRIMARY KEY ("project_id", "labmember_id"),
    CONSTRAINT "FK_subjects_project_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_project_users_subjects_project_project_id" FOREIGN KEY ("project_id") REFERENCES "subjects_project" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_allele_sequences" (
    "allele_id" TEXT NOT NULL,
    "sequence_id" TEXT NOT NULL,
    CONSTRAINT "PK_subjects_allele_sequences" PRIMARY KEY ("allele_id", "sequence_id"),
    CONSTRAINT "FK_subjects_allele_sequences_subjects_allele_allele_id" FOREIGN KEY ("allele_id") REFERENCES "subjects_allele" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_allele_sequences_subjects_sequence_sequence_id" FOREIGN KEY ("sequence_id") REFERENCES "subjects_sequence" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_lab_repositories" (
    "lab_id" TEXT NOT NULL,
    "datarepository_id" TEXT NOT NULL,
    CONSTRAINT "PK_misc_lab_repositories" PRIMARY KEY ("lab_id", "datarepository_id"),
    CONSTRAINT "FK_misc_lab_repositories_data_datarepository_datarepository_id" FOREIGN KEY ("datarepository_id") REFERENCES "data_datarepository" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_misc_lab_repositories_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_lablocation" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_lablocation" PRIMARY KEY,
    "lab_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_lablocation_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_labmembership" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_labmembership" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "lab_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "start_date" TEXT NULL,
    "end_date" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_labmembership_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_misc_labmembership_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_line" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_line" PRIMARY KEY,
    "nickname" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "target_phenotype" TEXT NOT NULL,
    "strain_id" TEXT NULL,
    "source_id" TEXT NULL,
    "source_identifier" TEXT NOT NULL,
    "source_url" TEXT NOT NULL,
    "expression_data_url" TEXT NOT NULL,
    "species_id" TEXT NULL,
    "subject_autoname_index" INTEGER NOT NULL,
    "breeding_pair_autoname_index" INTEGER NOT NULL,
    "litter_autoname_index" INTEGER NOT NULL,
    "is_active" INTEGER NOT NULL,
    "lab_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_line_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_line_subjects_source_source_id" FOREIGN KEY ("source_id") REFERENCES "subjects_source" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_line_subjects_species_species_id" FOREIGN KEY ("species_id") REFERENCES "subjects_species" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_line_subjects_strain_strain_id" FOREIGN KEY ("strain_id") REFERENCES "subjects_strain" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_line_alleles" (
    "line_id" TEXT NOT NULL,
    "allele_id" TEXT NOT NULL,
    CONSTRAINT "PK_subjects_line_alleles" PRIMARY KEY ("line_id", "allele_id"),
    CONSTRAINT "FK_subjects_line_alleles_subjects_allele_allele_id" FOREIGN KEY ("allele_id") REFERENCES "subjects_allele" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_line_alleles_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_subjectrequest" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_subjectrequest" PRIMARY KEY,
    "user_id" TEXT NULL,
    "line_id" TEXT NULL,
    "count" INTEGER NULL,
    "date_time" TEXT NULL,
    "due_date" TEXT NULL,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_subjectrequest_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subjectrequest_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_zygosityrule" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_zygosityrule" PRIMARY KEY,
    "line_id" TEXT NULL,
    "allele_id" TEXT NULL,
    "sequence0_id" TEXT NULL,
    "sequence0_result" INTEGER NULL,
    "sequence1_id" TEXT NULL,
    "sequence1_result" INTEGER NULL,
    "zygosity" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_zygosityrule_subjects_allele_allele_id" FOREIGN KEY ("allele_id") REFERENCES "subjects_allele" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_zygosityrule_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_zygosityrule_subjects_sequence_sequence0_id" FOREIGN KEY ("sequence0_id") REFERENCES "subjects_sequence" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_zygosityrule_subjects_sequence_sequence1_id" FOREIGN KEY ("sequence1_id") REFERENCES "subjects_sequence" ("id") ON DELETE SET NULL
);

CREATE TABLE "actions_chronicrecording" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_chronicrecording" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "FK_actions_chronicrecording_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_chronicrecording_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_chronicrecording_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_chronicrecording_procedures" (
    "chronicrecording_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_chronicrecording_procedures" PRIMARY KEY ("chronicrecording_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_chronicrecording_procedures_actions_chronicrecording_chronicrecording_id" FOREIGN KEY ("chronicrecording_id") REFERENCES "actions_chronicrecording" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_chronicrecording_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_chronicrecording_users" (
    "chronicrecording_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_chronicrecording_users" PRIMARY KEY ("chronicrecording_id", "labmember_id"),
    CONSTRAINT "FK_actions_chronicrecording_users_actions_chronicrecording_chronicrecording_id" FOREIGN KEY ("chronicrecording_id") REFERENCES "actions_chronicrecording" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_chronicrecording_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_cull" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_cull" PRIMARY KEY,
    "user_id" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "cull_reason_id" TEXT NULL,
    "cull_method_id" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_actions_cull_actions_cullmethod_cull_method_id" FOREIGN KEY ("cull_method_id") REFERENCES "actions_cullmethod" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_cull_actions_cullreason_cull_reason_id" FOREIGN KEY ("cull_reason_id") REFERENCES "actions_cullreason" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_cull_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_cull_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_notification" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_notification" PRIMARY KEY,
    "send_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "notification_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "subject_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_actions_notification_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE SET NULL
);

CREATE TABLE "actions_notification_users" (
    "notification_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_notification_users" PRIMARY KEY ("notification_id", "labmember_id"),
    CONSTRAINT "FK_actions_notification_users_actions_notification_notification_id" FOREIGN KEY ("notification_id") REFERENCES "actions_notification" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_notification_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_otheraction" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_otheraction" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "FK_actions_otheraction_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_otheraction_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_otheraction_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_otheraction_procedures" (
    "otheraction_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_otheraction_procedures" PRIMARY KEY ("otheraction_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_otheraction_procedures_actions_otheraction_otheraction_id" FOREIGN KEY ("otheraction_id") REFERENCES "actions_otheraction" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_otheraction_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_otheraction_users" (
    "otheraction_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_otheraction_users" PRIMARY KEY ("otheraction_id", "labmember_id"),
    CONSTRAINT "FK_actions_otheraction_users_actions_otheraction_otheraction_id" FOREIGN KEY ("otheraction_id") REFERENCES "actions_otheraction" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_otheraction_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_session" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_session" PRIMARY KEY,
    "parent_session_id" TEXT NULL,
    "type" TEXT NULL,
    "number" INTEGER NULL,
    "task_protocol" TEXT NOT NULL,
    "n_trials" INTEGER NULL,
    "n_correct_trials" INTEGER NULL,
    "qc" INTEGER NOT NULL,
    "extended_qc" TEXT NULL,
    "auto_datetime" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "FK_actions_session_actions_session_parent_session_id" FOREIGN KEY ("parent_session_id") REFERENCES "actions_session" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_session_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_session_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_session_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_session_procedures" (
    "session_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_session_procedures" PRIMARY KEY ("session_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_session_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_session_procedures_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_session_projects" (
    "session_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_session_projects" PRIMARY KEY ("session_id", "project_id"),
    CONSTRAINT "FK_actions_session_projects_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_session_projects_subjects_project_project_id" FOREIGN KEY ("project_id") REFERENCES "subjects_project" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_session_users" (
    "session_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_session_users" PRIMARY KEY ("session_id", "labmember_id"),
    CONSTRAINT "FK_actions_session_users_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_session_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_surgery" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_surgery" PRIMARY KEY,
    "outcome_type" TEXT NOT NULL,
    "implant_weight" REAL NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "implant_weight_gte_0" CHECK (implant_weight >= 0),
    CONSTRAINT "FK_actions_surgery_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_surgery_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_surgery_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_surgery_procedures" (
    "surgery_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_surgery_procedures" PRIMARY KEY ("surgery_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_surgery_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_surgery_procedures_actions_surgery_surgery_id" FOREIGN KEY ("surgery_id") REFERENCES "actions_surgery" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_surgery_users" (
    "surgery_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_surgery_users" PRIMARY KEY ("surgery_id", "labmember_id"),
    CONSTRAINT "FK_actions_surgery_users_actions_surgery_surgery_id" FOREIGN KEY ("surgery_id") REFERENCES "actions_surgery" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_surgery_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_virusinjection" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_virusinjection" PRIMARY KEY,
    "virus_batch" TEXT NULL,
    "injection_volume" REAL NULL,
    "rate_of_injection" REAL NULL,
    "injection_type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "FK_actions_virusinjection_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_virusinjection_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_virusinjection_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_virusinjection_procedures" (
    "virusinjection_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_virusinjection_procedures" PRIMARY KEY ("virusinjection_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_virusinjection_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_virusinjection_procedures_actions_virusinjection_virusinjection_id" FOREIGN KEY ("virusinjection_id") REFERENCES "actions_virusinjection" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_virusinjection_users" (
    "virusinjection_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_virusinjection_users" PRIMARY KEY ("virusinjection_id", "labmember_id"),
    CONSTRAINT "FK_actions_virusinjection_users_actions_virusinjection_virusinjection_id" FOREIGN KEY ("virusinjection_id") REFERENCES "actions_virusinjection" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_virusinjection_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_wateradministration" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_wateradministration" PRIMARY KEY,
    "user_id" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "date_time" TEXT NULL,
    "session_id" TEXT NULL,
    "water_administered" REAL NULL,
    "water_type_id" TEXT NULL,
    "adlib" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_actions_wateradministration_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_wateradministration_actions_watertype_water_type_id" FOREIGN KEY ("water_type_id") REFERENCES "actions_watertype" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_wateradministration_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_wateradministration_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_waterrestriction" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_waterrestriction" PRIMARY KEY,
    "reference_weight" REAL NOT NULL,
    "water_type_id" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "location_id" TEXT NULL,
    "lab_id" TEXT NULL,
    "narrative" TEXT NOT NULL,
    "start_time" TEXT NULL,
    "end_time" TEXT NULL,
    CONSTRAINT "FK_actions_waterrestriction_actions_watertype_water_type_id" FOREIGN KEY ("water_type_id") REFERENCES "actions_watertype" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_waterrestriction_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_waterrestriction_misc_lablocation_location_id" FOREIGN KEY ("location_id") REFERENCES "misc_lablocation" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_waterrestriction_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_waterrestriction_procedures" (
    "waterrestriction_id" TEXT NOT NULL,
    "proceduretype_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_waterrestriction_procedures" PRIMARY KEY ("waterrestriction_id", "proceduretype_id"),
    CONSTRAINT "FK_actions_waterrestriction_procedures_actions_proceduretype_proceduretype_id" FOREIGN KEY ("proceduretype_id") REFERENCES "actions_proceduretype" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_waterrestriction_procedures_actions_waterrestriction_waterrestriction_id" FOREIGN KEY ("waterrestriction_id") REFERENCES "actions_waterrestriction" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_waterrestriction_users" (
    "waterrestriction_id" TEXT NOT NULL,
    "labmember_id" TEXT NOT NULL,
    CONSTRAINT "PK_actions_waterrestriction_users" PRIMARY KEY ("waterrestriction_id", "labmember_id"),
    CONSTRAINT "FK_actions_waterrestriction_users_actions_waterrestriction_waterrestriction_id" FOREIGN KEY ("waterrestriction_id") REFERENCES "actions_waterrestriction" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_actions_waterrestriction_users_misc_labmember_labmember_id" FOREIGN KEY ("labmember_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "actions_weighing" (
    "id" TEXT NOT NULL CONSTRAINT "PK_actions_weighing" PRIMARY KEY,
    "user_id" TEXT NULL,
    "subject_id" TEXT NOT NULL,
    "date_time" TEXT NULL,
    "weight" REAL NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_actions_weighing_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_actions_weighing_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "misc_housingsubject" (
    "id" TEXT NOT NULL CONSTRAINT "PK_misc_housingsubject" PRIMARY KEY,
    "subject_id" TEXT NULL,
    "housing_id" TEXT NULL,
    "start_datetime" TEXT NOT NULL,
    "end_datetime" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_misc_housingsubject_misc_housing_housing_id" FOREIGN KEY ("housing_id") REFERENCES "misc_housing" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_misc_housingsubject_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_breedingpair" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_breedingpair" PRIMARY KEY,
    "line_id" TEXT NULL,
    "start_date" TEXT NULL,
    "end_date" TEXT NULL,
    "father_id" TEXT NULL,
    "mother1_id" TEXT NULL,
    "mother2_id" TEXT NULL,
    "description" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_breedingpair_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_breedingpair_subjects_subject_father_id" FOREIGN KEY ("father_id") REFERENCES "subjects_subject" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_breedingpair_subjects_subject_mother1_id" FOREIGN KEY ("mother1_id") REFERENCES "subjects_subject" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_breedingpair_subjects_subject_mother2_id" FOREIGN KEY ("mother2_id") REFERENCES "subjects_subject" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_litter" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_litter" PRIMARY KEY,
    "line_id" TEXT NULL,
    "breeding_pair_id" TEXT NULL,
    "description" TEXT NOT NULL,
    "birth_date" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_litter_subjects_breedingpair_breeding_pair_id" FOREIGN KEY ("breeding_pair_id") REFERENCES "subjects_breedingpair" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_litter_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_subject" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_subject" PRIMARY KEY,
    "nickname" TEXT NOT NULL,
    "species_id" TEXT NULL,
    "litter_id" TEXT NULL,
    "sex" TEXT NOT NULL,
    "strain_id" TEXT NULL,
    "source_id" TEXT NULL,
    "line_id" TEXT NULL,
    "birth_date" TEXT NULL,
    "death_date" TEXT NULL,
    "wean_date" TEXT NULL,
    "genotype_date" TEXT NULL,
    "responsible_user_id" TEXT NULL,
    "lab_id" TEXT NOT NULL,
    "cage" TEXT NULL,
    "request_id" TEXT NULL,
    "ear_mark" TEXT NOT NULL,
    "protocol_number" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "adverse_effects" TEXT NOT NULL,
    "actual_severity" INTEGER NULL,
    "to_be_genotyped" INTEGER NOT NULL,
    "to_be_culled" INTEGER NOT NULL,
    "reduced_date" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_subject_misc_lab_lab_id" FOREIGN KEY ("lab_id") REFERENCES "misc_lab" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_subject_misc_labmember_responsible_user_id" FOREIGN KEY ("responsible_user_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_line_line_id" FOREIGN KEY ("line_id") REFERENCES "subjects_line" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_litter_litter_id" FOREIGN KEY ("litter_id") REFERENCES "subjects_litter" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_source_source_id" FOREIGN KEY ("source_id") REFERENCES "subjects_source" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_species_species_id" FOREIGN KEY ("species_id") REFERENCES "subjects_species" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_strain_strain_id" FOREIGN KEY ("strain_id") REFERENCES "subjects_strain" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_subjects_subject_subjects_subjectrequest_request_id" FOREIGN KEY ("request_id") REFERENCES "subjects_subjectrequest" ("id") ON DELETE SET NULL
);

CREATE TABLE "subjects_genotypetest" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_genotypetest" PRIMARY KEY,
    "subject_id" TEXT NOT NULL,
    "sequence_id" TEXT NOT NULL,
    "test_result" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_genotypetest_subjects_sequence_sequence_id" FOREIGN KEY ("sequence_id") REFERENCES "subjects_sequence" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_genotypetest_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_subject_projects" (
    "subject_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    CONSTRAINT "PK_subjects_subject_projects" PRIMARY KEY ("subject_id", "project_id"),
    CONSTRAINT "FK_subjects_subject_projects_subjects_project_project_id" FOREIGN KEY ("project_id") REFERENCES "subjects_project" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_subject_projects_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE TABLE "subjects_zygosity" (
    "id" TEXT NOT NULL CONSTRAINT "PK_subjects_zygosity" PRIMARY KEY,
    "subject_id" TEXT NOT NULL,
    "allele_id" TEXT NOT NULL,
    "zygosity" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_subjects_zygosity_subjects_allele_allele_id" FOREIGN KEY ("allele_id") REFERENCES "subjects_allele" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_subjects_zygosity_subjects_subject_subject_id" FOREIGN KEY ("subject_id") REFERENCES "subjects_subject" ("id") ON DELETE CASCADE
);

CREATE INDEX "IX_actions_chronicrecording_lab_id" ON "actions_chronicrecording" ("lab_id");

CREATE INDEX "IX_actions_chronicrecording_location_id" ON "actions_chronicrecording" ("location_id");

CREATE INDEX "IX_actions_chronicrecording_start_time" ON "actions_chronicrecording" ("start_time");

CREATE INDEX "IX_actions_chronicrecording_subject_id" ON "actions_chronicrecording" ("subject_id");

CREATE INDEX "IX_actions_chronicrecording_procedures_proceduretype_id" ON "actions_chronicrecording_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_chronicrecording_users_labmember_id" ON "actions_chronicrecording_users" ("labmember_id");

CREATE INDEX "IX_actions_cull_cull_method_id" ON "actions_cull" ("cull_method_id");

CREATE INDEX "IX_actions_cull_cull_reason_id" ON "actions_cull" ("cull_reason_id");

CREATE UNIQUE INDEX "IX_actions_cull_subject_id" ON "actions_cull" ("subject_id");

CREATE INDEX "IX_actions_cull_user_id" ON "actions_cull" ("user_id");

CREATE INDEX "IX_actions_notification_subject_id" ON "actions_notification" ("subject_id");

CREATE INDEX "IX_actions_notification_users_labmember_id" ON "actions_notification_users" ("labmember_id");

CREATE UNIQUE INDEX "IX_actions_notificationrule_user_id_notification_type" ON "actions_notificationrule" ("user_id", "notification_type");

CREATE INDEX "IX_actions_otheraction_lab_id" ON "actions_otheraction" ("lab_id");

CREATE INDEX "IX_actions_otheraction_location_id" ON "actions_otheraction" ("location_id");

CREATE INDEX "IX_actions_otheraction_start_time" ON "actions_otheraction" ("start_time");

CREATE INDEX "IX_actions_otheraction_subject_id" ON "actions_otheraction" ("subject_id");

CREATE INDEX "IX_actions_otheraction_procedures_proceduretype_id" ON "actions_otheraction_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_otheraction_users_labmember_id" ON "actions_otheraction_users" ("labmember_id");

CREATE INDEX "IX_actions_session_lab_id" ON "actions_session" ("lab_id");

CREATE INDEX "IX_actions_session_location_id" ON "actions_session" ("location_id");

CREATE INDEX "IX_actions_session_parent_session_id" ON "actions_session" ("parent_session_id");

CREATE INDEX "IX_actions_session_start_time" ON "actions_session" ("start_time");

CREATE INDEX "IX_actions_session_subject_id_start_time" ON "actions_session" ("subject_id", "start_time");

CREATE INDEX "IX_actions_session_task_protocol" ON "actions_session" ("task_protocol");

CREATE INDEX "IX_actions_session_procedures_proceduretype_id" ON "actions_session_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_session_projects_project_id" ON "actions_session_projects" ("project_id");

CREATE INDEX "IX_actions_session_users_labmember_id" ON "actions_session_users" ("labmember_id");

CREATE INDEX "IX_actions_surgery_lab_id" ON "actions_surgery" ("lab_id");

CREATE INDEX "IX_actions_surgery_location_id" ON "actions_surgery" ("location_id");

CREATE INDEX "IX_actions_surgery_start_time" ON "actions_surgery" ("start_time");

CREATE INDEX "IX_actions_surgery_subject_id" ON "actions_surgery" ("subject_id");

CREATE INDEX "IX_actions_surgery_procedures_proceduretype_id" ON "actions_surgery_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_surgery_users_labmember_id" ON "actions_surgery_users" ("labmember_id");

CREATE INDEX "IX_actions_virusinjection_lab_id" ON "actions_virusinjection" ("lab_id");

CREATE INDEX "IX_actions_virusinjection_location_id" ON "actions_virusinjection" ("location_id");

CREATE INDEX "IX_actions_virusinjection_start_time" ON "actions_virusinjection" ("start_time");

CREATE INDEX "IX_actions_virusinjection_subject_id" ON "actions_virusinjection" ("subject_id");

CREATE INDEX "IX_actions_virusinjection_procedures_proceduretype_id" ON "actions_virusinjection_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_virusinjection_users_labmember_id" ON "actions_virusinjection_users" ("labmember_id");

CREATE INDEX "IX_actions_wateradministration_session_id" ON "actions_wateradministration" ("session_id");

CREATE INDEX "IX_actions_wateradministration_subject_id_date_time" ON "actions_wateradministration" ("subject_id", "date_time");

CREATE INDEX "IX_actions_wateradministration_user_id" ON "actions_wateradministration" ("user_id");

CREATE INDEX "IX_actions_wateradministration_water_type_id" ON "actions_wateradministration" ("water_type_id");

CREATE INDEX "IX_actions_waterrestriction_lab_id" ON "actions_waterrestriction" ("lab_id");

CREATE INDEX "IX_actions_waterrestriction_location_id" ON "actions_waterrestriction" ("location_id");

CREATE INDEX "IX_actions_waterrestriction_start_time" ON "actions_waterrestriction" ("start_time");

CREATE INDEX "IX_actions_waterrestriction_subject_id_end_time" ON "actions_waterrestriction" ("subject_id", "end_time");

CREATE INDEX "IX_actions_waterrestriction_water_type_id" ON "actions_waterrestriction" ("water_type_id");

CREATE INDEX "IX_actions_waterrestriction_procedures_proceduretype_id" ON "actions_waterrestriction_procedures" ("proceduretype_id");

CREATE INDEX "IX_actions_waterrestriction_users_labmember_id" ON "actions_waterrestriction_users" ("labmember_id");

CREATE UNIQUE INDEX "IX_actions_watertype_name" ON "actions_watertype" ("name");

CREATE INDEX "IX_actions_weighing_subject_id_date_time" ON "actions_weighing" ("subject_id", "date_time");

CREATE INDEX "IX_actions_weighing_user_id" ON "actions_weighing" ("user_id");

CREATE UNIQUE INDEX "IX_authtoken_token_user_id" ON "authtoken_token" ("user_id");

CREATE UNIQUE INDEX "IX_data_datarepository_name" ON "data_datarepository" ("name");

CREATE INDEX "IX_data_datarepository_repository_type_id" ON "data_datarepository" ("repository_type_id");

CREATE UNIQUE INDEX "IX_data_datarepositorytype_name" ON "data_datarepositorytype" ("name");

CREATE UNIQUE INDEX "IX_django_content_type_app_label_model" ON "django_content_type" ("app_label", "model");

CREATE UNIQUE INDEX "IX_misc_enrichment_name" ON "misc_enrichment" ("name");

CREATE UNIQUE INDEX "IX_misc_food_name" ON "misc_food" ("name");

CREATE INDEX "IX_misc_housing_cage_type_id" ON "misc_housing" ("cage_type_id");

CREATE INDEX "IX_misc_housing_enrichment_id" ON "misc_housing" ("enrichment_id");

CREATE INDEX "IX_misc_housing_food_id" ON "misc_housing" ("food_id");

CREATE INDEX "IX_misc_housingsubject_housing_id" ON "misc_housingsubject" ("housing_id");

CREATE INDEX "IX_misc_housingsubject_subject_id_end_datetime" ON "misc_housingsubject" ("subject_id", "end_datetime");

CREATE INDEX "IX_misc_lab_cage_type_id" ON "misc_lab" ("cage_type_id");

CREATE INDEX "IX_misc_lab_enrichment_id" ON "misc_lab" ("enrichment_id");

CREATE INDEX "IX_misc_lab_food_id" ON "misc_lab" ("food_id");

CREATE UNIQUE INDEX "IX_misc_lab_name" ON "misc_lab" ("name");

CREATE INDEX "IX_misc_lab_repositories_datarepository_id" ON "misc_lab_repositories" ("datarepository_id");

CREATE INDEX "IX_misc_lablocation_lab_id" ON "misc_lablocation" ("lab_id");

CREATE INDEX "IX_misc_lablocation_name" ON "misc_lablocation" ("name");

CREATE UNIQUE INDEX "IX_misc_labmember_username" ON "misc_labmember" ("username");

CREATE INDEX "IX_misc_labmember_allowed_users_to_labmember_id" ON "misc_labmember_allowed_users" ("to_labmember_id");

CREATE INDEX "IX_misc_labmembership_lab_id" ON "misc_labmembership" ("lab_id");

CREATE INDEX "IX_misc_labmembership_user_id" ON "misc_labmembership" ("user_id");

CREATE INDEX "IX_misc_note_content_type_id" ON "misc_note" ("content_type_id");

CREATE INDEX "IX_misc_note_date_time_id" ON "misc_note" ("date_time", "id");

CREATE INDEX "IX_misc_note_object_id" ON "misc_note" ("object_id");

CREATE INDEX "IX_misc_note_user_id" ON "misc_note" ("user_id");

CREATE UNIQUE INDEX "IX_subjects_allele_nickname" ON "subjects_allele" ("nickname");

CREATE INDEX "IX_subjects_allele_sequences_sequence_id" ON "subjects_allele_sequences" ("sequence_id");

CREATE INDEX "IX_subjects_breedingpair_father_id" ON "subjects_breedingpair" ("father_id");

CREATE INDEX "IX_subjects_breedingpair_line_id" ON "subjects_breedingpair" ("line_id");

CREATE INDEX "IX_subjects_breedingpair_mother1_id" ON "subjects_breedingpair" ("mother1_id");

CREATE INDEX "IX_subjects_breedingpair_mother2_id" ON "subjects_breedingpair" ("mother2_id");

CREATE INDEX "IX_subjects_breedingpair_name" ON "subjects_breedingpair" ("name");

CREATE INDEX "IX_subjects_genotypetest_sequence_id" ON "subjects_genotypetest" ("sequence_id");

CREATE INDEX "IX_subjects_genotypetest_subject_id" ON "subjects_genotypetest" ("subject_id");

CREATE INDEX "IX_subjects_line_lab_id" ON "subjects_line" ("lab_id");

CREATE INDEX "IX_subjects_line_name" ON "subjects_line" ("name");

CREATE UNIQUE INDEX "IX_subjects_line_nickname" ON "subjects_line" ("nickname");

CREATE UNIQUE INDEX "IX_subjects_line_nickname_lab_id" ON "subjects_line" ("nickname", "lab_id");

CREATE INDEX "IX_subjects_line_source_id" ON "subjects_line" ("source_id");

CREATE INDEX "IX_subjects_line_species_id" ON "subjects_line" ("species_id");

CREATE INDEX "IX_subjects_line_strain_id" ON "subjects_line" ("strain_id");

CREATE INDEX "IX_subjects_line_alleles_allele_id" ON "subjects_line_alleles" ("allele_id");

CREATE INDEX "IX_subjects_litter_breeding_pair_id" ON "subjects_litter" ("breeding_pair_id");

CREATE INDEX "IX_subjects_litter_line_id" ON "subjects_litter" ("line_id");

CREATE UNIQUE INDEX "IX_subjects_litter_name" ON "subjects_litter" ("name");

CREATE UNIQUE INDEX "IX_subjects_project_name" ON "subjects_project" ("name");

CREATE INDEX "IX_subjects_project_users_labmember_id" ON "subjects_project_users" ("labmember_id");

CREATE UNIQUE INDEX "IX_subjects_sequence_name" ON "subjects_sequence" ("name");

CREATE UNIQUE INDEX "IX_subjects_species_nickname" ON "subjects_species" ("nickname");

CREATE INDEX "IX_subjects_strain_name" ON "subjects_strain" ("name");

CREATE INDEX "IX_subjects_subject_birth_date" ON "subjects_subject" ("birth_date");

CREATE INDEX "IX_subjects_subject_death_date" ON "subjects_subject" ("death_date");

CREATE INDEX "IX_subjects_subject_lab_id" ON "subjects_subject" ("lab_id");

CREATE INDEX "IX_subjects_subject_line_id" ON "subjects_subject" ("line_id");

CREATE INDEX "IX_subjects_subject_litter_id" ON "subjects_subject" ("litter_id");

CREATE INDEX "IX_subjects_subject_nickname_birth_date" ON "subjects_subject" ("nickname", "birth_date");

CREATE UNIQUE INDEX "IX_subjects_subject_nickname_lab_id" ON "subjects_subject" ("nickname", "lab_id");

CREATE UNIQUE INDEX "IX_subjects_subject_nickname_responsible_user_id" ON "subjects_subject" ("nickname", "responsible_user_id");

CREATE INDEX "IX_subjects_subject_request_id" ON "subjects_subject" ("request_id");

CREATE INDEX "IX_subjects_subject_responsible_user_id" ON "subjects_subject" ("responsible_user_id");

CREATE INDEX "IX_subjects_subject_source_id" ON "subjects_subject" ("source_id");

CREATE INDEX "IX_subjects_subject_species_id" ON "subjects_subject" ("species_id");

CREATE INDEX "IX_subjects_subject_strain_id" ON "subjects_subject" ("strain_id");

CREATE INDEX "IX_subjects_subject_projects_project_id" ON "subjects_subject_projects" ("project_id");

CREATE INDEX "IX_subjects_subjectrequest_date_time" ON "subjects_subjectrequest" ("date_time");

CREATE INDEX "IX_subjects_subjectrequest_line_id" ON "subjects_subjectrequest" ("line_id");

CREATE INDEX "IX_subjects_subjectrequest_user_id" ON "subjects_subjectrequest" ("user_id");

CREATE INDEX "IX_subjects_zygosity_allele_id" ON "subjects_zygosity" ("allele_id");

CREATE INDEX "IX_subjects_zygosity_subject_id" ON "subjects_zygosity" ("subject_id");

CREATE INDEX "IX_subjects_zygosityrule_allele_id" ON "subjects_zygosityrule" ("allele_id");

CREATE UNIQUE INDEX "IX_subjects_zygosityrule_line_id_allele_id_sequence0_id_sequence0_result_sequence1_id_sequence1_result" ON "subjects_zygosityrule" ("line_id", "allele_id", "sequence0_id", "sequence0_result", "sequence1_id", "sequence1_result");

CREATE INDEX "IX_subjects_zygosityrule_sequence0_id" ON "subjects_zygosityrule" ("sequence0_id");

CREATE INDEX "IX_subjects_zygosityrule_sequence1_id" ON "subjects_zygosityrule" ("sequence1_id");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126022755_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "data_dataformat" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_dataformat" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "file_extension" TEXT NOT NULL,
    "matlab_loader_function" TEXT NOT NULL,
    "python_loader_function" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "data_datanotice" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_datanotice" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "importance" INTEGER NOT NULL,
    "created_by_id" TEXT NULL,
    "created_datetime" TEXT NOT NULL,
    "version_affected" TEXT NOT NULL,
    "affected_date_start" TEXT NULL,
    "affected_date_end" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_datanotice_misc_labmember_created_by_id" FOREIGN KEY ("created_by_id") REFERENCES "misc_labmember" ("id") ON DELETE SET NULL
);

CREATE TABLE "data_datasettype" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_datasettype" PRIMARY KEY,
    "created_by_id" TEXT NULL,
    "description" TEXT NOT NULL,
    "filename_pattern" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_datasettype_misc_labmember_created_by_id" FOREIGN KEY ("created_by_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_revision" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_revision" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "created_datetime" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "data_tag" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_tag" PRIMARY KEY,
    "description" TEXT NOT NULL,
    "protected" INTEGER NOT NULL,
    "public" INTEGER NOT NULL,
    "hash" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "data_dataset" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_dataset" PRIMARY KEY,
    "session_id" TEXT NULL,
    "created_by_id" TEXT NULL,
    "created_datetime" TEXT NULL,
    "generating_software" TEXT NOT NULL,
    "provenance_directory_id" TEXT NULL,
    "content_type_id" INTEGER NULL,
    "object_id" TEXT NULL,
    "file_size" INTEGER NULL,
    "md5" TEXT NULL,
    "hash" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "collection" TEXT NOT NULL,
    "dataset_type_id" TEXT NOT NULL,
    "data_format_id" TEXT NOT NULL,
    "revision_id" TEXT NULL,
    "auto_datetime" TEXT NULL,
    "default_dataset" INTEGER NOT NULL,
    "qc" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_dataset_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_dataset_data_dataformat_data_format_id" FOREIGN KEY ("data_format_id") REFERENCES "data_dataformat" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_data_dataset_data_dataset_provenance_directory_id" FOREIGN KEY ("provenance_directory_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_dataset_data_datasettype_dataset_type_id" FOREIGN KEY ("dataset_type_id") REFERENCES "data_datasettype" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_data_dataset_data_revision_revision_id" FOREIGN KEY ("revision_id") REFERENCES "data_revision" ("id") ON DELETE SET NULL,
    CONSTRAINT "FK_data_dataset_django_content_type_content_type_id" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_dataset_misc_labmember_created_by_id" FOREIGN KEY ("created_by_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_datanotice_datasets" (
    "datanotice_id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    CONSTRAINT "PK_data_datanotice_datasets" PRIMARY KEY ("datanotice_id", "dataset_id"),
    CONSTRAINT "FK_data_datanotice_datasets_data_datanotice_datanotice_id" FOREIGN KEY ("datanotice_id") REFERENCES "data_datanotice" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_datanotice_datasets_data_dataset_dataset_id" FOREIGN KEY ("dataset_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_dataset_tags" (
    "dataset_id" TEXT NOT NULL,
    "tag_id" TEXT NOT NULL,
    CONSTRAINT "PK_data_dataset_tags" PRIMARY KEY ("dataset_id", "tag_id"),
    CONSTRAINT "FK_data_dataset_tags_data_dataset_dataset_id" FOREIGN KEY ("dataset_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_dataset_tags_data_tag_tag_id" FOREIGN KEY ("tag_id") REFERENCES "data_tag" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_download" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_download" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    "first_download" TEXT NOT NULL,
    "last_download" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_download_data_dataset_dataset_id" FOREIGN KEY ("dataset_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_download_misc_labmember_user_id" FOREIGN KEY ("user_id") REFERENCES "misc_labmember" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_filerecord" (
    "id" TEXT NOT NULL CONSTRAINT "PK_data_filerecord" PRIMARY KEY,
    "dataset_id" TEXT NOT NULL,
    "data_repository_id" TEXT NOT NULL,
    "relative_path" TEXT NOT NULL,
    "exists" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_data_filerecord_data_datarepository_data_repository_id" FOREIGN KEY ("data_repository_id") REFERENCES "data_datarepository" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_filerecord_data_dataset_dataset_id" FOREIGN KEY ("dataset_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE
);

CREATE TABLE "data_download_projects" (
    "download_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    CONSTRAINT "PK_data_download_projects" PRIMARY KEY ("download_id", "project_id"),
    CONSTRAINT "FK_data_download_projects_data_download_download_id" FOREIGN KEY ("download_id") REFERENCES "data_download" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_data_download_projects_subjects_project_project_id" FOREIGN KEY ("project_id") REFERENCES "subjects_project" ("id") ON DELETE CASCADE
);

CREATE INDEX "IX_data_dataformat_file_extension" ON "data_dataformat" ("file_extension");

CREATE UNIQUE INDEX "IX_data_dataformat_name" ON "data_dataformat" ("name");

CREATE INDEX "IX_data_datanotice_affected_date_end" ON "data_datanotice" ("affected_date_end");

CREATE INDEX "IX_data_datanotice_affected_date_start" ON "data_datanotice" ("affected_date_start");

CREATE INDEX "IX_data_datanotice_created_by_id" ON "data_datanotice" ("created_by_id");

CREATE INDEX "IX_data_datanotice_importance_created_datetime_name" ON "data_datanotice" ("importance", "created_datetime", "name");

CREATE INDEX "IX_data_datanotice_version_affected" ON "data_datanotice" ("version_affected");

CREATE INDEX "IX_data_datanotice_datasets_dataset_id" ON "data_datanotice_datasets" ("dataset_id");

CREATE INDEX "IX_data_dataset_auto_datetime" ON "data_dataset" ("auto_datetime");

CREATE INDEX "IX_data_dataset_collection" ON "data_dataset" ("collection");

CREATE INDEX "IX_data_dataset_content_type_id" ON "data_dataset" ("content_type_id");

CREATE INDEX "IX_data_dataset_created_by_id" ON "data_dataset" ("created_by_id");

CREATE INDEX "IX_data_dataset_created_datetime_id" ON "data_dataset" ("created_datetime", "id");

CREATE INDEX "IX_data_dataset_data_format_id" ON "data_dataset" ("data_format_id");

CREATE INDEX "IX_data_dataset_dataset_type_id" ON "data_dataset" ("dataset_type_id");

CREATE INDEX "IX_data_dataset_hash" ON "data_dataset" ("hash");

CREATE INDEX "IX_data_dataset_name" ON "data_dataset" ("name");

CREATE INDEX "IX_data_dataset_object_id" ON "data_dataset" ("object_id");

CREATE INDEX "IX_data_dataset_provenance_directory_id" ON "data_dataset" ("provenance_directory_id");

CREATE INDEX "IX_data_dataset_qc" ON "data_dataset" ("qc");

CREATE INDEX "IX_data_dataset_revision_id" ON "data_dataset" ("revision_id");

CREATE INDEX "IX_data_dataset_session_id_collection_name" ON "data_dataset" ("session_id", "collection", "name");

CREATE INDEX "IX_data_dataset_tags_tag_id" ON "data_dataset_tags" ("tag_id");

CREATE INDEX "IX_data_datasettype_created_by_id" ON "data_datasettype" ("created_by_id");

CREATE UNIQUE INDEX "IX_data_datasettype_filename_pattern" ON "data_datasettype" ("filename_pattern");

CREATE UNIQUE INDEX "IX_data_datasettype_name" ON "data_datasettype" ("name");

CREATE INDEX "IX_data_download_count" ON "data_download" ("count");

CREATE INDEX "IX_data_download_dataset_id" ON "data_download" ("dataset_id");

CREATE UNIQUE INDEX "IX_data_download_user_id_dataset_id" ON "data_download" ("user_id", "dataset_id");

CREATE INDEX "IX_data_download_projects_project_id" ON "data_download_projects" ("project_id");

CREATE UNIQUE INDEX "IX_data_filerecord_data_repository_id_relative_path" ON "data_filerecord" ("data_repository_id", "relative_path");

CREATE INDEX "IX_data_filerecord_dataset_id" ON "data_filerecord" ("dataset_id");

CREATE INDEX "IX_data_filerecord_exists" ON "data_filerecord" ("exists");

CREATE INDEX "IX_data_filerecord_relative_path" ON "data_filerecord" ("relative_path");

CREATE INDEX "IX_data_revision_created_datetime" ON "data_revision" ("created_datetime");

CREATE UNIQUE INDEX "IX_data_revision_name" ON "data_revision" ("name");

CREATE UNIQUE INDEX "IX_data_tag_name" ON "data_tag" ("name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126031411_DataApp', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "data_dataset" ADD "identity_key" AS (coalesce(session_id, '') || ' ' || coalesce(content_type_id, '') || ' ' || coalesce(object_id, '') || ' ' || coalesce(revision_id, ''));

CREATE UNIQUE INDEX "data_dataset_identity_uniq" ON "data_dataset" ("identity_key", "collection", "name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126033842_DatasetIdentity', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "experiments_probemodel" (
    "id" TEXT NOT NULL CONSTRAINT "PK_experiments_probemodel" PRIMARY KEY,
    "probe_manufacturer" TEXT NOT NULL,
    "probe_model" TEXT NOT NULL,
    "description" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL
);

CREATE TABLE "experiments_probeinsertion" (
    "id" TEXT NOT NULL CONSTRAINT "PK_experiments_probeinsertion" PRIMARY KEY,
    "session_id" TEXT NULL,
    "model_id" TEXT NULL,
    "serial" TEXT NOT NULL,
    "auto_datetime" TEXT NULL,
    "name" TEXT NOT NULL,
    "json" TEXT NULL,
    CONSTRAINT "FK_experiments_probeinsertion_actions_session_session_id" FOREIGN KEY ("session_id") REFERENCES "actions_session" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_experiments_probeinsertion_experiments_probemodel_model_id" FOREIGN KEY ("model_id") REFERENCES "experiments_probemodel" ("id") ON DELETE SET NULL
);

CREATE TABLE "experiments_probeinsertion_datasets" (
    "probeinsertion_id" TEXT NOT NULL,
    "dataset_id" TEXT NOT NULL,
    CONSTRAINT "PK_experiments_probeinsertion_datasets" PRIMARY KEY ("probeinsertion_id", "dataset_id"),
    CONSTRAINT "FK_experiments_probeinsertion_datasets_data_dataset_dataset_id" FOREIGN KEY ("dataset_id") REFERENCES "data_dataset" ("id") ON DELETE CASCADE,
    CONSTRAINT "FK_experiments_probeinsertion_datasets_experiments_probeinsertion_probeinsertion_id" FOREIGN KEY ("probeinsertion_id") REFERENCES "experiments_probeinsertion" ("id") ON DELETE CASCADE
);

CREATE INDEX "IX_experiments_probeinsertion_model_id" ON "experiments_probeinsertion" ("model_id");

CREATE INDEX "IX_experiments_probeinsertion_session_id" ON "experiments_probeinsertion" ("session_id");

CREATE UNIQUE INDEX "unique_probe_insertion_name_per_session" ON "experiments_probeinsertion" ("name", "session_id");

CREATE INDEX "IX_experiments_probeinsertion_datasets_dataset_id" ON "experiments_probeinsertion_datasets" ("dataset_id");

CREATE UNIQUE INDEX "IX_experiments_probemodel_probe_model" ON "experiments_probemodel" ("probe_model");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126061026_Experiments', '10.0.15');

COMMIT;

