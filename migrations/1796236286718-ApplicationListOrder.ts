import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9, lists that scale: the staff list's default order (reference, then the tiebreaks that
 * order drafts) as an index, so a page of a round of thousands of applications is read in order
 * rather than sorted (bench/lists.js measures it; test/integration/application-lists.spec.ts
 * shows the plan).
 */
export class ApplicationListOrder1796236286718 implements MigrationInterface {
  name = 'ApplicationListOrder1796236286718';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "application_round_list_idx" ON "application" ("round_id", "reference_seq", "created_at", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."application_round_list_idx"
        `);
  }
}
