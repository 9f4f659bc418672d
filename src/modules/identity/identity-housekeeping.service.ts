import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QueueService } from '../../platform/queue/queue.service';

const QUEUE = 'identity-housekeeping';

/**
 * Forgets old failed-sign-in counters, finished email-limit windows and used or expired emailed links, so someone spraying made-up
 * email addresses cannot grow the tables without limit. Hourly on pg-boss (one instance runs it).
 */
@Injectable()
export class IdentityHousekeeping implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: QueueService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(QUEUE);
    await this.queue.boss.schedule(QUEUE, '7 * * * *');
    await this.queue.boss.work(QUEUE, () => this.run());
  }

  async run(): Promise<{ throttles: number; tokens: number; emailQuotas: number }> {
    const [, throttles] = (await this.dataSource.query(
      `DELETE FROM auth_throttle WHERE last_failure_at < now() - interval '24 hours' AND (blocked_until IS NULL OR blocked_until < now())`,
    )) as [unknown, number];
    const [, tokens] = (await this.dataSource.query(`DELETE FROM security_token WHERE expires_at < now() - interval '30 days'`)) as [unknown, number];
    // Email limits whose hour is over (see EmailQuotaService).
    const [, emailQuotas] = (await this.dataSource.query(`DELETE FROM email_quota WHERE window_start < now() - interval '1 hour'`)) as [unknown, number];
    return { throttles, tokens, emailQuotas };
  }
}
