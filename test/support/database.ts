import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

// TypeORM's schema reader queues queries on one pg client, which pg deprecates; see the script.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../scripts/serial-postgres-queries');

export const ADMIN_URL_ENV = 'PCC_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'PCC_TEST_TEMPLATE_DB';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, fully migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!adminUrl || !template) throw new Error('Test database not prepared: run the tests through jest (see jest.config.js globalSetup)');
  const name = `${template}_f${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
