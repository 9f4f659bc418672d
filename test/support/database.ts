import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

// TypeORM's schema reader queues queries on one pg client, which pg deprecates; see the script.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../scripts/serial-postgres-queries');

export const ADMIN_URL_ENV = 'PCC_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'PCC_TEST_TEMPLATE_DB';
/** A folder the test files of one run share (made by the global set-up, removed by the teardown). */
export const RUN_DIR_ENV = 'PCC_TEST_RUN_DIR';
/** The demo users' password in the demo template (chosen once per run by the global set-up). */
export const DEMO_PASSWORD_ENV = 'PCC_TEST_DEMO_PASSWORD';
/** The run's DATA_ENCRYPTION_KEY (chosen once per run by the global set-up). */
export const DATA_KEY_ENV = 'PCC_TEST_DATA_ENCRYPTION_KEY';

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

export interface TestDatabaseOptions {
  /**
   * Clone the run's demo template instead: migrated and loaded with the demo data (Victims Fund 7
   * with its 48 applications, the demo staff and applicants, whose password is `demoPassword()`).
   * The template is seeded once per run, by the first test file that asks for it.
   */
  demo?: boolean;
}

/** A fresh, fully migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const base = process.env[TEMPLATE_ENV];
  if (!adminUrl || !base) throw new Error('Test database not prepared: run the tests through jest (see jest.config.js globalSetup)');
  const template = options.demo ? await demoTemplate(adminUrl, base) : base;
  const name = `${template}_f${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The password of every demo user in a database cloned with `{ demo: true }`. */
export function demoPassword(): string {
  const password = process.env[DEMO_PASSWORD_ENV];
  if (!password) throw new Error('Demo password not set: run the tests through jest (see test/support/global-setup.ts)');
  return password;
}

/**
 * DATA_ENCRYPTION_KEY for every application a test starts. One key for the whole run, because the
 * template databases are migrated and seeded once and cloned by every file: what was encrypted
 * there must decrypt in each copy. Set explicitly, so no test writes a key into the developer's
 * own DATA_DIR (./var).
 */
export function testDataEncryptionKey(): string {
  const key = process.env[DATA_KEY_ENV];
  if (!key) throw new Error('Data encryption key not set: run the tests through jest (see test/support/global-setup.ts)');
  return key;
}

/** Any number, the same in every worker: the advisory lock that lets one worker seed the demo template. */
const DEMO_TEMPLATE_LOCK = 0x70636364;

/**
 * The run's demo template, `<template>_demo`: made on first use by whichever worker gets there
 * first (the others wait on an advisory lock), by the real seed running through the real
 * application. It is seeded under another name and renamed when complete, so a worker that dies
 * half-way leaves nothing that looks finished.
 */
async function demoTemplate(adminUrl: string, base: string): Promise<string> {
  const name = `${base}_demo`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [DEMO_TEMPLATE_LOCK]);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return name;
    const building = `${name}_seeding`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building} TEMPLATE ${base}`);
    await seedDemo(withDatabase(adminUrl, building));
    // Nothing may be connected to a database being renamed or used as a template.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [building]);
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [DEMO_TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
}

/** Loads the demo data into a database through the application, as `npm run seed:demo` does. */
async function seedDemo(databaseUrl: string): Promise<void> {
  // Loaded only here, so that test files that never ask for the demo do not load the application.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createApp } = require('../../src/bootstrap') as typeof import('../../src/bootstrap');
  const { loadConfig } = require('../../src/platform/config/app-config') as typeof import('../../src/platform/config/app-config');
  const { createRootLogger } = require('../../src/platform/logging/logger') as typeof import('../../src/platform/logging/logger');
  const { seedDemoData } = require('../../src/demo/seed') as typeof import('../../src/demo/seed');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
    OUTBOX_POLL_MS: '0',
    DATA_ENCRYPTION_KEY: testDataEncryptionKey(),
  });
  const app = await createApp({ config, databaseUrl, logger: createRootLogger(config) });
  try {
    await seedDemoData(app, undefined, demoPassword());
  } finally {
    await app.close();
  }
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
