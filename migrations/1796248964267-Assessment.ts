import { MigrationInterface, QueryRunner } from 'typeorm';

export class Assessment1796248964267 implements MigrationInterface {
  name = 'Assessment1796248964267';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "assessment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "application_id" uuid NOT NULL,
                "assessor_id" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'awaiting_declaration',
                "assigned_by" uuid NOT NULL,
                "declared_at" TIMESTAMP WITH TIME ZONE,
                "conflict_reason" text,
                "recommendation" text,
                "recommended_amount_pence" bigint,
                "comment" text NOT NULL DEFAULT '',
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_assessment_application_assessor" UNIQUE ("application_id", "assessor_id"),
                CONSTRAINT "CHK_assessment_amount" CHECK (
                    "recommended_amount_pence" IS NULL
                    OR "recommended_amount_pence" > 0
                ),
                CONSTRAINT "CHK_assessment_recommendation" CHECK (
                    "recommendation" IS NULL
                    OR "recommendation" IN ('fund', 'fund_in_part', 'do_not_fund')
                ),
                CONSTRAINT "CHK_assessment_submitted" CHECK (
                    ("status" = 'submitted') = ("submitted_at" IS NOT NULL)
                ),
                CONSTRAINT "CHK_assessment_conflict" CHECK (
                    ("status" = 'conflicted') = ("conflict_reason" IS NOT NULL)
                ),
                CONSTRAINT "CHK_assessment_status" CHECK (
                    "status" IN (
                        'awaiting_declaration',
                        'in_progress',
                        'submitted',
                        'conflicted'
                    )
                ),
                CONSTRAINT "PK_c511a7dc128256876b6b1719401" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_assessment_round" ON "assessment" ("round_id", "application_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_assessment_assessor" ON "assessment" ("assessor_id", "status")
        `);
    await queryRunner.query(`
            CREATE TABLE "assessment_score" (
                "assessment_id" uuid NOT NULL,
                "criterion_id" uuid NOT NULL,
                "score" integer NOT NULL,
                "comment" text NOT NULL DEFAULT '',
                CONSTRAINT "CHK_assessment_score_score" CHECK ("score" >= 0),
                CONSTRAINT "PK_ce341d8778e9d053dda96109248" PRIMARY KEY ("assessment_id", "criterion_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "declared_interest" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "reason" text NOT NULL,
                "declared_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_declared_interest_user_organisation" UNIQUE ("user_id", "organisation_id"),
                CONSTRAINT "PK_5e9e6c458455ee759ba978537ef" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "moderation" (
                "application_id" uuid NOT NULL,
                "round_id" uuid NOT NULL,
                "score_hundredths" integer NOT NULL,
                "reason" text NOT NULL,
                "moderated_by" uuid NOT NULL,
                "moderated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "CHK_moderation_score" CHECK (
                    "score_hundredths" BETWEEN 0 AND 10000
                ),
                CONSTRAINT "PK_64ad43fbcb129f3edb8b2845b74" PRIMARY KEY ("application_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD "scoring_closes_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD "criteria_frozen_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment"
            ADD CONSTRAINT "FK_c0fc0be8e5863842c835d6ff589" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment"
            ADD CONSTRAINT "FK_18ef7261e15bf6005a88a6eadb7" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment"
            ADD CONSTRAINT "FK_ae7c595acf4b78090b2d15c791e" FOREIGN KEY ("assessor_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_score"
            ADD CONSTRAINT "FK_21ab0dedf99ac0e2cd311b7fa3f" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_score"
            ADD CONSTRAINT "FK_29b02fcfe6b3ca94da2e4faa44e" FOREIGN KEY ("criterion_id") REFERENCES "assessment_criterion"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "declared_interest"
            ADD CONSTRAINT "FK_88fa7d08ae43fdfb176ea3e34e5" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "declared_interest"
            ADD CONSTRAINT "FK_78226872f30963aec3c17be0f32" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "moderation"
            ADD CONSTRAINT "FK_64ad43fbcb129f3edb8b2845b74" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "moderation" DROP CONSTRAINT "FK_64ad43fbcb129f3edb8b2845b74"
        `);
    await queryRunner.query(`
            ALTER TABLE "declared_interest" DROP CONSTRAINT "FK_78226872f30963aec3c17be0f32"
        `);
    await queryRunner.query(`
            ALTER TABLE "declared_interest" DROP CONSTRAINT "FK_88fa7d08ae43fdfb176ea3e34e5"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_score" DROP CONSTRAINT "FK_29b02fcfe6b3ca94da2e4faa44e"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment_score" DROP CONSTRAINT "FK_21ab0dedf99ac0e2cd311b7fa3f"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment" DROP CONSTRAINT "FK_ae7c595acf4b78090b2d15c791e"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment" DROP CONSTRAINT "FK_18ef7261e15bf6005a88a6eadb7"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment" DROP CONSTRAINT "FK_c0fc0be8e5863842c835d6ff589"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP COLUMN "criteria_frozen_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP COLUMN "scoring_closes_at"
        `);
    await queryRunner.query(`
            DROP TABLE "moderation"
        `);
    await queryRunner.query(`
            DROP TABLE "declared_interest"
        `);
    await queryRunner.query(`
            DROP TABLE "assessment_score"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_assessment_assessor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_assessment_round"
        `);
    await queryRunner.query(`
            DROP TABLE "assessment"
        `);
  }
}
