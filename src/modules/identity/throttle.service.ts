import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityException } from './identity.exceptions';
import { clientNetwork } from '../../platform/http/client-address';
import { Clock } from '../../platform/clock';

interface Rule {
  freeFailures: number;
  maxDelaySeconds: number;
}

// An account gets 5 free tries, an IP address 20 (offices and libraries share addresses).
// After that each failure doubles the wait, up to 15 minutes — never a permanent lock.
const RULES: Record<'account' | 'ip', Rule> = {
  account: { freeFailures: 5, maxDelaySeconds: 15 * 60 },
  ip: { freeFailures: 20, maxDelaySeconds: 15 * 60 },
};

/** How many checks a burst can get through before the first delay: the free ones and one more. */
export const ATTEMPTS_BEFORE_DELAY = { account: RULES.account.freeFailures + 1, ip: RULES.ip.freeFailures + 1 };

// A throttle row with no failure for this long is forgotten.
const FORGET_AFTER_SECONDS = 24 * 60 * 60;

export function throttleKeys(email: string, ip: string | undefined): string[] {
  const keys = [`account:${email.trim().toLowerCase()}`];
  const network = clientNetwork(ip);
  if (network) keys.push(`ip:${network}`);
  // Always locked in the same order, so two requests sharing keys cannot deadlock.
  return keys.sort();
}

const ruleFor = (key: string) => RULES[key.startsWith('ip:') ? 'ip' : 'account'];

/**
 * Reserve, then check. An attempt is counted as a failure *before* the password or code is
 * checked, in one conditional upsert per key that holds the row lock until the reservation
 * commits; only an attempt that turns out right gives its reservation back. Checking first and
 * counting afterwards (as this once did) let a burst of parallel guesses all pass the check
 * before any of them was counted.
 */
@Injectable()
export class ThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts one attempt against every key, or none: throws 429 (and counts nothing) when any key
   * is still waiting out its delay. Safe with any number of requests and app instances at once.
   * Returns the reservations, for `release` when the attempt turns out right.
   */
  async reserve(keys: string[]): Promise<Reservation[]> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const reservations: Reservation[] = [];
        // The application's clock ($5 below), so tests can move time past a delay.
        const now = this.clock.now();
        for (const key of keys) {
          const rule = ruleFor(key);
          // Locks the row (when there is one) for the rest of this transaction and remembers the
          // delay as it was, so that giving this reservation back can restore it exactly.
          const [before] = await m.query<
            {
              blocked_until: string | null;
            }[]
          >(`SELECT blocked_until::text AS blocked_until FROM auth_throttle WHERE key = $1 FOR UPDATE`, [key]);
          // The DO UPDATE ... WHERE skips (and returns no row for) a key that is blocked right
          // now. A reservation that takes the count past the free ones also sets the delay, so
          // the very next parallel attempt already sees it.
          const rows = await m.query<{ failures: number; at: string }[]>(
            `INSERT INTO auth_throttle AS t (key, failures, last_failure_at, blocked_until)
                  VALUES ($1, 1, $5, NULL)
             ON CONFLICT (key) DO UPDATE SET
                  failures = ${NEW_COUNT},
                  last_failure_at = $5,
                  blocked_until = CASE WHEN ${NEW_COUNT} > $3
                    THEN $5::timestamptz + make_interval(secs => least($4, power(2, ${NEW_COUNT} - $3 - 1) * 2))
                    ELSE NULL END
                WHERE t.blocked_until IS NULL OR t.blocked_until <= $5
             RETURNING failures, last_failure_at::text AS at`,
            [key, FORGET_AFTER_SECONDS, rule.freeFailures, rule.maxDelaySeconds, now],
          );
          // Throwing rolls back the keys already counted: a refused attempt counts nowhere.
          if (rows.length === 0) throw new Refused(key);
          reservations.push({ key, failures: rows[0].failures, at: rows[0].at, previousBlockedUntil: before?.blocked_until ?? null });
        }
        return reservations;
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
    }
    throw IdentityException.throttled(await this.waitFor(keys));
  }

  /**
   * Gives back the reservations of an attempt that turned out to be right: the count goes down by
   * one, and when nobody else has tried since, the delay goes back to what it was. A delay set by
   * someone else's attempt in the meantime stays: it was earned by that attempt.
   */
  async release(reservations: Reservation[]): Promise<void> {
    for (const r of reservations) {
      await this.dataSource.query(
        `UPDATE auth_throttle
            SET failures = greatest(failures - 1, 0),
                blocked_until = CASE WHEN failures = $2 AND last_failure_at = $3::timestamptz THEN $4::timestamptz ELSE blocked_until END
          WHERE key = $1`,
        [r.key, r.failures, r.at, r.previousBlockedUntil],
      );
    }
  }

  /** The longest wait among the keys, in whole seconds (at least 1). */
  private async waitFor(keys: string[]): Promise<number> {
    const rows: { wait: number | null }[] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM max(blocked_until) - $2::timestamptz))::int AS wait FROM auth_throttle WHERE key = ANY($1) AND blocked_until > $2`,
      [keys, this.clock.now()],
    );
    return Math.max(rows[0]?.wait ?? 1, 1);
  }

  /**
   * A fully successful sign-in clears the account's count, and gives back the IP's reservation
   * (the IP keeps its other failures: one success proves little about the rest of an address).
   */
  async recordSuccess(email: string, reservations: Reservation[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth_throttle WHERE key = $1`, [`account:${email.trim().toLowerCase()}`]);
    await this.release(reservations.filter((r) => r.key.startsWith('ip:')));
  }
}

/** One counted attempt against one key, as `release` needs it to give the attempt back. */
export interface Reservation {
  key: string;
  /** The count this attempt made. */
  failures: number;
  /** Its time, as PostgreSQL wrote it (compared as text, so exactly). */
  at: string;
  previousBlockedUntil: string | null;
}

// The count after this attempt: 1 again when the last failure was long ago.
const NEW_COUNT = `CASE WHEN t.last_failure_at < $5::timestamptz - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END`;

class Refused extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}
