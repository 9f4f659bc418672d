import { DataCipher } from '@pcc/crypto';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/entities';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { runPendingMigrations } from '../../src/platform/database/migrate';
import { createTestDatabase, type TestDatabase, testDataEncryptionKey } from '../support/database';

describe('schema migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const cipher = new DataCipher(Buffer.from(testDataEncryptionKey(), 'base64'));
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url, { entities: ENTITIES, logging: false })).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('match the entities exactly, so synchronize would change nothing', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('revert all the way down and apply again', async () => {
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`,
    );
    expect(n).toBe(0);
    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.showMigrations()).toBe(false);
  });

  it('are safe when several instances start at once', async () => {
    const fresh = await createTestDatabase();
    try {
      // A fresh clone already has every migration; revert one so there is work to race over.
      const d = await new DataSource(dataSourceOptions(fresh.url, { entities: ENTITIES, logging: false })).initialize();
      await d.undoLastMigration();
      await d.destroy();
      const results = await Promise.all([
        runPendingMigrations(fresh.url, cipher),
        runPendingMigrations(fresh.url, cipher),
        runPendingMigrations(fresh.url, cipher),
      ]);
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, 1]);
    } finally {
      await fresh.drop();
    }
  });
});
