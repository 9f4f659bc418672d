import { Injectable } from '@nestjs/common';
import { currentContext } from '@pcc/request-context';
import type { EntityManager } from 'typeorm';
import { IdentityException } from './identity.exceptions';
import { clientNetwork } from '../../platform/http/client-address';
import { Clock } from '../../platform/clock';

/**
 * How many emails one address may be sent, and one sender may cause, in an hour: invitations,
 * password resets, "account already exists" and verification emails. Without a limit anyone
 * could make the service mail a stranger over and over (a harassment tool, and a way to get our
 * sending domain blocked). A sender is the signed-in account, or the IP address of someone not
 * signed in — offices and libraries share addresses, so an address gets more than an account.
 */
export const EMAIL_LIMITS = { recipient: 5, account: 10, ip: 20 } as const;
const WINDOW_SECONDS = 60 * 60;

export interface EmailSender {
  /** The signed-in account causing the email; without one, the request's IP address is the sender. */
  userId?: string | null;
}

@Injectable()
export class EmailQuotaService {
  constructor(private readonly clock: Clock) {}

  /**
   * Counts one email to `to` and from the sender inside the caller's transaction, or throws 429
   * (identity.too_many_emails, with Retry-After) when either has had its share this hour. Each
   * count is one conditional upsert whose row lock is held to the end of the transaction, so
   * parallel requests queue on it and the limit is exact; if the caller's change rolls back, so
   * does the count.
   */
  async consume(m: EntityManager, to: string, sender: EmailSender): Promise<void> {
    // The recipient's allowance is kept in two buckets: emails strangers can trigger without
    // signing in (resets, "account already exists"), and emails a signed-in person sends
    // (invitations). Otherwise anyone could spend an address's hour on reset requests and so block
    // an organisation owner's or an administrator's invitation to it.
    const bucket = sender.userId ? 'invited' : 'anonymous';
    const keys: [string, number][] = [[`to:${bucket}:${to.trim().toLowerCase()}`, EMAIL_LIMITS.recipient]];
    const ip = currentContext()?.ip;
    if (sender.userId) keys.push([`from:user:${sender.userId}`, EMAIL_LIMITS.account]);
    else if (ip) keys.push([`from:ip:${clientNetwork(ip)}`, EMAIL_LIMITS.ip]);
    // In a fixed order, so two requests sharing keys cannot deadlock.
    keys.sort(([a], [b]) => a.localeCompare(b));
    // The application's clock decides when an hour is over, so tests can move it.
    const now = this.clock.now();
    for (const [key, limit] of keys) {
      // A window starts with the first email and lasts an hour; the next email after it starts a
      // new one. The DO UPDATE ... WHERE leaves a full window alone and returns no row.
      const rows = await m.query<unknown[]>(
        `INSERT INTO email_quota AS q (key, window_start, sent) VALUES ($1, $4, 1)
         ON CONFLICT (key) DO UPDATE SET
              window_start = CASE WHEN q.window_start <= $4::timestamptz - make_interval(secs => $3) THEN $4 ELSE q.window_start END,
              sent = CASE WHEN q.window_start <= $4::timestamptz - make_interval(secs => $3) THEN 1 ELSE q.sent + 1 END
            WHERE q.window_start <= $4::timestamptz - make_interval(secs => $3) OR q.sent < $2
         RETURNING sent`,
        [key, limit, WINDOW_SECONDS, now],
      );
      if (rows.length === 0) {
        const [{ wait }] = await m.query<{ wait: number }[]>(
          `SELECT ceil(extract(epoch FROM window_start + make_interval(secs => $2) - $3::timestamptz))::int AS wait FROM email_quota WHERE key = $1`,
          [key, WINDOW_SECONDS, now],
        );
        throw IdentityException.tooManyEmails(Math.max(wait, 1));
      }
    }
  }
}
