import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pino from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { isPermanentFailure, MAIL_TRANSPORT, type MailTransport } from './mail-transport';

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  attempts: number;
}

export interface SendReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * How long a claim lasts unless renewed. Short, so that when a sender dies (a crash, a killed
 * container) its messages go out from another sender within seconds; a live sender renews its
 * claims every third of this while it works through a batch (see startHeartbeat), however slow
 * the mail server is.
 */
export const DEFAULT_LEASE_MS = 15_000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

/** A claim is named by (id, attempts): every claim increments attempts, so no two claims share it. */
type ClaimKey = { id: string; attempts: number };

/**
 * Delivers outbox messages. Any number of app instances may run this at once: a message is claimed
 * with `FOR UPDATE SKIP LOCKED` for a short, renewed lease, so each is handed to exactly one
 * sender at a time. While SMTP is down a message waits with exponential backoff (capped at an
 * hour) and is never dropped; a message the server refuses outright (a 5xx to its recipient or
 * content, see isPermanentFailure) is marked failed and kept for an admin to see.
 *
 * When the database fails mid-batch, the messages not yet sent are released (status back to
 * pending) rather than left claimed; if the database is still unreachable, the release — and the
 * "sent" mark of a message the mail server had already accepted — is retried first thing on the
 * next run, so email resumes within a poll interval of the database's return. Should this process
 * die meanwhile, its leases run out within DEFAULT_LEASE_MS.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** Lease length for new and renewed claims. Tests shorten it; nothing else should. */
  leaseMs = DEFAULT_LEASE_MS;
  /** Claimed, not sent, and the database failed before they could be handed back. */
  private readonly unreleased = new Map<string, ClaimKey>();
  /** Accepted by the mail server, and the database failed before they could be marked sent. */
  private readonly unrecorded = new Map<string, ClaimKey & { channel: string }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outboxPollMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    // Best effort: hand back anything still held so another instance need not wait for the lease.
    await this.settleLeftovers().catch((err) => this.logger.warn({ err }, 'outbox claims not released at shutdown; their leases will expire'));
    this.transport.close();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sendDue()
        .catch((err) => this.logger.error({ err }, 'outbox sender failed'))
        .finally(() => this.schedule());
    }, this.config.outboxPollMs);
    this.timer.unref();
  }

  /** Sends every message that is due now, in batches. */
  async sendDue(batchSize = 50): Promise<SendReport> {
    const report: SendReport = { sent: 0, retrying: 0, failed: 0 };
    // What a database failure left undone comes first: until it is settled those messages are
    // neither claimable by others nor recorded as sent. Throws while the database is still down.
    await this.settleLeftovers();
    for (;;) {
      const claimed = await this.claim(batchSize);
      await this.sendBatch(claimed, report);
      if (claimed.length < batchSize || this.stopped) return report;
    }
  }

  /** Messages left over from a database failure (see sendDue): record the sent, release the rest. */
  private async settleLeftovers(): Promise<void> {
    for (const [id, claim] of this.unrecorded) {
      await this.recordSent(claim, claim.channel);
      this.unrecorded.delete(id);
    }
    if (this.unreleased.size > 0) {
      await this.release([...this.unreleased.values()]);
      this.unreleased.clear();
    }
  }

  private async sendBatch(claimed: ClaimedRow[], report: SendReport): Promise<void> {
    const held = new Map<string, ClaimKey>(claimed.map((r) => [r.id, { id: r.id, attempts: r.attempts }]));
    const heartbeat = this.startHeartbeat(held);
    try {
      for (const row of claimed) {
        await this.deliver(row, report);
        held.delete(row.id);
      }
    } catch (err) {
      // The database failed (a mail server failure is handled inside deliver). Whatever this
      // sender still holds has not been sent: hand it back now if the database answers — it may
      // have been one dropped connection — or on the next run, instead of sitting on it until
      // the lease runs out.
      for (const claim of held.values()) if (!this.unrecorded.has(claim.id)) this.unreleased.set(claim.id, claim);
      await this.settleLeftovers().catch((releaseErr) =>
        this.logger.warn(
          { err: releaseErr, held: this.unreleased.size, unrecorded: this.unrecorded.size },
          'outbox claims kept until the database answers again',
        ),
      );
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Renews the batch's claims every third of a lease while it is being sent, so a slow mail server
   * cannot make a live sender's claims lapse (and its messages go twice), and a dead sender's lapse
   * within one lease. A claim that did not renew has been taken over: it is dropped from `held`,
   * and deliver's own check skips it.
   */
  private startHeartbeat(held: Map<string, ClaimKey>): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        if (held.size === 0) return;
        const claims = [...held.values()];
        this.renew(claims).then(
          (renewed) => {
            for (const c of claims) if (!renewed.has(c.id)) held.delete(c.id);
          },
          (err) => this.logger.warn({ err }, 'outbox claims not renewed'),
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return timer;
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const [rows] = await this.dataSource.query<[ClaimedRow[], number]>(
      `UPDATE notification_outbox o
          SET status = 'sending', attempts = o.attempts + 1, locked_until = now() + make_interval(secs => $2)
        WHERE o.id IN (
          SELECT id FROM notification_outbox
           WHERE (status = 'pending' AND next_attempt_at <= now())
              OR (status = 'sending' AND locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING o.id, o.to_address, o.subject, o.text_body, o.html_body, o.message_id, o.attempts`,
      [limit, this.leaseMs / 1000],
    );
    return rows;
  }

  /** Extends those of these claims that are still ours; returns their ids. */
  private async renew(claims: ClaimKey[]): Promise<Set<string>> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE notification_outbox o SET locked_until = now() + make_interval(secs => $3)
         FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
        WHERE o.id = c.id AND o.attempts = c.attempts AND o.status = 'sending'
        RETURNING o.id`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts), this.leaseMs / 1000],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Hands unsent claims back: pending and due at once. `attempts` keeps its increment, so that
   * (id, attempts) never names two claims: a release retried after a lost reply cannot then undo
   * a later sender's claim. (The cost: one more step of backoff if the message later fails.)
   */
  private async release(claims: ClaimKey[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_outbox o SET status = 'pending', locked_until = NULL
         FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
        WHERE o.id = c.id AND o.attempts = c.attempts AND o.status = 'sending'`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    );
  }

  private async recordSent(claim: ClaimKey, channel: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_outbox
          SET status = 'sent', sent_at = now(), delivered_via = $2, locked_until = NULL, last_error = NULL
        WHERE id = $1 AND status = 'sending' AND attempts = $3`,
      [claim.id, channel, claim.attempts],
    );
  }

  private async deliver(row: ClaimedRow, report: SendReport): Promise<void> {
    // The heartbeat keeps the batch's claims alive, but one may still have been taken over (this
    // sender stalled past its lease: a paused process, a lost database). Check just before sending
    // that the claim (id, attempts) is still ours, and leave the message alone if it is not.
    const renewed = await this.renew([{ id: row.id, attempts: row.attempts }]);
    if (!renewed.has(row.id)) {
      this.logger.warn({ outboxId: row.id, attempts: row.attempts }, 'email claim taken over by another sender; not sending');
      return;
    }
    try {
      await this.transport.send({
        from: this.config.mailFrom,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: row.message_id,
      });
    } catch (err) {
      const permanent = isPermanentFailure(err);
      const delayMs = Math.min(this.config.outboxRetryBaseMs * 2 ** (row.attempts - 1), MAX_BACKOFF_MS);
      // Should this fail too (the database is down as well), the caller releases the message.
      await this.dataSource.query(
        `UPDATE notification_outbox
            SET status = $2, last_error = $3, locked_until = NULL,
                next_attempt_at = now() + make_interval(secs => $4)
          WHERE id = $1 AND status = 'sending' AND attempts = $5`,
        [row.id, permanent ? 'failed' : 'pending', String((err as Error)?.message ?? err).slice(0, 1000), delayMs / 1000, row.attempts],
      );
      this.logger.warn({ outboxId: row.id, attempts: row.attempts, permanent, err: (err as Error)?.message }, 'email not sent');
      if (permanent) report.failed++;
      else report.retrying++;
      return;
    }
    report.sent++;
    try {
      await this.recordSent(row, this.transport.channel);
    } catch (err) {
      // The mail server has it: releasing it would send it again. Keep it claimed and record it
      // as sent as soon as the database answers (settleLeftovers).
      this.unrecorded.set(row.id, { id: row.id, attempts: row.attempts, channel: this.transport.channel });
      throw err;
    }
  }
}
