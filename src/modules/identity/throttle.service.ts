import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityException } from './identity.exceptions';

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

// A throttle row with no failure for this long is forgotten.
const FORGET_AFTER_SECONDS = 24 * 60 * 60;

export function throttleKeys(email: string, ip: string | undefined): string[] {
  const keys = [`account:${email.trim().toLowerCase()}`];
  if (ip) keys.push(`ip:${ip}`);
  return keys;
}

@Injectable()
export class ThrottleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Throws 429 when any key is still waiting out its delay. */
  async assertAllowed(keys: string[]): Promise<void> {
    const rows: { wait: number }[] = await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM blocked_until - now()))::int AS wait
         FROM auth_throttle WHERE key = ANY($1) AND blocked_until > now()
        ORDER BY blocked_until DESC LIMIT 1`,
      [keys],
    );
    if (rows.length) throw IdentityException.throttled(Math.max(rows[0].wait, 1));
  }

  /** Counts a failure atomically (safe with many instances) and sets the next delay. */
  async recordFailure(keys: string[]): Promise<void> {
    for (const key of keys) {
      const rule = RULES[key.startsWith('ip:') ? 'ip' : 'account'];
      await this.dataSource.query(
        `INSERT INTO auth_throttle AS t (key, failures, last_failure_at, blocked_until)
              VALUES ($1, 1, now(), NULL)
         ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
              last_failure_at = now()`,
        // Only the parameters the statement uses: PostgreSQL cannot type an unused one, and refuses
        // the whole statement ("could not determine data type of parameter $2").
        [key, FORGET_AFTER_SECONDS],
      );
      await this.dataSource.query(
        `UPDATE auth_throttle
            SET blocked_until = CASE WHEN failures > $2
                  THEN now() + make_interval(secs => least($3, power(2, failures - $2 - 1) * 2))
                  ELSE NULL END
          WHERE key = $1`,
        [key, rule.freeFailures, rule.maxDelaySeconds],
      );
    }
  }

  /** A correct password clears the account's count (not the IP's: one success proves little). */
  async recordSuccess(email: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth_throttle WHERE key = $1`, [`account:${email.trim().toLowerCase()}`]);
  }
}
