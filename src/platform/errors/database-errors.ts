import { HttpStatus } from '@nestjs/common';
import { AppException } from './app-exception';

/** What PostgreSQL (through pg and TypeORM) tells us, where it matters to the client. */
interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  driverError?: PgErrorLike;
  message?: unknown;
}

/** SQLSTATE classes and codes that mean "the database is not there right now", not "your input is wrong". */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08P01']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /connection timeout/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i,
  /terminating connection due to administrator command/i,
];

function isQueryFailed(err: object): boolean {
  const name = (err as { constructor?: { name?: string } }).constructor?.name;
  return name === 'QueryFailedError' || name === 'DatabaseError';
}

/** Seconds a client should wait before retrying after the database went away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export class DatabaseUnavailableException extends AppException {
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;
  constructor() {
    super(
      'service_unavailable',
      'The service is briefly unavailable. Please try again in a few seconds; nothing you sent has been lost or half-saved.',
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/**
 * Turns a database error into what it means for the client, or undefined for a genuine bug.
 * - a lost or refused connection → 503 with Retry-After (the transaction rolled back; retrying is safe);
 * - a unique-constraint race (two identical requests at once) → 409, so the loser learns the
 *   thing already exists instead of seeing a 500;
 * - a serialisation failure or deadlock → 409 "try again".
 * Modules that know a constraint's meaning map it themselves first with a more specific code.
 */
export function mapDatabaseError(err: unknown): AppException | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as PgErrorLike;
  const driver = e.driverError ?? e;
  const code = typeof driver.code === 'string' ? driver.code : typeof e.code === 'string' ? e.code : undefined;
  const message = typeof driver.message === 'string' ? driver.message : typeof e.message === 'string' ? e.message : '';
  // A network error or a dropped connection means "the database is away" only when it came from
  // the database driver; the same codes from anything else (SMTP, a future HTTP call) are bugs
  // to log as such, not outages to hide behind a 503.
  const stack = (err as { stack?: unknown }).stack;
  const fromDatabase = isQueryFailed(err) || (typeof stack === 'string' && /[\\/]node_modules[\\/](pg|pg-pool|typeorm)[\\/]/.test(stack));
  if (code && UNAVAILABLE_CODES.has(code)) return new DatabaseUnavailableException();
  if (fromDatabase && ((code && UNAVAILABLE_NODE_CODES.has(code)) || UNAVAILABLE_MESSAGES.some((re) => re.test(message)))) {
    return new DatabaseUnavailableException();
  }
  if (code === '23505' || code === '23P01') {
    // The constraint's name is internal; modules that know what it means map it themselves with a
    // code and a field (e.g. funds.round_exists naming `referencePrefix`).
    return new AppException('conflict', 'This already exists: it may have just been created by another request. Reload to see it.', HttpStatus.CONFLICT);
  }
  if (code === '40001' || code === '40P01') {
    return new AppException('conflict_retry', 'Someone else changed this at the same moment. Please try again.', HttpStatus.CONFLICT);
  }
  return undefined;
}
