import { Inject, Injectable } from '@nestjs/common';
import { londonIsoDate } from '@pcc/london-time';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock';
import { AreasService } from '../areas';
import { FundsService } from '../funds';
import { GrantsService, type PublishedGrant, type PublishedGrantFacets, type PublishedGrantFilters, PublishedGrantsService } from '../grants';
import { PaymentsService } from '../payments';
import { type CrimeAndDisorderGrant, toCrimeAndDisorderGrant } from './specified-information';
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
    private readonly published: PublishedGrantsService,
    private readonly funds: FundsService,
  ) {}

  /** The site's own address, without a trailing slash, for absolute links in the files. */
  baseUrl(): string {
    return this.config.publicBaseUrl.replace(/\/+$/, '');
  }

  /** Who publishes: the funder's name in the open data. */
  publisherName(): string {
    return this.config.fundingOrganisationName;
  }

  async context(): Promise<PublisherContext> {
    return {
      idPrefix: this.config.openDataIdPrefix,
      funderId: this.config.fundingOrganisationId,
      funderName: this.config.fundingOrganisationName,
      baseUrl: this.baseUrl(),
      areaNames: await this.areas.names(),
    };
  }

  /** Whether any grant is publishable yet: the 360Giving package needs at least one. */
  async hasPublishedGrants(): Promise<boolean> {
    for await (const batch of this.grants.publishable(1)) return batch.length > 0;
    return false;
  }

  /** The package's metadata: issued now. */
  header(ctx: PublisherContext) {
    return packageHeader(ctx, this.clock.now());
  }

  /** Every publishable grant as a 360Giving grant, in batches, in the order of the grants' ids. */
  async *grants360(ctx: PublisherContext): AsyncGenerator<ThreeSixtyGivingGrant[]> {
    // The next batch is read while this one is mapped and written: the database works in its own
    // process, so its time hides behind ours instead of adding to it (a third off the 100,000-grant
    // export in bench/open-data.js).
    const batches = this.grants.publishable();
    let next = readAhead(batches.next());
    try {
      for (;;) {
        const step = await next;
        if (step.done) return;
        const batch = step.value;
        next = readAhead(batches.next());
        const paid = await this.payments.paidByGrant(batch.map((g) => g.grantId));
        yield batch.map((g) => toThreeSixtyGiving(g, paid.get(g.grantId), ctx));
      }
    } finally {
      await batches.return(undefined);
    }
  }

  // ---- the public pages (issue 13): the Specified Information list and the funded projects ----

  /** The years and categories publishable grants have, for the filter forms. */
  facets(): Promise<PublishedGrantFacets> {
    return this.published.facets();
  }

  /** The Specified Information list's year when none is asked for: the latest with such grants, else this year (London). */
  defaultCrimeAndDisorderYear(facets: PublishedGrantFacets): number {
    return facets.crimeAndDisorderYears[0] ?? Number(londonIsoDate(this.clock.now()).slice(0, 4));
  }

  /** The crime and disorder reduction grants made in a year (or one month of it), as the page, the CSV and the JSON list them. */
  async crimeAndDisorderGrants(year: number, month: number | null): Promise<CrimeAndDisorderGrant[]> {
    const grants = await this.published.all({ crimeAndDisorderOnly: true, year, ...(month ? { month } : {}) });
    const baseUrl = this.baseUrl();
    return grants.map((g) => toCrimeAndDisorderGrant(g, baseUrl));
  }

  /**
   * Every crime and disorder reduction grant of every year, as the yearly list gives each, in
   * batches in the order they were made (oldest first): for the all-years files, streamed.
   */
  async *allCrimeAndDisorderGrants(batchSize?: number): AsyncGenerator<CrimeAndDisorderGrant[]> {
    const baseUrl = this.baseUrl();
    for await (const batch of this.published.publishedBatches({ crimeAndDisorderOnly: true }, batchSize)) {
      yield batch.map((g) => toCrimeAndDisorderGrant(g, baseUrl));
    }
  }

  /** Every fund, by name, and whether its grants are crime and disorder reduction grants. */
  async fundChoices(): Promise<{ code: string; name: string; crimeAndDisorderReduction: boolean }[]> {
    return (await this.funds.listProgrammes()).map((p) => ({ code: p.code, name: p.name, crimeAndDisorderReduction: p.crimeAndDisorderReduction }));
  }

  areaNames(): Promise<Map<string, string>> {
    return this.areas.names();
  }

  /** A page of the funded projects list. */
  fundedProjects(filters: PublishedGrantFilters, at: { limit: number; page: number }): Promise<{ items: PublishedGrant[]; total: number }> {
    return this.published.page(filters, at);
  }

  /** One funded project (a publishable grant, else "not found") and what has been paid on it. */
  async fundedProject(id: string): Promise<{ grant: PublishedGrant; paidPence: number }> {
    const grant = await this.published.one(id);
    const paid = await this.payments.paidByGrant([grant.grantId]);
    return { grant, paidPence: paid.get(grant.grantId)?.paidPence ?? 0 };
  }
}

/**
 * A read started ahead of its use. It may fail while this batch is still being written to a slow
 * reader, long before it is awaited: a rejection nobody handles yet stops the whole process (Node
 * ends on an unhandled rejection). A handler attached at once marks it handled; awaiting the same
 * promise later still throws the failure where the export can answer it.
 */
function readAhead<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}
