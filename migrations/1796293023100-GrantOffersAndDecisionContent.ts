import { MigrationInterface, QueryRunner } from 'typeorm';

export class GrantOffersAndDecisionContent1796293023100 implements MigrationInterface {
  name = 'GrantOffersAndDecisionContent1796293023100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "grant" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "application_id" uuid NOT NULL,
                "round_id" uuid NOT NULL,
                "decision_id" uuid NOT NULL,
                "commitment_id" uuid NOT NULL,
                "amount_pence" bigint NOT NULL,
                "ring_fence" text,
                "conditions" text NOT NULL DEFAULT '',
                "status" text NOT NULL DEFAULT 'offered',
                "offered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "offer_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "responded_at" TIMESTAMP WITH TIME ZONE,
                "responded_by" uuid,
                "accepted_name" text,
                "decline_reason" text,
                "from_reserve" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_grant_accepted" CHECK (
                    "status" <> 'accepted'
                    OR (
                        "accepted_name" IS NOT NULL
                        AND "responded_by" IS NOT NULL
                    )
                ),
                CONSTRAINT "CHK_grant_responded" CHECK (
                    ("status" = 'offered') = ("responded_at" IS NULL)
                ),
                CONSTRAINT "CHK_grant_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "CHK_grant_status" CHECK (
                    "status" IN ('offered', 'accepted', 'declined', 'lapsed')
                ),
                CONSTRAINT "PK_451b51b02b610d55f542c542aa2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_grant_offer_expiry" ON "grant" ("offer_expires_at")
            WHERE "status" = 'offered'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_grant_round" ON "grant" ("round_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_grant_application" ON "grant" ("application_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD "offer_period_days" integer NOT NULL DEFAULT '28'
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD "grant_conditions" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "background" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "implications" jsonb NOT NULL DEFAULT '{}'
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "options_considered" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "consultation" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "reasons" text NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "background_papers" jsonb NOT NULL DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "confidential_annex" text
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "annex_exemption" text
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "annex_public_interest" text
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "round_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "financial_implications" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "awards" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "declarations" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD "adjustments" jsonb NOT NULL DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD "based_on_run_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD "decision_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment"
            ADD "feedback_released_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_pcc_decision_round" ON "pcc_decision" ("round_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_allocation_run_decision" ON "allocation_run" ("decision_id")
            WHERE "decision_id" IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_annex" CHECK (
                    ("confidential_annex" IS NULL) = ("annex_exemption" IS NULL)
                    AND ("confidential_annex" IS NULL) = ("annex_public_interest" IS NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "FK_0c65480250e01d46e7e3f8bda0c" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD CONSTRAINT "FK_4bda1581dcdc344672d01c4af59" FOREIGN KEY ("based_on_run_id") REFERENCES "allocation_run"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD CONSTRAINT "FK_7ed982432aaf9402a2321eb310b" FOREIGN KEY ("decision_id") REFERENCES "pcc_decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD CONSTRAINT "FK_0c45acfa71f48353eefd64ea6b5" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD CONSTRAINT "FK_3c97d8b1f2dd0fe630abdb99d01" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD CONSTRAINT "FK_4e0940d83ddf6685d4c9b33b373" FOREIGN KEY ("decision_id") REFERENCES "pcc_decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD CONSTRAINT "FK_9f8ba433af28dd143d6786c291e" FOREIGN KEY ("commitment_id") REFERENCES "budget_commitment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "grant" DROP CONSTRAINT "FK_9f8ba433af28dd143d6786c291e"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant" DROP CONSTRAINT "FK_4e0940d83ddf6685d4c9b33b373"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant" DROP CONSTRAINT "FK_3c97d8b1f2dd0fe630abdb99d01"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant" DROP CONSTRAINT "FK_0c45acfa71f48353eefd64ea6b5"
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP CONSTRAINT "FK_7ed982432aaf9402a2321eb310b"
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP CONSTRAINT "FK_4bda1581dcdc344672d01c4af59"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "FK_0c65480250e01d46e7e3f8bda0c"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_annex"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_allocation_run_decision"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_pcc_decision_round"
        `);
    await queryRunner.query(`
            ALTER TABLE "assessment" DROP COLUMN "feedback_released_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP COLUMN "decision_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP COLUMN "based_on_run_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP COLUMN "adjustments"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "declarations"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "awards"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "financial_implications"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "round_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "annex_public_interest"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "annex_exemption"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "confidential_annex"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "background_papers"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "reasons"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "consultation"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "options_considered"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "implications"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "background"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP COLUMN "grant_conditions"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP COLUMN "offer_period_days"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_grant_application"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_grant_round"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_grant_offer_expiry"
        `);
    await queryRunner.query(`
            DROP TABLE "grant"
        `);
  }
}
