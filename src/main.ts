import 'reflect-metadata';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './bootstrap';
import { seedDemoData } from './demo/seed';
import { type AppConfig, ConfigError, loadConfig } from './platform/config/app-config';
import { startEmbeddedDatabase } from './platform/database/embedded-database';
import { createRootLogger } from './platform/logging/logger';

async function main(): Promise<void> {
  let config: AppConfig;
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

  // What has been started so far, so a signal at any point (even mid start-up) stops exactly that,
  // and never leaves an embedded PostgreSQL running on its own.
  let app: NestExpressApplication | undefined;
  let server: Server | undefined;
  let stopDatabase = async (): Promise<void> => undefined;
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
    let freshDatabase = false;
    if (!databaseUrl) {
      const db = await startEmbeddedDatabase(config, (m) => logger.info(m));
      databaseUrl = db.url;
      stopDatabase = db.stop;
      freshDatabase = db.created;
      logger.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'embedded PostgreSQL started');
    }
    if (shuttingDown) return;

    app = await createApp({ config, databaseUrl, logger });
    if (freshDatabase && config.seedDemoOnFirstStart) {
      const report = await seedDemoData(app, logger);
      if (report.generatedPassword) {
        process.stdout.write(
          `\nDemo users created (admin@example.org, applicant@example.org, fundmanager@example.org, …).\n` +
            `Their password is: ${report.generatedPassword}\nSet DEMO_PASSWORD to choose it yourself. It is shown only this once.\n\n`,
        );
      }
    }
    if (shuttingDown) return;
    await app.listen(config.port, config.host);
    server = app.getHttpServer() as Server;
    logger.info({ url: `http://${config.host}:${config.port}`, publicBaseUrl: config.publicBaseUrl }, 'PCC Grants is ready');
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    await shutdown('start-up failed', 1);
  }
}

main().catch((err) => {
  process.stderr.write(`PCC Grants failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
