import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type pino from 'pino';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { QueueService } from '../../platform/queue/queue.service';
import { MonitoringReportsService } from './monitoring-reports.service';

export const REPORT_REMINDER_QUEUE = 'grants-monitoring-report-reminders';

/**
 * Daily on pg-boss, at 7am London time: reminders about monitoring reports due soon or overdue.
 * Reminders are days apart, so once a day is enough; a day the job misses is caught up the next
 * (each reminder's window is several days wide and each is sent once).
 */
@Injectable()
export class MonitoringRemindersService implements OnApplicationBootstrap {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
    private readonly queue: QueueService,
    private readonly reports: MonitoringReportsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(REPORT_REMINDER_QUEUE);
    await this.queue.boss.schedule(REPORT_REMINDER_QUEUE, '0 7 * * *', {}, { tz: 'Europe/London' });
    await this.queue.boss.work(REPORT_REMINDER_QUEUE, async () => {
      const sent = await this.reports.sendReminders();
      if (sent) this.logger.info({ sent }, 'monitoring report reminders queued');
    });
  }
}
