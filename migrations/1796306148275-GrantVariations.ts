import { MigrationInterface, QueryRunner } from 'typeorm';

export class GrantVariations1796306148275 implements MigrationInterface {
  name = 'GrantVariations1796306148275';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "grant_variation" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "grant_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "new_amount_pence" bigint,
                "new_ends_on" date,
                "new_purpose" text,
                "reason" text NOT NULL,
                "amount_before_pence" bigint NOT NULL,
                "amount_after_pence" bigint,
                "status" text NOT NULL DEFAULT 'proposed',
                "proposed_by" uuid NOT NULL,
                "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "decision_comments" text,
                "decision_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_grant_variation_not_own" CHECK (
                    "decided_by" IS NULL
                    OR "decided_by" <> "proposed_by"
                ),
                CONSTRAINT "CHK_grant_variation_rejected" CHECK (
                    "status" <> 'rejected'
                    OR "decision_comments" IS NOT NULL
                ),
                CONSTRAINT "CHK_grant_variation_after" CHECK (
                    ("status" = 'approved') = ("amount_after_pence" IS NOT NULL)
                ),
                CONSTRAINT "CHK_grant_variation_decided" CHECK (
                    ("status" = 'proposed') = (
                        "decided_at" IS NULL
                        AND "decided_by" IS NULL
                    )
                ),
                CONSTRAINT "CHK_grant_variation_reason" CHECK (length(btrim("reason")) > 0),
                CONSTRAINT "CHK_grant_variation_amount" CHECK (
                    "new_amount_pence" IS NULL
                    OR "new_amount_pence" > 0
                ),
                CONSTRAINT "CHK_grant_variation_change" CHECK (
                    "new_amount_pence" IS NOT NULL
                    OR "new_ends_on" IS NOT NULL
                    OR "new_purpose" IS NOT NULL
                ),
                CONSTRAINT "CHK_grant_variation_number" CHECK ("number" > 0),
                CONSTRAINT "CHK_grant_variation_status" CHECK ("status" IN ('proposed', 'approved', 'rejected')),
                CONSTRAINT "PK_adc04ab13fac75861107f749be1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_grant_variation_status" ON "grant_variation" ("status", "proposed_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_grant_variation_number" ON "grant_variation" ("grant_id", "number")
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD "ends_on" date
        `);
    await queryRunner.query(`
            ALTER TABLE "grant"
            ADD "purpose" text
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_variation"
            ADD CONSTRAINT "FK_50abd486fd93358fb07af9d9cb9" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_variation"
            ADD CONSTRAINT "FK_3e99d8f2be9acdc7e99043e04e2" FOREIGN KEY ("decision_id") REFERENCES "pcc_decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Variations are append-only amendments: what was proposed never changes, a decided one never
    // changes at all, and none is deleted (written by hand: TypeORM does not model triggers).
    await queryRunner.query(`
            CREATE FUNCTION grant_variation_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'grant variations are never deleted' USING ERRCODE = 'check_violation', CONSTRAINT = 'CHK_grant_variation_append_only';
              END IF;
              IF OLD."status" <> 'proposed'
                 OR NEW."grant_id" <> OLD."grant_id" OR NEW."number" <> OLD."number"
                 OR NEW."new_amount_pence" IS DISTINCT FROM OLD."new_amount_pence"
                 OR NEW."new_ends_on" IS DISTINCT FROM OLD."new_ends_on"
                 OR NEW."new_purpose" IS DISTINCT FROM OLD."new_purpose"
                 OR NEW."reason" <> OLD."reason" OR NEW."proposed_by" <> OLD."proposed_by" OR NEW."proposed_at" <> OLD."proposed_at" THEN
                RAISE EXCEPTION 'grant variation % cannot be changed once proposed, except by its decision', OLD."id"
                  USING ERRCODE = 'check_violation', CONSTRAINT = 'CHK_grant_variation_append_only';
              END IF;
              RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "TRG_grant_variation_append_only" BEFORE UPDATE OR DELETE ON "grant_variation"
            FOR EACH ROW EXECUTE FUNCTION grant_variation_append_only()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_grant_variation_append_only" ON "grant_variation"`);
    await queryRunner.query(`DROP FUNCTION grant_variation_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "grant_variation" DROP CONSTRAINT "FK_3e99d8f2be9acdc7e99043e04e2"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant_variation" DROP CONSTRAINT "FK_50abd486fd93358fb07af9d9cb9"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant" DROP COLUMN "purpose"
        `);
    await queryRunner.query(`
            ALTER TABLE "grant" DROP COLUMN "ends_on"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_grant_variation_number"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_grant_variation_status"
        `);
    await queryRunner.query(`
            DROP TABLE "grant_variation"
        `);
  }
}
