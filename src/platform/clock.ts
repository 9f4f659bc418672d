import { Inject, Injectable } from '@nestjs/common';
import { currentContext } from '@pcc/request-context';
import { APP_CONFIG, type AppConfig } from './config/app-config';

/**
 * The time as the application sees it. Deadlines are judged against this, once, when a request
 * arrives — not after it has queued for a lock — so a bid sent in the last second is not refused
 * because others were sent at the same moment. Tests move it to exact instants around a deadline;
 * outside NODE_ENV=test it cannot be moved.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /**
   * When the current request arrived (noted by the first middleware, before any waiting for a
   * database connection or a lock); the time now outside a request.
   */
  requestArrival(): Date {
    const received = currentContext()?.receivedAt;
    return received ? new Date(received) : this.now();
  }

  set(instant: Date | null): void {
    if (this.config.nodeEnv !== 'test') throw new Error('The clock can only be set in tests');
    this.fixed = instant;
  }
}
