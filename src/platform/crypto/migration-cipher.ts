import * as path from 'node:path';
import { DataCipher } from '@pcc/crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { loadConfigSettings, loadEnvFile } from '../config/app-config';
import { loadDataEncryptionKey } from './data-key';

/** The cipher each migration run was given, by the DataSource running it. */
const given = new WeakMap<DataSource, DataCipher>();

/**
 * Hands the app's cipher to the migrations `dataSource` runs (see runPendingMigrations), so a
 * migration encrypts with exactly the key the app will decrypt with, whatever configuration the
 * app was started with (the tests build theirs in code, not from the environment).
 */
export function provideCipherToMigrations(dataSource: DataSource, cipher: DataCipher): void {
  given.set(dataSource, cipher);
}

/**
 * The cipher for a migration that encrypts or decrypts existing rows. Call it only when there is
 * a row to convert, so that a database with nothing to convert never needs the key.
 *
 * When the migration runs outside the app (the TypeORM CLI: `npm run migration:run` and
 * `migration:revert`), the key is found as `npm start` finds it: DATA_ENCRYPTION_KEY from the
 * environment or `.env`, or else the key file in DATA_DIR.
 */
export function migrationCipher(queryRunner: QueryRunner): DataCipher {
  const cipher = given.get(queryRunner.dataSource);
  if (cipher) return cipher;
  const env: Record<string, string | undefined> = { ...process.env };
  loadEnvFile(path.resolve('.env'), env);
  return new DataCipher(loadDataEncryptionKey(loadConfigSettings(['nodeEnv', 'dataDir', 'dataEncryptionKey'], env)));
}
