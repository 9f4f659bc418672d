import 'reflect-metadata';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './bootstrap';
import { hasDemoData, seedDemoData } from './demo/seed';
import { type AppConfig, ConfigError, loadConfig, loadEnvFile } from './platform/config/app-config';
import { startEmbeddedDatabase } from './platform/database/embedded-database';
import { createRootLogger } from './platform/logging/logger';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    // config/.env.example says to copy it to .env: read it, without overriding the environment.
    loadEnvFile(path.resolve('.env'));
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createRootLogger(config);
  // V8 lets the old generation reach up to four times its live size before a full collection. A
  // long export (100,000 grants of open data) makes garbage that outlives the young generation,
  // so the process grew to 300+ MB holding about 60 MB of live data. A tighter growth factor keeps
  // it near what is in use (bench/open-data.js measures both) for a few more, short, collections.
  // It is read at each collection, so setting it here, before the app starts, takes effect.
  if (config.heapGrowthPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`);

  // What has been started so far, so a signal at any point (even mid start-up) stops exactly that,
  // and never leaves an embedded PostgreSQL running on its own.
  let app: NestExpressApplication | undefined;
  let server: Server | undefined;
  let stopDatabase = (): Promise<void> => Promise.resolve();
  let shuttingDown = false;

  // Graceful shutdown: stop accepting, let requests in flight finish, then close the job queue,
  // the outbox sender and the database, in that order.
  const shutdown = async (reason: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    if (server) {
      const open = server;
      const force = setTimeout(() => open.closeAllConnections(), config.shutdownGraceMs);
      force.unref();
      await new Promise<void>((resolve) => {
        open.close(() => resolve());
        open.closeIdleConnections();
      });
      clearTimeout(force);
    }
    await app?.close();
    await stopDatabase();
    logger.info('stopped');
    logger.flush();
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const db = await startEmbeddedDatabase(
        config,
        (m) => logger.info(m),
        (m) => logger.debug(m),
      );
      databaseUrl = db.url;
      stopDatabase = db.stop;
      logger.info({ dataDir: config.dataDir, port: db.port }, 'embedded PostgreSQL started');
    }
    if (shuttingDown) return;

    app = await createApp({ config, databaseUrl, logger });
    // Seed whenever the embedded database has no demo data yet — not only when its folder was
    // just created, which a failed or interrupted first start would otherwise leave empty forever.
    if (!config.databaseUrl && config.seedDemoOnFirstStart && !(await hasDemoData(app))) {
      const password = pendingDemoPassword(config);
      const report = await seedDemoData(app, logger, password.value);
      if (password.generated && (report.usersCreated > 0 || password.fromEarlierStart)) {
        process.stdout.write(
          `\nDemo users created (admin@example.org, applicant@example.org, fundmanager@example.org, …).\n` +
            `Their password is: ${password.value}\nSet DEMO_PASSWORD to choose it yourself. It is shown only this once.\n\n`,
        );
      }
      password.done();
    }
    if (shuttingDown) return;
    await app.listen(config.port, config.host);
    server = app.getHttpServer();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ url: `http://${config.host}:${port}`, publicBaseUrl: config.publicBaseUrl }, 'PCC Grants is ready');
  } catch (err) {
    // The reason goes in the message itself, so the one line a newcomer reads says what to do.
    logger.fatal({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown('start-up failed', 1);
  }
}

/**
 * The generated demo password, kept in DATA_DIR (owner-only) until the demo data is fully loaded,
 * so a first start interrupted half-way through seeding still shows the password that the demo
 * users already have when the next start finishes the job.
 */
function pendingDemoPassword(config: AppConfig): { value: string | undefined; generated: boolean; fromEarlierStart: boolean; done(): void } {
  if (config.demoPassword) return { value: config.demoPassword, generated: false, fromEarlierStart: false, done: () => undefined };
  const file = path.join(config.dataDir, 'demo-password.pending');
  let value: string | undefined;
  try {
    value = fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    // none pending
  }
  const fromEarlierStart = value !== undefined;
  // Readable but not guessable: words and numbers, like the advice we give applicants.
  value ??= `demo-${randomBytes(4).toString('hex')}-grants-${randomBytes(2).toString('hex')}`;
  fs.writeFileSync(file, value, { mode: 0o600 });
  return { value, generated: true, fromEarlierStart, done: () => fs.rmSync(file, { force: true }) };
}

main().catch((err) => {
  process.stderr.write(`PCC Grants failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
