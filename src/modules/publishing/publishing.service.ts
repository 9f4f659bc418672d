import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock';
import { AreasService } from '../areas';
import { GrantsService } from '../grants';
import { PaymentsService } from '../payments';
import { packageHeader, type PublisherContext, type ThreeSixtyGivingGrant, toThreeSixtyGiving } from './three-sixty-giving';

/**
 * Open data: what the Commissioner funds, in the 360Giving Data Standard, for anyone to reuse
 * (GrantNav, researchers, journalists). Reads other modules only through their services: the
 * grants module yields the publishable grants a batch at a time, payments says what has been paid
 * on each batch, areas names the areas. Nothing here holds more than one batch.
 */
@Injectable()
export class PublishingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly grants: GrantsService,
    private readonly payments: PaymentsService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
  ) {}

  async context(): Promise<PublisherContext> {
    return {
      idPrefix: this.config.openDataIdPrefix,
      funderId: this.config.fundingOrganisationId,
      funderName: this.config.fundingOrganisationName,
      baseUrl: this.config.publicBaseUrl.replace(/\/+$/, ''),
      areaNames: await this.areas.names(),
    };
  }

  /** The package's metadata: issued now. */
  header(ctx: PublisherContext) {
    return packageHeader(ctx, this.clock.now());
  }

  /** Every publishable grant as a 360Giving grant, in batches, in the order of the grants' ids. */
  async *grants360(ctx: PublisherContext): AsyncGenerator<ThreeSixtyGivingGrant[]> {
    for await (const batch of this.grants.publishable()) {
      const paid = await this.payments.paidByGrant(batch.map((g) => g.grantId));
      yield batch.map((g) => toThreeSixtyGiving(g, paid.get(g.grantId), ctx));
    }
  }
}
