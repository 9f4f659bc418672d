import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentSchedulesAndInstalments1796296391598 implements MigrationInterface {
  name = 'PaymentSchedulesAndInstalments1796296391598';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "instalment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "grant_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "amount_pence" bigint NOT NULL,
                "trigger" text NOT NULL,
                "report_months" integer,
                "status" text NOT NULL DEFAULT 'scheduled',
                "due_on" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_instalment_due" CHECK (
                    "status" = 'scheduled'
                    OR "due_on" IS NOT NULL
                ),
                CONSTRAINT "CHK_instalment_report" CHECK (
                    ("trigger" = 'monitoring_report') = ("report_months" IS NOT NULL)
                ),
                CONSTRAINT "CHK_instalment_trigger" CHECK ("trigger" IN ('acceptance', 'monitoring_report')),
                CONSTRAINT "CHK_instalment_status" CHECK (
                    "status" IN (
                        'scheduled',
                        'due',
                        'on_hold',
                        'requested',
                        'approved',
                        'paid',
                        'failed'
                    )
                ),
                CONSTRAINT "CHK_instalment_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "PK_d6125746c630f2d27d730419f6e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_instalment_grant_seq" ON "instalment" ("grant_id", "seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round"
            ADD "payment_schedule" jsonb NOT NULL DEFAULT '[{"percent": 100, "trigger": "acceptance"}]'
        `);
    await queryRunner.query(`
            ALTER TABLE "instalment"
            ADD CONSTRAINT "FK_ae10636d7f9dd7e77b2d2a20f52" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "instalment" DROP CONSTRAINT "FK_ae10636d7f9dd7e77b2d2a20f52"
        `);
    await queryRunner.query(`
            ALTER TABLE "funding_round" DROP COLUMN "payment_schedule"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_instalment_grant_seq"
        `);
    await queryRunner.query(`
            DROP TABLE "instalment"
        `);
  }
}
