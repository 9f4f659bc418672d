import { MigrationInterface, QueryRunner } from 'typeorm';

export class DecisionStates1796286420044 implements MigrationInterface {
  name = 'DecisionStates1796286420044';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "submitted_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "decided_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "decided_by" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "rejection_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "published_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_published" CHECK (
                    ("status" = 'published') = ("published_at" IS NOT NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_decided" CHECK (
                    (
                        "status" IN ('approved', 'rejected', 'published')
                    ) = ("decided_at" IS NOT NULL)
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_decided"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_published"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "published_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "rejection_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "decided_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "decided_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "submitted_at"
        `);
  }
}
