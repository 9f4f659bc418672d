import { MigrationInterface, QueryRunner } from 'typeorm';

export class AllocationRun1796285302428 implements MigrationInterface {
  name = 'AllocationRun1796285302428';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "allocation_run" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "budget_pence" bigint NOT NULL,
                "threshold_hundredths" integer NOT NULL,
                "unspent_ring_fences" text NOT NULL,
                "committed_pence" bigint NOT NULL,
                "general_pot" jsonb NOT NULL,
                "ring_fences" jsonb NOT NULL,
                "awards" jsonb NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_allocation_run_committed" CHECK (
                    "committed_pence" BETWEEN 0 AND "budget_pence"
                ),
                CONSTRAINT "CHK_allocation_run_policy" CHECK ("unspent_ring_fences" IN ('release', 'hold')),
                CONSTRAINT "CHK_allocation_run_threshold" CHECK (
                    "threshold_hundredths" BETWEEN 0 AND 10000
                ),
                CONSTRAINT "PK_928d745b14059b2345a88691ee0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_allocation_run_round" ON "allocation_run" ("round_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "allocation_run"
            ADD CONSTRAINT "FK_4ee3a2cb4ee5d74a9ad6251b074" FOREIGN KEY ("round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "allocation_run" DROP CONSTRAINT "FK_4ee3a2cb4ee5d74a9ad6251b074"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_allocation_run_round"
        `);
    await queryRunner.query(`
            DROP TABLE "allocation_run"
        `);
  }
}
