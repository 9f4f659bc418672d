import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { type AppConfig, loadConfig } from '../../src/platform/config/app-config';
import { createRootLogger } from '../../src/platform/logging/logger';
import { createTestDatabase, type TestDatabase, testDataEncryptionKey } from './database';

export interface TestApp {
  app: NestExpressApplication;
  dataSource: DataSource;
  database: TestDatabase;
  config: AppConfig;
  /** The HTTP server for supertest. */
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  logDestination?: pino.DestinationStream;
}

/**
 * The real application (same bootstrap as production) on its own fresh database. The outbox
 * sender's timer is off so tests decide when email is sent.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // TEST_LOG=debug (or info, error…) shows the app's log while debugging a test.
  const level = process.env.TEST_LOG ?? (options.logDestination ? 'info' : 'silent');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: level, OUTBOX_POLL_MS: '0', DATA_ENCRYPTION_KEY: testDataEncryptionKey(), ...options.env });
  const logger = createRootLogger(config, options.logDestination);
  const app = await createApp({ config, databaseUrl: database.url, logger });
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    dataSource,
    database,
    config,
    http: app.getHttpServer(),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
