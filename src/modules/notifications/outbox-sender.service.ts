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

/** How long a sender may hold a message before another sender assumes it died and takes over. */
const CLAIM_SECONDS = 120;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Delivers outbox messages. Any number of app instances may run this at once: a message is claimed
 * with `FOR UPDATE SKIP LOCKED`, so each is handed to exactly one sender at a time. While SMTP is
 * down a message waits with exponential backoff (capped at an hour) and is never dropped; a message
 * the server refuses outright (a 5xx to its recipient or content, see isPermanentFailure) is marked
 * failed and kept for an admin to see.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

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
    for (;;) {
      const claimed = await this.claim(batchSize);
      for (const row of claimed) await this.deliver(row, report);
      if (claimed.length < batchSize || this.stopped) return report;
    }
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const [rows] = (await this.dataSource.query(
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
      [limit, CLAIM_SECONDS],
    )) as [ClaimedRow[], number];
    return rows;
  }

  private async deliver(row: ClaimedRow, report: SendReport): Promise<void> {
    // A batch is claimed at once but sent one message at a time, so with a slow or hanging SMTP
    // server the claim on the last messages can run out while they wait; another sender then takes
    // them over. (id, attempts) names this claim, since every claim increments attempts: renew it
    // just before sending, and leave the message alone if it is no longer ours.
    const [renewed] = (await this.dataSource.query(
      `UPDATE notification_outbox SET locked_until = now() + make_interval(secs => $3)
        WHERE id = $1 AND status = 'sending' AND attempts = $2
        RETURNING id`,
      [row.id, row.attempts, CLAIM_SECONDS],
    )) as [unknown[], number];
    if (renewed.length === 0) {
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
    await this.dataSource.query(
      `UPDATE notification_outbox
          SET status = 'sent', sent_at = now(), delivered_via = $2, locked_until = NULL, last_error = NULL
        WHERE id = $1 AND status = 'sending' AND attempts = $3`,
      [row.id, this.transport.channel, row.attempts],
    );
    report.sent++;
  }
}
