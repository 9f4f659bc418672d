import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The population of each area, for awards per 1,000 residents on the staff insights page.
 *
 * Seeded with the Census 2021 usual resident population of each local authority, as published by
 * the Office for National Statistics in "Population and household estimates, England and Wales:
 * Census 2021" (28 June 2022), rounded to the nearest 100 as ONS published them first. The seven
 * figures add up to the 2,919,600 ONS gives for the West Midlands metropolitan county. A census
 * count was chosen over a mid-year estimate because these are the figures we could check; an
 * administrator replaces them with a later ONS mid-year estimate at /admin/populations, naming it.
 */
export class LocalAuthorityPopulation1796310000000 implements MigrationInterface {
  name = 'LocalAuthorityPopulation1796310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "local_authority_population" (
                "area_ons_code" text NOT NULL,
                "population" integer NOT NULL,
                "year" integer NOT NULL,
                "source" text NOT NULL,
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_local_authority_population_source" CHECK (length(btrim("source")) > 0),
                CONSTRAINT "CHK_local_authority_population_year" CHECK ("year" BETWEEN 1000 AND 9999),
                CONSTRAINT "CHK_local_authority_population_positive" CHECK ("population" > 0),
                CONSTRAINT "PK_97bbc0216536b271cb432149f2a" PRIMARY KEY ("area_ons_code")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "local_authority_population"
            ADD CONSTRAINT "FK_97bbc0216536b271cb432149f2a" FOREIGN KEY ("area_ons_code") REFERENCES "local_authority_area"("ons_code") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    const source = 'ONS, Population and household estimates, England and Wales: Census 2021 (usual residents, rounded to the nearest 100)';
    // Only for areas this installation has (the areas migration seeds all seven).
    await queryRunner.query(
      `INSERT INTO local_authority_population (area_ons_code, population, year, source)
       SELECT v.code, v.population, 2021, $1
         FROM (VALUES ('E08000025', 1144900), ('E08000026', 345300), ('E08000027', 323500), ('E08000028', 341900),
                      ('E08000029', 216200), ('E08000030', 284100), ('E08000031', 263700)) AS v(code, population)
         JOIN local_authority_area a ON a.ons_code = v.code`,
      [source],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "local_authority_population" DROP CONSTRAINT "FK_97bbc0216536b271cb432149f2a"`);
    await queryRunner.query(`DROP TABLE "local_authority_population"`);
  }
}
