import { MigrationInterface, QueryRunner } from 'typeorm';

export class BudgetCommitment1796285908581 implements MigrationInterface {
  name = 'BudgetCommitment1796285908581';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "budget_commitment" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "application_id" uuid NOT NULL,
                "ring_fence_category" text,
                "amount_pence" bigint NOT NULL,
                "committed_by" uuid NOT NULL,
                "committed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "released_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_budget_commitment_amount" CHECK ("amount_pence" > 0),
                CONSTRAINT "PK_e6ffa4fdb87e6c22f57462f1844" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_budget_commitment_round" ON "budget_commitment" ("round_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_budget_commitment_live" ON "budget_commitment" ("application_id")
            WHERE "released_at" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment"
            ADD CONSTRAINT "FK_1f1dc6309ddf542f9f64ffc58e9" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment"
            ADD CONSTRAINT "FK_4d7fda73d77c776ce0ad9fb6619" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "budget_commitment" DROP CONSTRAINT "FK_4d7fda73d77c776ce0ad9fb6619"
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment" DROP CONSTRAINT "FK_1f1dc6309ddf542f9f64ffc58e9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_budget_commitment_live"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_budget_commitment_round"
        `);
    await queryRunner.query(`
            DROP TABLE "budget_commitment"
        `);
  }
}
