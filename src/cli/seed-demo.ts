import 'reflect-metadata';
import * as path from 'node:path';
import { createApp } from '../bootstrap';
import { ConfigError, loadConfig, loadEnvFile } from '../platform/config/app-config';
import { startEmbeddedDatabase } from '../platform/database/embedded-database';
import { createRootLogger } from '../platform/logging/logger';
import { seedDemoData } from '../demo/seed';

/** `npm run seed:demo`: loads the demo data into DATABASE_URL, or into the embedded database. */
async function run() {
  loadEnvFile(path.resolve('.env')); // as the app does: the environment wins over .env
  const config = { ...loadConfig(process.env), outboxPollMs: 0 };
  const logger = createRootLogger(config);
  let databaseUrl = config.databaseUrl;
  let stop = (): Promise<void> => Promise.resolve();
  if (!databaseUrl) {
    const db = await startEmbeddedDatabase(config, (m) => logger.info(m));
    databaseUrl = db.url;
    stop = db.stop;
  }
  const app = await createApp({ config, databaseUrl, logger });
  try {
    const report = await seedDemoData(app, logger);
    const { generatedPassword, ...counts } = report;
    process.stdout.write(`Demo data loaded: ${JSON.stringify(counts)}\n`);
    if (generatedPassword) process.stdout.write(`Demo users' password: ${generatedPassword} (set DEMO_PASSWORD to choose it)\n`);
  } finally {
    await app.close();
    await stop();
  }
}

/** What to print for a failure: its stack when it has one. */
function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : errorText(err)}\n`);
  process.exit(1);
});
