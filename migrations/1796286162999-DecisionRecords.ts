import { MigrationInterface, QueryRunner } from 'typeorm';

export class DecisionRecords1796286162999 implements MigrationInterface {
  name = 'DecisionRecords1796286162999';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "decision_number_counter" (
                "year" integer NOT NULL,
                "last_seq" integer NOT NULL,
                CONSTRAINT "PK_2cc7b573423cccb8366eb1c0b78" PRIMARY KEY ("year")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "pcc_decision" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "year" integer NOT NULL,
                "seq" integer NOT NULL,
                "title" text NOT NULL,
                "summary" text NOT NULL,
                "status" text NOT NULL DEFAULT 'draft',
                "confidential" boolean NOT NULL DEFAULT false,
                "confidential_subject" text,
                "drafted_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_pcc_decision_confidential" CHECK (
                    "confidential" = ("confidential_subject" IS NOT NULL)
                ),
                CONSTRAINT "CHK_pcc_decision_seq" CHECK (
                    "seq" BETWEEN 1 AND 999
                ),
                CONSTRAINT "CHK_pcc_decision_status" CHECK (
                    "status" IN (
                        'draft',
                        'submitted',
                        'approved',
                        'rejected',
                        'published',
                        'withdrawn'
                    )
                ),
                CONSTRAINT "PK_7db3a65fb760b4baf0cf3ef1b4e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pcc_decision_number" ON "pcc_decision" ("year", "seq")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."UQ_pcc_decision_number"
        `);
    await queryRunner.query(`
            DROP TABLE "pcc_decision"
        `);
    await queryRunner.query(`
            DROP TABLE "decision_number_counter"
        `);
  }
}
