import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type pino from 'pino';
import { ROOT_LOGGER } from '../../platform/logging/logger';
import { QueueService } from '../../platform/queue/queue.service';
import { GrantsService } from './grants.service';

export const GRANT_LAPSE_QUEUE = 'grants-lapse-offers';

/** Every 15 minutes on pg-boss: offers not accepted within the round's offer period lapse, and their money goes back to the round. */
@Injectable()
export class GrantLapsesService implements OnApplicationBootstrap {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: pino.Logger,
    private readonly queue: QueueService,
    private readonly grants: GrantsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss.createQueue(GRANT_LAPSE_QUEUE);
    await this.queue.boss.schedule(GRANT_LAPSE_QUEUE, '*/15 * * * *', {}, { tz: 'Europe/London' });
    await this.queue.boss.work(GRANT_LAPSE_QUEUE, async () => {
      const lapsed = await this.grants.lapseDue();
      if (lapsed) this.logger.info({ lapsed }, 'grant offers lapsed');
    });
  }
}
