import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataCipher } from '@pcc/crypto';
import type pino from 'pino';
import type { DataSourceOptions } from 'typeorm';
import { AccessGuard } from './access';
import { Clock } from './clock';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { DATA_CIPHER } from './crypto/data-cipher.token';
import { dataSourceOptions } from './database/data-source-options';
import { DATABASE_URL } from './database/database.tokens';
import { PinoTypeOrmLogger } from './database/typeorm-logger';
import { AllExceptionsFilter } from './errors/http-exception.filter';
import { HealthController } from './health/health.controller';
import { ROOT_LOGGER } from './logging/logger';
import { QueueService } from './queue/queue.service';

export interface PlatformOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Every entity of every module (src/entities.ts). */
  entities: NonNullable<DataSourceOptions['entities']>;
  logger: pino.Logger;
  /** Encrypts fields at rest; injected as DATA_CIPHER. */
  dataCipher: DataCipher;
}

/** Configuration, logging, the database connection, encryption at rest, jobs, health and error handling. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TerminusModule,
        // Migrations have already run (see migrate.ts) before the module graph is built.
        TypeOrmModule.forRoot(
          dataSourceOptions(options.databaseUrl, { entities: options.entities, logger: new PinoTypeOrmLogger(options.logger), maxQueryExecutionTime: 1000 }),
        ),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: ROOT_LOGGER, useValue: options.logger },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: DATA_CIPHER, useValue: options.dataCipher },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        // Deny by default: every route must declare who may reach it (see access/access.decorators.ts).
        { provide: APP_GUARD, useClass: AccessGuard },
        QueueService,
        Clock,
      ],
      exports: [APP_CONFIG, ROOT_LOGGER, DATABASE_URL, DATA_CIPHER, QueueService, Clock],
    };
  }
}
