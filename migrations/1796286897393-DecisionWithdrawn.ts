import { MigrationInterface, QueryRunner } from 'typeorm';

export class DecisionWithdrawn1796286897393 implements MigrationInterface {
  name = 'DecisionWithdrawn1796286897393';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "withdrawn_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_withdrawn" CHECK (
                    ("status" = 'withdrawn') = ("withdrawn_reason" IS NOT NULL)
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_withdrawn"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "withdrawn_reason"
        `);
  }
}
