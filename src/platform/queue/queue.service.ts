import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type pino from 'pino';
import { DATABASE_URL } from '../database/database.tokens';
import { ROOT_LOGGER } from '../logging/logger';

/**
 * Background and scheduled jobs on pg-boss, kept in PostgreSQL (schema `pgboss`) so the database
 * is the only server to run. pg-boss creates and upgrades that schema itself; it is the one schema
 * not built by our migrations, because pg-boss versions it alongside its own code.
 */
@Injectable()
export class QueueService implements OnModuleInit, OnApplicationShutdown {
  readonly boss: PgBoss;

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4, application_name: 'pcc-grants-jobs' });
    this.boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Let running jobs finish (up to 10s); anything unfinished is retried by the next instance.
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }
}
