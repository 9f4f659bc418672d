import { MigrationInterface, QueryRunner } from 'typeorm';

export class RingFencesByArea1796294536671 implements MigrationInterface {
  name = 'RingFencesByArea1796294536671';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD "area_ons_code" text
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment"
            ADD "ring_fence_area_ons_code" text
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP CONSTRAINT "UQ_ring_fence_round_category"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ALTER COLUMN "category" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD CONSTRAINT "CHK_ring_fence_qualifier" CHECK (
                    ("category" IS NULL) <> ("area_ons_code" IS NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment"
            ADD CONSTRAINT "CHK_budget_commitment_fence" CHECK (
                    "ring_fence_category" IS NULL
                    OR "ring_fence_area_ons_code" IS NULL
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD CONSTRAINT "UQ_ring_fence_round_area" UNIQUE ("round_id", "area_ons_code")
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD CONSTRAINT "UQ_ring_fence_round_category" UNIQUE ("round_id", "category")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP CONSTRAINT "UQ_ring_fence_round_category"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP CONSTRAINT "UQ_ring_fence_round_area"
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment" DROP CONSTRAINT "CHK_budget_commitment_fence"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP CONSTRAINT "CHK_ring_fence_qualifier"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ALTER COLUMN "category"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence"
            ADD CONSTRAINT "UQ_ring_fence_round_category" UNIQUE ("round_id", "category")
        `);
    await queryRunner.query(`
            ALTER TABLE "budget_commitment" DROP COLUMN "ring_fence_area_ons_code"
        `);
    await queryRunner.query(`
            ALTER TABLE "ring_fence" DROP COLUMN "area_ons_code"
        `);
  }
}
