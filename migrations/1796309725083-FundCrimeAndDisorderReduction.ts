import { MigrationInterface, QueryRunner } from 'typeorm';

export class FundCrimeAndDisorderReduction1796309725083 implements MigrationInterface {
  name = 'FundCrimeAndDisorderReduction1796309725083';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "fund_programme"
            ADD "crime_and_disorder_reduction" boolean NOT NULL DEFAULT false
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "fund_programme" DROP COLUMN "crime_and_disorder_reduction"
        `);
  }
}
