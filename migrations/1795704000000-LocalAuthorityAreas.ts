import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seven West Midlands metropolitan boroughs the Commissioner covers are reference data every
 * installation needs (organisations record their area from the first day), so they are created
 * here rather than by the demo data. ONS local authority district codes.
 */
export class LocalAuthorityAreas1795704000000 implements MigrationInterface {
  name = 'LocalAuthorityAreas1795704000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO local_authority_area (ons_code, name, in_force_area) VALUES
      ('E08000025', 'Birmingham', true),
      ('E08000026', 'Coventry', true),
      ('E08000027', 'Dudley', true),
      ('E08000028', 'Sandwell', true),
      ('E08000029', 'Solihull', true),
      ('E08000030', 'Walsall', true),
      ('E08000031', 'Wolverhampton', true)
      ON CONFLICT (ons_code) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Only if nothing refers to them any more; otherwise the foreign keys refuse, as they should.
    await q.query(`DELETE FROM local_authority_area WHERE ons_code IN ('E08000025','E08000026','E08000027','E08000028','E08000029','E08000030','E08000031')`);
  }
}
