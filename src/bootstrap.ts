import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { DataCipher } from '@pcc/crypto';
import type pino from 'pino';
import { AppModule } from './app.module';
import { ERROR_CODES } from './error-codes';
import { Clock } from './platform/clock';
import type { AppConfig } from './platform/config/app-config';
import { loadDataEncryptionKey } from './platform/crypto';
import { runPendingMigrations } from './platform/database/migrate';
import { createValidationPipe } from './platform/errors/validation';
import { NestPinoLogger } from './platform/logging/logger';
import { requestContextMiddleware } from './platform/http/request-context.middleware';
import { noStoreMiddleware } from './platform/http/no-store';
import { answerClientErrorsInShape } from './platform/http/client-errors';
import { setupOpenApi } from './platform/http/openapi';
import { safeInputMiddleware, verifyJsonDepth } from './platform/http/safe-input';
import { configureWeb } from './platform/web/web';
import { configureSessions } from './modules/identity';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  logger: pino.Logger;
}

/**
 * Builds the whole application — used by `main.ts` and, unchanged, by the tests, so the tests
 * exercise the same middleware, filters and views that users get.
 */
export async function createApp({ config, databaseUrl, logger }: CreateAppOptions): Promise<NestExpressApplication> {
  // Before the migrations: one of them encrypts values already stored.
  const dataCipher = new DataCipher(loadDataEncryptionKey(config));
  const applied = await runPendingMigrations(databaseUrl, dataCipher);
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl, logger, dataCipher }), {
    logger: new NestPinoLogger(logger),
    // Parsed by us, below, so that the CSRF check (which runs before Nest's router) sees the body.
    bodyParser: false,
  });
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.disable('x-powered-by');
  const clock = app.get(Clock);
  app.use(requestContextMiddleware(logger, () => clock.now()));
  app.use(noStoreMiddleware); // decides when the response is written, after authentication
  configureWeb(app, config);
  // Depth is checked on the raw bytes before parsing; NUL and lone surrogates after it, in every
  // field and query parameter (see platform/http/safe-input.ts).
  app.use(
    express.json({ limit: '1mb', verify: verifyJsonDepth }),
    express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 }),
    safeInputMiddleware,
  );
  configureSessions(app, config);
  app.useGlobalPipes(createValidationPipe());

  setupOpenApi(app, ERROR_CODES);
  answerClientErrorsInShape(app.getHttpServer());
  await app.init();
  return app;
}
