import 'reflect-metadata';
import type { Server } from 'node:http';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './platform/config/app-config';
import { startEmbeddedDatabase } from './platform/database/embedded-database';
import { createRootLogger } from './platform/logging/logger';
import { seedDemoData } from './demo/seed';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createRootLogger(config);

  let databaseUrl = config.databaseUrl;
  let stopDatabase = async () => undefined as void;
  let freshDatabase = false;
  if (!databaseUrl) {
    const db = await startEmbeddedDatabase(config, (m) => logger.info(m));
    databaseUrl = db.url;
    stopDatabase = db.stop;
    freshDatabase = db.created;
    logger.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'embedded PostgreSQL started');
  }

  const app = await createApp({ config, databaseUrl, logger });
  if (freshDatabase && config.seedDemoOnFirstStart) {
    const report = await seedDemoData(app, logger);
    if (report.generatedPassword) {
      process.stdout.write(
        `\nDemo users created (admin@example.org, applicant@example.org, fundmanager@example.org, …).\n` +
          `Their password is: ${report.generatedPassword}\nSet DEMO_PASSWORD to choose it yourself. It is shown only this once.\n\n`,
      );
    }
  }
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as Server;
  logger.info({ url: `http://${config.host}:${config.port}`, publicBaseUrl: config.publicBaseUrl }, 'PCC Grants is ready');

  // Graceful shutdown: stop accepting, let requests in flight finish, then close the job queue,
  // the outbox sender and the database, in that order.
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await app.close();
    await stopDatabase();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`PCC Grants failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
