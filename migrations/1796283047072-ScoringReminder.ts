import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScoringReminder1796283047072 implements MigrationInterface {
  name = 'ScoringReminder1796283047072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "assessment"
            ADD "reminder_sent_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "assessment" DROP COLUMN "reminder_sent_at"
        `);
  }
}
