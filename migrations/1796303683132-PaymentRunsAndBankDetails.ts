import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentRunsAndBankDetails1796303683132 implements MigrationInterface {
  name = 'PaymentRunsAndBankDetails1796303683132';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "bank_details" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "account_name" text NOT NULL,
                "sort_code_encrypted" text NOT NULL,
                "account_number_encrypted" text NOT NULL,
                "account_last_four" text NOT NULL,
                "account_fingerprint" text NOT NULL,
                "changed_by" uuid NOT NULL,
                "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "verified_by" uuid,
                "verified_at" TIMESTAMP WITH TIME ZONE,
                "verification_method" text,
                "verified_with" text,
                "verification_notes" text,
                "superseded_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_bank_details_method" CHECK (
                    "verification_method" IS NULL
                    OR "verification_method" IN (
                        'call_back_known_number',
                        'letter_to_known_address',
                        'in_person',
                        'other'
                    )
                ),
                CONSTRAINT "CHK_bank_details_verified" CHECK (
                    ("verified_by" IS NULL) = ("verified_at" IS NULL)
                    AND ("verified_by" IS NULL) = ("verification_method" IS NULL)
                    AND ("verified_by" IS NULL) = ("verified_with" IS NULL)
                ),
                CONSTRAINT "CHK_bank_details_verifier" CHECK (
                    "verified_by" IS NULL
                    OR "verified_by" <> "changed_by"
                ),
                CONSTRAINT "CHK_bank_details_last_four" CHECK ("account_last_four" ~ '^[0-9]{4}$'),
                CONSTRAINT "PK_ddbbcb9586b7f4d6124fe58f257" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_bank_details_fingerprint" ON "bank_details" ("account_fingerprint")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_bank_details_current" ON "bank_details" ("organisation_id")
            WHERE "superseded_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "payment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "run_id" uuid NOT NULL,
                "request_id" uuid NOT NULL,
                "instalment_id" uuid NOT NULL,
                "grant_id" uuid NOT NULL,
                "bank_details_id" uuid NOT NULL,
                "amount_pence" bigint NOT NULL,
                "reference" text NOT NULL,
                "status" text NOT NULL DEFAULT 'in_run',
                "paid_on" date,
                "bank_reference" text,
                "failure_reason" text,
                "recorded_by" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_payment_failed" CHECK (
                    ("status" = 'failed') = ("failure_reason" IS NOT NULL)
                ),
                CONSTRAINT "CHK_payment_paid" CHECK (
                    ("status" = 'paid') = (
                        "paid_on" IS NOT NULL
                        AND "bank_reference" IS NOT NULL
                    )
                ),
                CONSTRAINT "CHK_payment_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "CHK_payment_status" CHECK ("status" IN ('in_run', 'paid', 'failed')),
                CONSTRAINT "PK_fcaec7df5adf9cac408c686b2ab" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_payment_grant" ON "payment" ("grant_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_payment_run" ON "payment" ("run_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_payment_instalment_live" ON "payment" ("instalment_id")
            WHERE "status" IN ('in_run', 'paid')
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_payment_request" ON "payment" ("request_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "payment_run" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "number" integer NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "payment_count" integer NOT NULL,
                "total_pence" bigint NOT NULL,
                "exported_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_payment_run_total" CHECK (
                    "total_pence" > 0
                    AND "payment_count" > 0
                ),
                CONSTRAINT "PK_34b35361862d67503c92bf2d895" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_payment_run_number" ON "payment_run" ("number")
        `);
    await queryRunner.query(`
            ALTER TABLE "fund_programme"
            ADD "cost_centre" text
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD "organisation_id" uuid
        `);
    // Instalments made before this migration take their grant's organisation.
    await queryRunner.query(`
            UPDATE "instalment" i SET "organisation_id" = a."organisation_id"
              FROM "grant" g JOIN "application" a ON a."id" = g."application_id"
             WHERE g."id" = i."grant_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" ALTER COLUMN "organisation_id" SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_request" DROP CONSTRAINT "CHK_payment_request_status"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_request"
            ADD CONSTRAINT "CHK_payment_request_status" CHECK ("status" IN ('pending', 'approved', 'rejected', 'failed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD "held_from" text
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_instalment_organisation" ON "instalment" ("organisation_id", "status")
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD CONSTRAINT "CHK_instalment_held_from" CHECK (
                    "held_from" IS NULL
                    OR "held_from" IN ('due', 'requested', 'approved', 'failed')
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD CONSTRAINT "CHK_instalment_hold" CHECK (
                    ("status" = 'on_hold') = ("held_from" IS NOT NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD CONSTRAINT "FK_225512198c750f2f90166d41f91" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "bank_details"
            ADD CONSTRAINT "FK_0f2ad4864fa0f68d1d753101414" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment"
            ADD CONSTRAINT "FK_34b35361862d67503c92bf2d895" FOREIGN KEY ("run_id") REFERENCES "payment_run"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment"
            ADD CONSTRAINT "FK_b274a8e7b35dd0fd12e46e89f3c" FOREIGN KEY ("request_id") REFERENCES "payment_request"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment"
            ADD CONSTRAINT "FK_f7864c01bd999cb6723e741a5b9" FOREIGN KEY ("instalment_id") REFERENCES "instalment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment"
            ADD CONSTRAINT "FK_f79eaca6c7ebff0e337d7386511" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment"
            ADD CONSTRAINT "FK_d7fc3226d65e5aec7cee03d6e6c" FOREIGN KEY ("bank_details_id") REFERENCES "bank_details"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // The total in runs or paid on a grant never passes its award, whatever the code does: the
    // grant's row lock makes two payments for one grant take turns, so neither sees a stale sum.
    await queryRunner.query(`
            CREATE FUNCTION payment_within_award() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              award bigint;
              taken bigint;
            BEGIN
              IF NEW."status" IN ('in_run', 'paid') THEN
                SELECT "amount_pence" INTO award FROM "grant" WHERE "id" = NEW."grant_id" FOR UPDATE;
                SELECT coalesce(sum("amount_pence"), 0) INTO taken FROM "payment"
                 WHERE "grant_id" = NEW."grant_id" AND "status" IN ('in_run', 'paid') AND "id" <> NEW."id";
                IF taken + NEW."amount_pence" > award THEN
                  RAISE EXCEPTION 'payments on grant % would exceed its award', NEW."grant_id"
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'CHK_payment_within_award';
                END IF;
              END IF;
              RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "TRG_payment_within_award" BEFORE INSERT OR UPDATE OF "status", "amount_pence", "grant_id" ON "payment"
            FOR EACH ROW EXECUTE FUNCTION payment_within_award()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "TRG_payment_within_award" ON "payment"`);
    await queryRunner.query(`DROP FUNCTION payment_within_award()`);
    await queryRunner.query(`ALTER TABLE "payment_request" DROP CONSTRAINT "CHK_payment_request_status"`);
    await queryRunner.query(
      `ALTER TABLE "payment_request" ADD CONSTRAINT "CHK_payment_request_status" CHECK ("status" IN ('pending', 'approved', 'rejected'))`,
    );
    await queryRunner.query(`
            ALTER TABLE "payment" DROP CONSTRAINT "FK_d7fc3226d65e5aec7cee03d6e6c"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment" DROP CONSTRAINT "FK_f79eaca6c7ebff0e337d7386511"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment" DROP CONSTRAINT "FK_f7864c01bd999cb6723e741a5b9"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment" DROP CONSTRAINT "FK_b274a8e7b35dd0fd12e46e89f3c"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment" DROP CONSTRAINT "FK_34b35361862d67503c92bf2d895"
        `);
    await queryRunner.query(`
            ALTER TABLE "bank_details" DROP CONSTRAINT "FK_0f2ad4864fa0f68d1d753101414"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP CONSTRAINT "FK_225512198c750f2f90166d41f91"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP CONSTRAINT "CHK_instalment_hold"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP CONSTRAINT "CHK_instalment_held_from"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_instalment_organisation"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP COLUMN "held_from"
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP COLUMN "organisation_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "fund_programme" DROP COLUMN "cost_centre"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_payment_run_number"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_payment_request"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_payment_instalment_live"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_payment_run"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_payment_grant"
        `);
    await queryRunner.query(`
            DROP TABLE "payment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_bank_details_current"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_bank_details_fingerprint"
        `);
    await queryRunner.query(`
            DROP TABLE "bank_details"
        `);
  }
}
