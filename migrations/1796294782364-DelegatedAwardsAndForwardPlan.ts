import { MigrationInterface, QueryRunner } from 'typeorm';

export class DelegatedAwardsAndForwardPlan1796294782364 implements MigrationInterface {
  name = 'DelegatedAwardsAndForwardPlan1796294782364';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "delegated_round_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "delegated_budget_pence" bigint
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "delegated_award_limit_pence" bigint
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD "expected_month" date
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_expected_month" CHECK (
                    "expected_month" IS NULL
                    OR extract(
                        day
                        FROM "expected_month"
                    ) = 1
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "CHK_pcc_decision_delegation" CHECK (
                    ("delegated_round_id" IS NULL) = ("delegated_budget_pence" IS NULL)
                    AND ("delegated_round_id" IS NULL) = ("delegated_award_limit_pence" IS NULL)
                    AND (
                        "delegated_award_limit_pence" IS NULL
                        OR (
                            "delegated_award_limit_pence" > 0
                            AND "delegated_award_limit_pence" <= "delegated_budget_pence"
                        )
                    )
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision"
            ADD CONSTRAINT "FK_0f2dd8a256d70a4431ce9783686" FOREIGN KEY ("delegated_round_id") REFERENCES "funding_round"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "FK_0f2dd8a256d70a4431ce9783686"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_delegation"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP CONSTRAINT "CHK_pcc_decision_expected_month"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "expected_month"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "delegated_award_limit_pence"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "delegated_budget_pence"
        `);
    await queryRunner.query(`
            ALTER TABLE "pcc_decision" DROP COLUMN "delegated_round_id"
        `);
  }
}
