import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatLondonDateTime } from '@pcc/london-time';
import type pino from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { QueueService } from '../../platform/queue/queue.service';
import { ApplicationsService } from '../applications';
import { RoundsService } from '../funds';
import { UsersService } from '../identity';
import { NotificationsService } from '../notifications';

export const SCORING_REMINDER_QUEUE = 'assessment-scoring-reminders';

/** How long before a round's scoring deadline its assessors are reminded of what they have still to submit. */
export const SCORING_REMINDER_HOURS = 48;

/**
 * Reminds each assessor, 48 hours before a round's scoring deadline, of the assessments they have
 * not submitted there: one email per assessor and round listing them. Runs every 15 minutes on
 * pg-boss. The unsubmitted assessments are claimed by one UPDATE per assessor, so with several app
 * instances (or a run that overlaps the next) each assessor is reminded once, and the email's
 * idempotency key backs that up. An assessment assigned after the reminder went out gets its own.
 */
@Injectable()
export class ScoringRemindersService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly rounds: RoundsService,
    private readonly applications: ApplicationsService,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(SCORING_REMINDER_QUEUE);
    await this.queue.boss.schedule(SCORING_REMINDER_QUEUE, '*/15 * * * *', {}, { tz: 'Europe/London' });
    await this.queue.boss.work(SCORING_REMINDER_QUEUE, async () => {
      const sent = await this.sendDue();
      if (sent) this.logger.info({ sent }, 'scoring reminders queued');
    });
  }

  /** Queues every reminder due now; returns how many emails this call queued. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const windowMs = SCORING_REMINDER_HOURS * 60 * 60 * 1000;
    const rounds = (await this.rounds.list({ publishedOnly: true })).filter(
      (r) => r.scoringClosesAt && now.getTime() >= r.scoringClosesAt.getTime() - windowMs && now < r.scoringClosesAt,
    );
    let sent = 0;
    for (const round of rounds) {
      const assessors: { assessor_id: string }[] = await this.dataSource.query(
        `SELECT DISTINCT assessor_id FROM assessment
          WHERE round_id = $1 AND status IN ('awaiting_declaration', 'in_progress') AND reminder_sent_at IS NULL`,
        [round.id],
      );
      for (const { assessor_id: assessorId } of assessors) {
        const queued = await this.dataSource.transaction(async (m) => {
          // An UPDATE … RETURNING comes back from TypeORM as [rows, count].
          const [claimed] = await m.query<[{ id: string; application_id: string }[], number]>(
            `UPDATE assessment SET reminder_sent_at = $3
              WHERE round_id = $1 AND assessor_id = $2 AND status IN ('awaiting_declaration', 'in_progress') AND reminder_sent_at IS NULL
              RETURNING id, application_id`,
            [round.id, assessorId, now],
          );
          if (!claimed.length) return false; // another worker got there first
          const assessor = (await this.users.staffByIds([assessorId], m)).get(assessorId);
          if (!assessor?.active) return false; // nobody to remind: the claim stands, so a deactivated account is not retried
          const apps = await this.applications.assessable({ ids: claimed.map((c) => c.application_id) }, m);
          const list = apps
            .map((a) => `- ${a.reference ?? 'No reference'}: ${a.organisationName}`)
            .sort()
            .join('\n');
          await this.notifications.enqueue(m, {
            idempotencyKey: `scoring-reminder:${round.id}:${assessorId}:${claimed
              .map((c) => c.id)
              .sort()
              .join(',')}`,
            to: assessor.email,
            template: 'assessment-reminder',
            data: {
              name: assessor.fullName,
              round: round.name,
              due: formatLondonDateTime(round.scoringClosesAt!),
              outstanding: claimed.length === 1 ? '1 assessment' : `${claimed.length} assessments`,
              list,
            },
          });
          await writeAudit(m, {
            action: 'assessment.reminder_sent',
            entityType: 'funding_round',
            entityId: round.id,
            actorLabel: 'system',
            after: { assessorId, assessmentIds: claimed.map((c) => c.id) },
          });
          return true;
        });
        if (queued) sent++;
      }
    }
    return sent;
  }
}
