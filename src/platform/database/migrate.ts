import type { DataCipher } from '@pcc/crypto';
import { DataSource } from 'typeorm';
import { provideCipherToMigrations } from '../crypto/migration-cipher';
import { dataSourceOptions } from './data-source-options';

// Any fixed number: all instances of the app agree on it.
const MIGRATION_LOCK_KEY = 741_852_963;

/**
 * Applies pending migrations before the app takes traffic. Several instances may start at once
 * (a rolling deploy), so the first takes a PostgreSQL advisory lock and the others wait for it,
 * then find nothing left to do. Returns the names of the migrations applied.
 *
 * `dataCipher` is the app's own: a migration that encrypts existing values uses it, so they are
 * written with the key the app reads them with.
 */
export async function runPendingMigrations(url: string, dataCipher: DataCipher): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { logging: ['error'] }));
  provideCipherToMigrations(ds, dataCipher);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
