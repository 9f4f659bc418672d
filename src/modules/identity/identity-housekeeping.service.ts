import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../platform/clock';
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
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(QUEUE);
    await this.queue.boss.schedule(QUEUE, '7 * * * *');
    await this.queue.boss.work(QUEUE, () => this.run());
  }

  async run(): Promise<{ throttles: number; tokens: number; emailQuotas: number }> {
    // The application's clock, as the throttles, links and email limits were written with it.
    const now = this.clock.now();
    const [, throttles] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM auth_throttle WHERE last_failure_at < $1::timestamptz - interval '24 hours' AND (blocked_until IS NULL OR blocked_until < $1)`,
      [now],
    );
    const [, tokens] = await this.dataSource.query<[unknown, number]>(`DELETE FROM security_token WHERE expires_at < $1::timestamptz - interval '30 days'`, [
      now,
    ]);
    // Email limits whose hour is over (see EmailQuotaService).
    const [, emailQuotas] = await this.dataSource.query<[unknown, number]>(`DELETE FROM email_quota WHERE window_start < $1::timestamptz - interval '1 hour'`, [
      now,
    ]);
    return { throttles, tokens, emailQuotas };
  }
}
