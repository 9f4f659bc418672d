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
    this.boss.on('error', (err) => {
      // 57P01 (admin_shutdown) and a closed pool are what stopping looks like from inside the
      // queue's polling loop; they are not faults to wake anyone for.
      if (this.stopping && isShutdownError(err)) this.logger.debug({ err }, 'job queue stopped while polling');
      else this.logger.error({ err }, 'job queue error');
    });
  }

  private stopping = false;

  async onModuleInit(): Promise<void> {
    await this.boss.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // Let running jobs finish (up to 10s); anything unfinished is retried by the next instance.
    await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
  }
}

function isShutdownError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '57P01' || /Connection terminated|pool (is|was) (ended|closed)|Cannot use a pool after calling end/i.test(e?.message ?? '');
}
