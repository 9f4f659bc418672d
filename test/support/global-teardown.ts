import * as fs from 'node:fs';
import { Client } from 'pg';
import { ADMIN_URL_ENV, RUN_DIR_ENV, TEMPLATE_ENV } from './database';

export default async function globalTeardown(): Promise<void> {
  if (process.env[RUN_DIR_ENV]) fs.rmSync(process.env[RUN_DIR_ENV], { recursive: true, force: true });
  const state = (globalThis as Record<string, unknown>).__PCC_TEST_PG__ as { pg: { stop(): Promise<void> }; dir: string } | undefined;
  if (state) {
    await state.pg.stop();
    fs.rmSync(state.dir, { recursive: true, force: true });
    return;
  }
  // On a shared server (TEST_DATABASE_URL), remove what this run created.
  const admin = new Client({ connectionString: process.env[ADMIN_URL_ENV] });
  await admin.connect();
  const template = process.env[TEMPLATE_ENV]!;
  // The template, the demo template, and every file's copy of either (all named <template>_…).
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)`, [
    template,
    `${template}_`,
  ]);
  for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  await admin.end();
}
