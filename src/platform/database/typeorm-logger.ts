import type pino from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's messages in the application's JSON log instead of bare console lines. Failed queries
 * are logged at debug: the error itself reaches the caller, which decides whether it matters
 * (an expected unique violation is not an incident).
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: pino.Logger) {}
  logQuery(): void {}
  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ query: query.slice(0, 500), err: error instanceof Error ? error : new Error(error) }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query: query.slice(0, 500), ms: time }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug({ schema: message }, 'schema');
  }
  logMigration(message: string): void {
    this.logger.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger[level === 'log' ? 'info' : level]({ typeorm: message });
  }
}
