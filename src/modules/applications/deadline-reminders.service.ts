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
import { type FundingRound, RoundsService } from '../funds';
import { OrganisationsService, UsersService } from '../identity';
import { NotificationsService } from '../notifications';

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
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
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
    // The rounds come from the funds module (its tables are its own); their close and reminder
    // settings are passed into the query as arrays, so the drafts are still found in one query.
    const rounds = new Map((await this.rounds.list({ publishedOnly: true })).map((r) => [r.id, r]));
    if (!rounds.size) return 0;
    const list = [...rounds.values()];
    const due: { id: string; round_id: string; closes_at: Date }[] = await this.dataSource.query(
      `WITH r(id, closes_at, hours) AS (SELECT * FROM unnest($2::uuid[], $3::timestamptz[], $4::int[]))
       SELECT a.id, a.round_id, c.closes_at FROM application a JOIN r ON r.id = a.round_id
         LEFT JOIN deadline_extension e ON e.round_id = a.round_id AND e.organisation_id = a.organisation_id
         CROSS JOIN LATERAL (SELECT GREATEST(r.closes_at, e.closes_at) AS closes_at) c
        WHERE a.status = 'draft' AND a.reminder_sent_at IS NULL
          AND $1::timestamptz >= c.closes_at - make_interval(hours => r.hours)
          AND $1::timestamptz < date_trunc('minute', c.closes_at) + interval '1 minute'`,
      [now, list.map((r) => r.id), list.map((r) => r.closesAt), list.map((r) => r.reminderHoursBefore)],
    );
    let claimed = 0;
    for (const { id, round_id, closes_at } of due) {
      const round = rounds.get(round_id) as FundingRound;
      const sent = await this.dataSource.transaction(async (m) => {
        const [rows] = await m.query<[unknown[], number]>(
          `UPDATE application SET reminder_sent_at = $2 WHERE id = $1 AND reminder_sent_at IS NULL AND status = 'draft' RETURNING id`,
          [id, now],
        );
        if (!rows.length) return false; // another worker got there first
        const [app] = await m.query<{ organisation_id: string; created_by: string }[]>(`SELECT organisation_id, created_by FROM application WHERE id = $1`, [
          id,
        ]);
        const [organisation, creator] = [await this.organisations.find(app.organisation_id, m), await this.users.findById(app.created_by, m)];
        const recipients = [organisation?.contactEmail, creator?.email].filter((e): e is string => !!e);
        for (const to of new Set<string>(recipients)) {
          await this.notifications.enqueue(m, {
            idempotencyKey: `deadline-reminder:${id}:${to}`,
            to,
            template: 'deadline-reminder',
            data: {
              organisation: organisation?.name ?? '',
              round: round.name,
              closes: formatLondonDateTime(closes_at),
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
