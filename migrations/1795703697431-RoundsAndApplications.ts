import { MigrationInterface, QueryRunner } from 'typeorm';

export class RoundsAndApplications1795703697431 implements MigrationInterface {
  name = 'RoundsAndApplications1795703697431';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "assessment_criterion" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "name" text NOT NULL,
                "guidance" text NOT NULL DEFAULT '',
                "weight" integer NOT NULL,
                "scale_min" integer NOT NULL DEFAULT '0',
                "scale_max" integer NOT NULL DEFAULT '5',
                CONSTRAINT "CHK_assessment_criterion_scale" CHECK (
                    "scale_max" > "scale_min"
                    AND "scale_min" >= 0
                    AND "weight" > 0
                ),
                CONSTRAINT "PK_011a9eb8eb09755aee0a9deceb3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "ring_fence" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "name" text NOT NULL,
                "amount_pence" bigint NOT NULL,
                "category" text NOT NULL,
                CONSTRAINT "UQ_ring_fence_round_category" UNIQUE ("round_id", "category"),
                CONSTRAINT "CHK_ring_fence_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "PK_a8b05d32a5130132a75642afab3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "funding_round" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "programme_id" uuid NOT NULL,
                "name" text NOT NULL,
                "reference_prefix" text NOT NULL,
                "summary" text NOT NULL,
                "guidance" text NOT NULL DEFAULT '',
                "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "total_budget_pence" bigint NOT NULL,
                "min_grant_pence" bigint NOT NULL,
                "max_grant_pence" bigint NOT NULL,
                "eligible_org_types" text array NOT NULL DEFAULT '{}',
                "eligible_areas" text array NOT NULL DEFAULT '{}',
                "categories" jsonb NOT NULL DEFAULT '[]',
                "form" jsonb NOT NULL,
                "assessors_per_application" integer NOT NULL DEFAULT '2',
                "moderation_threshold" integer NOT NULL DEFAULT '10',
                "reminder_hours_before" integer NOT NULL DEFAULT '48',
                "state" text NOT NULL DEFAULT 'draft',
                "published_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_f4921f2c2ded7b2eae37b7c9e3f" UNIQUE ("name"),
                CONSTRAINT "UQ_e558bfed445fdc44df7118c5bc5" UNIQUE ("reference_prefix"),
                CONSTRAINT "CHK_funding_round_assessors" CHECK (
                    "assessors_per_application" BETWEEN 1 AND 5
                ),
                CONSTRAINT "CHK_funding_round_budget" CHECK (
                    "total_budget_pence" > 0
                    AND "min_grant_pence" >= 0
                    AND "max_grant_pence" >= "min_grant_pence"
                    AND "max_grant_pence" <= "total_budget_pence"
                ),
                CONSTRAINT "CHK_funding_round_dates" CHECK ("closes_at" > "opens_at"),
                CONSTRAINT "CHK_funding_round_state" CHECK ("state" IN ('draft', 'published')),
                CONSTRAINT "PK_a5db54d291c8a60a8c6670662fe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "application" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "created_by" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'draft',
                "reference" text,
                "reference_seq" integer,
                "answers" jsonb NOT NULL DEFAULT '{}',
                "amount_requested_pence" bigint,
                "category" text,
                "duplicate_flags" jsonb NOT NULL DEFAULT '[]',
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                "screening_reason" text,
                "screened_by" uuid,
                "screened_at" TIMESTAMP WITH TIME ZONE,
                "reminder_sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_17ec202c0fea5a6d1e645073435" UNIQUE ("reference"),
                CONSTRAINT "CHK_application_screening" CHECK (
                    "status" <> 'ineligible'
                    OR "screening_reason" IS NOT NULL
                ),
                CONSTRAINT "CHK_application_reference" CHECK (("reference" IS NULL) = ("submitted_at" IS NULL)),
                CONSTRAINT "CHK_application_status" CHECK (
                    "status" IN (
                        'draft',
                        'submitted',
                        'withdrawn',
                        'eligible',
                        'ineligible'
                    )
                ),
                CONSTRAINT "PK_569e0c3e863ebdf5f2408ee1670" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "application_round_status_idx" ON "application" ("round_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_application_round_reference_seq" ON "application" ("round_id", "reference_seq")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_application_round_organisation_live" ON "application" ("round_id", "organisation_id")
            WHERE "status" <> 'withdrawn'
        `);
    await queryRunner.query(`
            CREATE TABLE "application_attachment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "question_id" text NOT NULL,
                "filename" text NOT NULL,
                "content_type" text NOT NULL,
                "size_bytes" integer NOT NULL,
                "sha256" text NOT NULL,
                "data" bytea NOT NULL,
                "uploaded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_application_attachment_type" CHECK (
                    "content_type" IN (
                        'application/pdf',
                        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                        'image/png',
                        'image/jpeg'
                    )
                ),
                CONSTRAINT "CHK_application_attachment_size" CHECK (
                    "size_bytes" > 0
                    AND "size_bytes" <= 10485760
                ),
                CONSTRAINT "PK_81f963232d2fbde489f4af06baf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "application_attachment_application_idx" ON "application_attachment" ("application_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "application_snapshot" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "answers" jsonb NOT NULL,
                "form" jsonb NOT NULL,
                "sha256" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_c406521ebcb37698c4313e4f5f1" UNIQUE ("application_id"),
                CONSTRAINT "PK_32800b35c088a55a9ddb485917d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "deadline_extension" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "reason" text NOT NULL,
                "granted_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_deadline_extension_round_organisation" UNIQUE ("round_id", "organisation_id"),
                CONSTRAINT "PK_3be4c5bba67ab6df021e3c4f7b2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "application_reference_counter" (
                "round_id" uuid NOT NULL,
                "last_seq" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_3e274565a7b42634573d0b3bb5d" PRIMARY KEY ("round_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_criterion"
            ADD CONSTRAINT "FK_ad1ee72fcee0e0d5d2803a0d8d4" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD CONSTRAINT "FK_ff613a777fac38cc75c2eec0dc2" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD CONSTRAINT "FK_70122a2d55028f0646c637b3368" FOREIGN KEY ("programme_id") REFERENCES "fund_programme"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application"
            ADD CONSTRAINT "FK_99566500e13e28b93a1dfaa2290" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application"
            ADD CONSTRAINT "FK_771046a1c953cb5b470f2b29d81" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_attachment"
            ADD CONSTRAINT "FK_f857e163f5305bc639ff0e7b8c0" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "application_snapshot"
            ADD CONSTRAINT "FK_c406521ebcb37698c4313e4f5f1" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deadline_extension"
            ADD CONSTRAINT "FK_4597f1b5347d5ee12ede146cc9d" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deadline_extension"
            ADD CONSTRAINT "FK_4d86c196c4af0c86ff12819ab6b" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // What was submitted can never change: the snapshot is append-only, like the audit trail.
    await queryRunner.query(`CREATE FUNCTION application_snapshot_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'application_snapshot is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$`);
    await queryRunner.query(`CREATE TRIGGER "application_snapshot_append_only" BEFORE UPDATE OR DELETE ON "application_snapshot"
            FOR EACH ROW EXECUTE FUNCTION application_snapshot_refuse_change()`);
    // Once an application leaves draft its answers are frozen, whatever code path tries.
    await queryRunner.query(`CREATE FUNCTION application_answers_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF OLD.status <> 'draft' AND (NEW.answers IS DISTINCT FROM OLD.answers
                  OR NEW.amount_requested_pence IS DISTINCT FROM OLD.amount_requested_pence
                  OR NEW.category IS DISTINCT FROM OLD.category) THEN
                RAISE EXCEPTION 'answers of application % are frozen once submitted', OLD.id USING ERRCODE = 'check_violation';
              END IF;
              IF OLD.reference IS NOT NULL AND NEW.reference IS DISTINCT FROM OLD.reference THEN
                RAISE EXCEPTION 'the reference of application % cannot change', OLD.id USING ERRCODE = 'check_violation';
              END IF;
              RETURN NEW;
            END $$`);
    await queryRunner.query(`CREATE TRIGGER "application_answers_frozen" BEFORE UPDATE ON "application"
            FOR EACH ROW EXECUTE FUNCTION application_answers_frozen()`);
    // Ring-fences can never promise more than the round has. Checked at commit (deferred), so a
    // budget and its ring-fences can be changed together in one transaction.
    await queryRunner.query(`CREATE FUNCTION ring_fences_within_budget() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE r uuid;
            BEGIN
              -- funding_round has no round_id column, so choose by table before touching NEW's fields.
              IF TG_TABLE_NAME = 'funding_round' THEN r := NEW.id; ELSE r := NEW.round_id; END IF;
              IF (SELECT COALESCE(sum(amount_pence), 0) FROM ring_fence WHERE round_id = r)
                 > (SELECT total_budget_pence FROM funding_round WHERE id = r) THEN
                RAISE EXCEPTION 'ring-fences exceed the budget of round %', r USING ERRCODE = 'check_violation';
              END IF;
              RETURN NULL;
            END $$`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "ring_fence_within_budget" AFTER INSERT OR UPDATE ON "ring_fence"
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ring_fences_within_budget()`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER "funding_round_budget_covers_ring_fences" AFTER UPDATE OF total_budget_pence ON "funding_round"
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ring_fences_within_budget()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "funding_round_budget_covers_ring_fences" ON "funding_round"`);
    await queryRunner.query(`DROP TRIGGER "ring_fence_within_budget" ON "ring_fence"`);
    await queryRunner.query(`DROP TRIGGER "application_answers_frozen" ON "application"`);
    await queryRunner.query(`DROP TRIGGER "application_snapshot_append_only" ON "application_snapshot"`);
    await queryRunner.query(`
            ALTER TABLE "deadline_extension" DROP CONSTRAINT "FK_4d86c196c4af0c86ff12819ab6b"
        `);
    await queryRunner.query(`
            ALTER TABLE "deadline_extension" DROP CONSTRAINT "FK_4597f1b5347d5ee12ede146cc9d"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_snapshot" DROP CONSTRAINT "FK_c406521ebcb37698c4313e4f5f1"
        `);
    await queryRunner.query(`
            ALTER TABLE "application_attachment" DROP CONSTRAINT "FK_f857e163f5305bc639ff0e7b8c0"
        `);
    await queryRunner.query(`
            ALTER TABLE "application" DROP CONSTRAINT "FK_771046a1c953cb5b470f2b29d81"
        `);
    await queryRunner.query(`
            ALTER TABLE "application" DROP CONSTRAINT "FK_99566500e13e28b93a1dfaa2290"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP CONSTRAINT "FK_70122a2d55028f0646c637b3368"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP CONSTRAINT "FK_ff613a777fac38cc75c2eec0dc2"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_criterion" DROP CONSTRAINT "FK_ad1ee72fcee0e0d5d2803a0d8d4"
        `);
    await queryRunner.query(`
            DROP TABLE "application_reference_counter"
        `);
    await queryRunner.query(`
            DROP TABLE "deadline_extension"
        `);
    await queryRunner.query(`
            DROP TABLE "application_snapshot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."application_attachment_application_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "application_attachment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_application_round_organisation_live"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_application_round_reference_seq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."application_round_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "application"
        `);
    await queryRunner.query(`
            DROP TABLE "funding_round"
        `);
    await queryRunner.query(`
            DROP TABLE "ring_fence"
        `);
    await queryRunner.query(`
            DROP TABLE "assessment_criterion"
        `);
    await queryRunner.query(`DROP FUNCTION ring_fences_within_budget()`);
    await queryRunner.query(`DROP FUNCTION application_answers_frozen()`);
    await queryRunner.query(`DROP FUNCTION application_snapshot_refuse_change()`);
  }
}
