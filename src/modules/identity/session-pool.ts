import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DATABASE_URL } from '../../platform/database/database.tokens';

/** The session store's own small pool, closed with the app so shutdown leaves nothing open. */
@Injectable()
export class SessionPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(DATABASE_URL) databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 5, application_name: 'pcc-grants-sessions' });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
