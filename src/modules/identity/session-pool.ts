import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type pino from 'pino';
import { DATABASE_URL } from '../../platform/database/database.tokens';
import { ROOT_LOGGER } from '../../platform/logging/logger';

/** The session store's own small pool, closed with the app so shutdown leaves nothing open. */
@Injectable()
export class SessionPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(DATABASE_URL) databaseUrl: string, @Inject(ROOT_LOGGER) logger: pino.Logger) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 5, application_name: 'pcc-grants-sessions' });
    // An idle connection the server ends (a restart, an administrator, a failover) is reported on
    // the pool; without a listener Node treats it as unhandled and the whole app stops. The pool
    // drops that connection and opens another when next asked, so it is only worth a warning.
    this.pool.on('error', (err) => logger.warn({ err }, 'session store connection lost; it reconnects when next needed'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
