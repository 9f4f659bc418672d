import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatLondonDateTime } from '@pcc/london-time';
import type pino from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { QueueService } from '../../platform/queue/queue.service';
import { NotificationsService } from '../notifications/notifications.service';

export const REMINDER_QUEUE = 'applications-deadline-reminders';

/**
 * Tells organisations with an unsubmitted draft that the round is about to close, a set number of
 * hours before (per round) their own close: the round's, or their deadline extension's if later
 * (as ApplicationsService.closingMinuteFor decides). Runs every 15 minutes on pg-boss; with several app instances, each draft
 * is claimed by one atomic UPDATE, and the email's idempotency key backs that up, so it is sent once.
 */
@Injectable()
export class DeadlineRemindersService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(REMINDER_QUEUE);
    await this.queue.boss.schedule(REMINDER_QUEUE, '*/15 * * * *', {}, { tz: 'Europe/London' });
    await this.queue.boss.work(REMINDER_QUEUE, async () => {
      const sent = await this.sendDue();
      if (sent) this.logger.info({ sent }, 'deadline reminders queued');
    });
  }

  /** Queues every reminder that is due now; returns how many this call claimed. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT a.id FROM application a JOIN funding_round r ON r.id = a.round_id
         LEFT JOIN deadline_extension e ON e.round_id = a.round_id AND e.organisation_id = a.organisation_id
         CROSS JOIN LATERAL (SELECT GREATEST(r.closes_at, e.closes_at) AS closes_at) c
        WHERE a.status = 'draft' AND a.reminder_sent_at IS NULL AND r.state = 'published'
          AND $1::timestamptz >= c.closes_at - make_interval(hours => r.reminder_hours_before)
          AND $1::timestamptz < date_trunc('minute', c.closes_at) + interval '1 minute'`,
      [now],
    );
    let claimed = 0;
    for (const { id } of due) {
      const sent = await this.dataSource.transaction(async (m) => {
        const [rows] = (await m.query(
          `UPDATE application SET reminder_sent_at = $2 WHERE id = $1 AND reminder_sent_at IS NULL AND status = 'draft' RETURNING id`,
          [id, now],
        )) as [unknown[], number];
        if (!rows.length) return false; // another worker got there first
        const [info] = await m.query(
          `SELECT o.name AS organisation, o.contact_email, u.email AS creator_email, r.name AS round,
                  GREATEST(r.closes_at, e.closes_at) AS closes_at
             FROM application a JOIN organisation o ON o.id = a.organisation_id
             JOIN funding_round r ON r.id = a.round_id JOIN user_account u ON u.id = a.created_by
             LEFT JOIN deadline_extension e ON e.round_id = a.round_id AND e.organisation_id = a.organisation_id
            WHERE a.id = $1`,
          [id],
        );
        for (const to of new Set<string>([info.contact_email, info.creator_email])) {
          await this.notifications.enqueue(m, {
            idempotencyKey: `deadline-reminder:${id}:${to}`,
            to,
            template: 'deadline-reminder',
            data: {
              organisation: info.organisation,
              round: info.round,
              closes: formatLondonDateTime(info.closes_at),
              link: `${this.config.publicBaseUrl}/applications/${id}`,
            },
          });
        }
        await writeAudit(m, { action: 'application.deadline_reminder_sent', entityType: 'application', entityId: id, actorLabel: 'system' });
        return true;
      });
      if (sent) claimed++;
    }
    return claimed;
  }
}
