import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { likeEscape } from '../../platform/http/paging';
import { isUuid } from '../../platform/http/id.pipe';
import { DecisionsService } from '../decisions';
import { Grant } from './entities/grant.entity';
import { grantPeriodFromDay } from './grant-period';
import { GrantsException } from './grants.exceptions';

/**
 * A grant as open data may show it (publishing's 360Giving files): accepted, under a published
 * decision that is not confidential. Only what the public may see is read — never the
 * organisation's contact, the acceptance's signatory or the decision's text.
 */
export interface PublishableGrant {
  grantId: string;
  /** The application's reference, "ACF1-0003": the grant's own identifier in the open data. */
  reference: string;
  /** The project's title and description as the application gave them (null when its round's form did not ask). */
  title: string | null;
  summary: string | null;
  amountPence: number;
  requestedPence: number | null;
  /** The London day the award was made, "2027-03-01": the offer, which the decision's approval (or a delegated award) made. */
  awardedOn: string;
  /** The grant period, calendar days. */
  startsOn: string;
  endsOn: string;
  /** ONS codes of the areas the application said the project works in, as given (unchecked). */
  areasServed: string[];
  category: { code: string; name: string | null } | null;
  organisation: {
    name: string;
    /** The 360Giving organisation identifier: GB-CHC-…, GB-COH-…, GB-SC-…, GB-NIC-… or 360G-…. */
    orgId: string;
    charityNumber: string | null;
    companyNumber: string | null;
    postcode: string;
    areaOnsCode: string | null;
  };
  round: { id: string; name: string; referencePrefix: string; programmeCode: string; programmeName: string };
  decisionNumber: string;
  /** The latest change to anything shown: the grant, its organisation, its round or the decision's publication. */
  modifiedAt: Date;
}

/**
 * A publishable grant as the public pages show it (funded projects, the Specified Information
 * list): what the 360Giving files have, and what the grant's own page and the Order ask for
 * besides — its purpose as it stands, the conditions it was offered on, and the reasons the
 * published decision gives.
 */
export interface PublishedGrant extends PublishableGrant {
  /** What the grant is for: as an approved variation set it, else the project's summary, else its title (null when none). */
  purpose: string | null;
  /** The conditions of grant as offered ('' when the round had none). */
  conditions: string;
  /** The reasons the authorising decision gives ('' when it gives none); the decision is published and not confidential. */
  reasons: string;
  /** Whether the grant's fund counts as crime and disorder reduction grants. */
  crimeAndDisorderReduction: boolean;
}

/** What the public list of grants filters by; each is optional, and they combine. */
export interface PublishedGrantFilters {
  /** The fund programme's code, "ACF". */
  fundCode?: string;
  /** The London calendar year the grant was made (offered), and within it a month, 1 to 12. */
  year?: number;
  month?: number;
  /** An ONS area code: a project working there (or, when its application named no areas, an organisation based there). */
  areaOnsCode?: string;
  /** A category code as the rounds name them, "hate_crime". */
  category?: string;
  /** Text in the reference, the project's title, summary or purpose, or the recipient's name. */
  q?: string;
  /** Only grants from funds whose grants are crime and disorder reduction grants. */
  crimeAndDisorderOnly?: boolean;
}

/** The choices a public filter form offers: only values some publishable grant has. */
export interface PublishedGrantFacets {
  /** London years in which publishable grants were made, newest first. */
  years: number[];
  /** The same for crime and disorder reduction grants only. */
  crimeAndDisorderYears: number[];
  /** Category codes with the name their rounds give them, by name. */
  categories: { code: string; name: string }[];
}

interface PublishableRow {
  grant_id: string;
  reference: string;
  title: string | null;
  summary: string | null;
  project_start: string | null;
  areas_served: unknown;
  category: string | null;
  category_name: string | null;
  amount_pence: string;
  requested_pence: string | null;
  offered_on: string;
  org_name: string;
  org_id: string;
  charity_number: string | null;
  company_number: string | null;
  postcode: string;
  area_ons_code: string | null;
  round_id: string;
  round_name: string;
  reference_prefix: string;
  programme_code: string;
  programme_name: string;
  decision_year: number;
  decision_seq: number;
  modified_at: Date;
}

interface PublishedRow extends PublishableRow {
  purpose: string | null;
  varied_ends_on: string | null;
  conditions: string;
  reasons: string;
  crime_and_disorder_reduction: boolean;
}

/** The instant a London month starts, from two named parameters: filters compare the offer's own timestamp with such bounds. */
const londonMonthStart = (y: string, m: string) => `make_timestamptz(CAST(:${y} AS int), CAST(:${m} AS int), 1, 0, 0, 0, 'Europe/London')`;

/**
 * The grants the public may see, read for open data and the public pages. A grant is shown when
 * it was accepted under a decision that is published and not confidential: an offer not yet
 * taken up, a decline or a lapse made no grant, and a decision still with the Commissioner is not
 * yet public. Joins follow the grant's own foreign keys (application → organisation, round →
 * programme, decision) and select only public columns: never the organisation's contact or
 * address line, the acceptance's signatory, or any of the decision's text but its reasons.
 */
@Injectable()
export class PublishedGrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly decisions: DecisionsService,
  ) {}

  /** The joins and the rule every public read starts from. */
  private base(): SelectQueryBuilder<Grant> {
    return this.dataSource
      .getRepository(Grant)
      .createQueryBuilder('g')
      .innerJoin('g.application', 'a')
      .innerJoin('a.organisation', 'o')
      .innerJoin('g.round', 'r')
      .innerJoin('r.programme', 'p')
      .innerJoin('g.decision', 'd')
      .where(`g.status = 'accepted'`)
      .andWhere(`d.status = 'published'`)
      .andWhere('NOT d.confidential');
  }

  /** The columns of a PublishableGrant. */
  private selectPublishable(qb: SelectQueryBuilder<Grant>): SelectQueryBuilder<Grant> {
    return (
      qb
        .select('g.id', 'grant_id')
        .addSelect('a.reference', 'reference')
        .addSelect(`a.answers ->> 'projectTitle'`, 'title')
        .addSelect(`a.answers ->> 'projectSummary'`, 'summary')
        .addSelect(`a.answers ->> 'projectStart'`, 'project_start')
        .addSelect(`a.answers -> 'areasServed'`, 'areas_served')
        .addSelect('a.category', 'category')
        // The category's name as the round lists it ("Victims of hate crime"), looked up in the row's own round.
        .addSelect(`(SELECT c ->> 'name' FROM jsonb_array_elements(r.categories) c WHERE c ->> 'code' = a.category LIMIT 1)`, 'category_name')
        .addSelect('g.amount_pence', 'amount_pence')
        .addSelect('a.amount_requested_pence', 'requested_pence')
        .addSelect(`to_char(g.offered_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`, 'offered_on')
        .addSelect('o.name', 'org_name')
        .addSelect('o.org_id', 'org_id')
        .addSelect('o.charity_number', 'charity_number')
        .addSelect('o.company_number', 'company_number')
        .addSelect('o.postcode', 'postcode')
        .addSelect('o.area_ons_code', 'area_ons_code')
        .addSelect('r.id', 'round_id')
        .addSelect('r.name', 'round_name')
        .addSelect('r.reference_prefix', 'reference_prefix')
        .addSelect('p.code', 'programme_code')
        .addSelect('p.name', 'programme_name')
        .addSelect('d.year', 'decision_year')
        .addSelect('d.seq', 'decision_seq')
        .addSelect('greatest(g.updated_at, o.updated_at, r.updated_at, d.published_at)', 'modified_at')
    );
  }

  /** The columns of a PublishedGrant: a PublishableGrant's and the grant's purpose, conditions and decision's reasons. */
  private selectPublished(qb: SelectQueryBuilder<Grant>): SelectQueryBuilder<Grant> {
    return this.selectPublishable(qb)
      .addSelect('g.purpose', 'purpose')
      .addSelect(`to_char(g.ends_on, 'YYYY-MM-DD')`, 'varied_ends_on')
      .addSelect('g.conditions', 'conditions')
      .addSelect('d.reasons', 'reasons')
      .addSelect('p.crime_and_disorder_reduction', 'crime_and_disorder_reduction');
  }

  /**
   * Every publishable grant in batches, read by keyset on the grant's id (each batch one indexed
   * query from where the last ended), so 100,000 grants stream in constant memory without holding
   * a connection or a transaction open while a slow client reads.
   */
  async *batches(batchSize = 500): AsyncGenerator<PublishableGrant[]> {
    let after: string | null = null;
    for (;;) {
      const qb = this.selectPublishable(this.base()).orderBy('g.id', 'ASC').limit(batchSize);
      if (after) qb.andWhere('g.id > :after', { after });
      const rows = await qb.getRawMany<PublishableRow>();
      if (!rows.length) return;
      yield rows.map((row) => this.publishableOf(row));
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].grant_id;
    }
  }

  /** The filters, applied to a query from `base()`. */
  private filtered(f: PublishedGrantFilters): SelectQueryBuilder<Grant> {
    const qb = this.base();
    if (f.crimeAndDisorderOnly) qb.andWhere('p.crime_and_disorder_reduction');
    if (f.fundCode !== undefined) qb.andWhere('p.code = :fundCode', { fundCode: f.fundCode });
    if (f.category !== undefined) qb.andWhere('a.category = :category', { category: f.category });
    if (f.year !== undefined) {
      // A month, or the whole year: [start, end) in London time.
      const [fromMonth, toYear, toMonth] = f.month === undefined ? [1, f.year + 1, 1] : [f.month, f.month === 12 ? f.year + 1 : f.year, (f.month % 12) + 1];
      qb.andWhere(`g.offered_at >= ${londonMonthStart('fromYear', 'fromMonth')}`, { fromYear: f.year, fromMonth });
      qb.andWhere(`g.offered_at < ${londonMonthStart('toYear', 'toMonth')}`, { toYear, toMonth });
    }
    if (f.areaOnsCode !== undefined) {
      // Where the project works as its application said, else (it named none) where the organisation is: as the open data's beneficiary location.
      qb.andWhere(
        `CASE WHEN jsonb_typeof(a.answers -> 'areasServed') IS DISTINCT FROM 'array' OR a.answers -> 'areasServed' = CAST('[]' AS jsonb)
              THEN o.area_ons_code IS NOT DISTINCT FROM :area
              ELSE (a.answers -> 'areasServed') @> jsonb_build_array(CAST(:area AS text)) END`,
        { area: f.areaOnsCode },
      );
    }
    if (f.q) {
      qb.andWhere(
        `(a.reference ILIKE :like OR o.name ILIKE :like OR g.purpose ILIKE :like
          OR a.answers ->> 'projectTitle' ILIKE :like OR a.answers ->> 'projectSummary' ILIKE :like)`,
        { like: `%${likeEscape(f.q)}%` },
      );
    }
    return qb;
  }

  /**
   * The public list of funded projects a page at a time: newest award first (the grant's id
   * breaks ties, so no grant is on two pages), and how many match. A page beyond the end is empty.
   */
  async page(f: PublishedGrantFilters, at: { limit: number; page: number }): Promise<{ items: PublishedGrant[]; total: number }> {
    const total = await this.filtered(f).getCount();
    const rows = await this.selectPublished(this.filtered(f))
      .orderBy('g.offered_at', 'DESC')
      .addOrderBy('g.id', 'ASC')
      .offset((at.page - 1) * at.limit)
      .limit(at.limit)
      .getRawMany<PublishedRow>();
    return { items: rows.map((r) => this.publishedOf(r)), total };
  }

  /**
   * Every grant matching the filters, in the order the Specified Information list gives them:
   * by the month made, newest first, then by the day and reference. Unpaged: the list is read a
   * year (or a month) at a time, a few hundred grants at most.
   */
  async all(f: PublishedGrantFilters): Promise<PublishedGrant[]> {
    const rows = await this.selectPublished(this.filtered(f))
      .orderBy(`date_trunc('month', g.offered_at AT TIME ZONE 'Europe/London')`, 'DESC')
      .addOrderBy('g.offered_at', 'ASC')
      .addOrderBy('a.reference', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .getRawMany<PublishedRow>();
    return rows.map((r) => this.publishedOf(r));
  }

  /**
   * Every grant matching the filters as a PublishedGrant, in batches, in the order they were made
   * (the offer's instant, the grant's id breaking ties): each batch one query from where the last
   * ended, by keyset on (offered_at, id), so a file of every year streams in constant memory and
   * without a connection or transaction held open while a slow reader reads. The cursor keeps
   * the instant as PostgreSQL's own text, microseconds included (a JavaScript Date would drop them).
   */
  async *publishedBatches(f: PublishedGrantFilters, batchSize = 500): AsyncGenerator<PublishedGrant[]> {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const qb = this.selectPublished(this.filtered(f))
        .addSelect('CAST(g.offered_at AS text)', 'cursor_at')
        .orderBy('g.offered_at', 'ASC')
        .addOrderBy('g.id', 'ASC')
        .limit(batchSize);
      if (after) qb.andWhere('(g.offered_at, g.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.at, afterId: after.id });
      const rows = await qb.getRawMany<PublishedRow & { cursor_at: string }>();
      if (!rows.length) return;
      yield rows.map((r) => this.publishedOf(r));
      if (rows.length < batchSize) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.grant_id };
    }
  }

  /** One publishable grant; any other grant (or no grant) is "not found", so nothing says an unpublished one exists. */
  async one(id: string): Promise<PublishedGrant> {
    const row = isUuid(id) ? await this.selectPublished(this.base()).andWhere('g.id = :id', { id }).getRawOne<PublishedRow>() : undefined;
    if (!row) throw GrantsException.notFound();
    return this.publishedOf(row);
  }

  /** The years and categories publishable grants have, for the filter forms' choices. */
  async facets(): Promise<PublishedGrantFacets> {
    const yearOf = `CAST(extract(year FROM g.offered_at AT TIME ZONE 'Europe/London') AS int)`;
    const years = await this.base()
      .select(yearOf, 'year')
      .addSelect('bool_or(p.crime_and_disorder_reduction)', 'cdr')
      .groupBy(yearOf)
      .orderBy(yearOf, 'DESC')
      .getRawMany<{ year: number; cdr: boolean }>();
    // A code may be named differently by different rounds: the first name (by name) stands for it.
    const named = await this.base()
      .select('a.category', 'code')
      .addSelect(`(SELECT c ->> 'name' FROM jsonb_array_elements(r.categories) c WHERE c ->> 'code' = a.category LIMIT 1)`, 'name')
      .distinct(true)
      .andWhere('a.category IS NOT NULL')
      .getRawMany<{ code: string; name: string | null }>();
    const categories = new Map<string, string>();
    for (const c of named.map((x) => ({ code: x.code, name: x.name ?? x.code })).sort((x, y) => x.name.localeCompare(y.name, 'en-GB'))) {
      if (!categories.has(c.code)) categories.set(c.code, c.name);
    }
    return {
      years: years.map((y) => Number(y.year)),
      crimeAndDisorderYears: years.filter((y) => y.cdr).map((y) => Number(y.year)),
      categories: [...categories].map(([code, name]) => ({ code, name })),
    };
  }

  private publishableOf(row: PublishableRow): PublishableGrant {
    const { startsOn, endsOn } = grantPeriodFromDay(row.project_start, row.offered_on);
    return {
      grantId: row.grant_id,
      reference: row.reference,
      title: row.title,
      summary: row.summary,
      amountPence: Number(row.amount_pence),
      requestedPence: row.requested_pence === null ? null : Number(row.requested_pence),
      awardedOn: row.offered_on,
      startsOn,
      endsOn,
      areasServed: Array.isArray(row.areas_served) ? row.areas_served.filter((a): a is string => typeof a === 'string') : [],
      category: row.category ? { code: row.category, name: row.category_name } : null,
      organisation: {
        name: row.org_name,
        orgId: row.org_id,
        charityNumber: row.charity_number,
        companyNumber: row.company_number,
        postcode: row.postcode,
        areaOnsCode: row.area_ons_code,
      },
      round: {
        id: row.round_id,
        name: row.round_name,
        referencePrefix: row.reference_prefix,
        programmeCode: row.programme_code,
        programmeName: row.programme_name,
      },
      decisionNumber: this.decisions.numberOf({ year: row.decision_year, seq: row.decision_seq }),
      modifiedAt: row.modified_at,
    };
  }

  private publishedOf(row: PublishedRow): PublishedGrant {
    const g = this.publishableOf(row);
    // An approved variation's purpose, else what the project said it would do, else its title.
    const purpose = row.purpose?.trim() || g.summary?.trim() || g.title?.trim() || null;
    return {
      ...g,
      // An approved variation may have moved the end, as the grant's own page shows it.
      endsOn: row.varied_ends_on ?? g.endsOn,
      purpose,
      conditions: row.conditions ?? '',
      reasons: row.reasons ?? '',
      crimeAndDisorderReduction: row.crime_and_disorder_reduction,
    };
  }
}
