import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AreasService } from '../areas';
import { writeAudit } from '@pcc/audit';
import { exclusiveCloseInstant, formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, pence, type Pence } from '@pcc/money';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../../platform/clock';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { AssessmentCriterion } from './entities/assessment-criterion.entity';
import { FundProgramme } from './entities/fund-programme.entity';
import { FundingRound } from './entities/funding-round.entity';
import { RingFence } from './entities/ring-fence.entity';
import { PAID_IN_FULL, type ScheduleStep } from './payment-schedule';
import { type FormDefinition, withCategoryOptions } from './form-definition';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { roundRuleProblems } from './round-rules';
import { RoundsException } from './funds.exceptions';

export type RoundStatus = 'draft' | 'upcoming' | 'open' | 'closed';

export type RoundSortKey = 'name' | 'fund' | 'status' | 'opens' | 'closes';

/** What a page of rounds asks for (RoundsQueryDto and RoundListQueryDto have this shape). */
export interface RoundListQuery {
  limit: number;
  page: number;
  sort: string;
  q?: string;
  fund?: string;
  status?: RoundStatus;
  publishedOnly?: boolean;
  withCriteria?: boolean;
}

type RoundRow = { round: FundingRound; status: RoundStatus };
const STATUS_ORDER: Record<RoundStatus, number> = { draft: 0, upcoming: 1, open: 2, closed: 3 };
const byText = (a: string, b: string) => a.localeCompare(b, 'en-GB', { sensitivity: 'base' });
const ROUND_SORTS: Record<RoundSortKey, (a: RoundRow, b: RoundRow) => number> = {
  name: (a, b) => byText(a.round.name, b.round.name),
  fund: (a, b) => byText(a.round.programme?.name ?? '', b.round.programme?.name ?? ''),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  opens: (a, b) => a.round.opensAt.getTime() - b.round.opensAt.getTime(),
  closes: (a, b) => a.round.closesAt.getTime() - b.round.closesAt.getTime(),
};

export interface RoundInput {
  programmeId: string;
  name: string;
  referencePrefix: string;
  summary: string;
  guidance?: string;
  opensAt: Date;
  closesAt: Date;
  totalBudgetPence: number;
  minGrantPence: number;
  maxGrantPence: number;
  eligibleOrgTypes?: string[];
  eligibleAreas?: string[];
  categories: { code: string; name: string }[];
  ringFences?: { name: string; amountPence: number; category?: string | null; areaOnsCode?: string | null }[];
  criteria?: { name: string; guidance?: string; weight: number; scaleMin?: number; scaleMax?: number }[];
  form: FormDefinition;
  assessorsPerApplication?: number;
  moderationThreshold?: number;
  reminderHoursBefore?: number;
  offerPeriodDays?: number;
  grantConditions?: string;
  paymentSchedule?: ScheduleStep[];
  /** When scores are due; left out keeps the round's (none on create); null takes it away. */
  scoringClosesAt?: Date | null;
}

/** Fields that would change what applicants are answering or how they are judged. */
const LOCKED_WHEN_OPEN = [
  'opensAt',
  'form',
  'categories',
  'eligibleOrgTypes',
  'eligibleAreas',
  'minGrantPence',
  'maxGrantPence',
  'referencePrefix',
  'programmeId',
] as const;

export interface EligibilityQuery {
  organisationType?: string;
  areaOnsCode?: string | null;
  outsideForceArea?: boolean;
  amountPence?: number | null;
}

@Injectable()
export class RoundsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly areas: AreasService,
  ) {}

  statusOf(round: FundingRound, at: Date = this.clock.now()): RoundStatus {
    if (round.state !== 'published') return 'draft';
    if (at < round.opensAt) return 'upcoming';
    return at < exclusiveCloseInstant(round.closesAt) ? 'open' : 'closed';
  }

  async list(filter?: { status?: RoundStatus; publishedOnly?: boolean; withCriteria?: boolean }): Promise<FundingRound[]> {
    const rounds = await this.dataSource
      .getRepository(FundingRound)
      .find({ relations: { programme: true, ringFences: true, criteria: !!filter?.withCriteria }, order: { closesAt: 'ASC' } });
    for (const r of rounds) r.criteria?.sort((a, b) => a.position - b.position);
    const now = this.clock.now();
    return rounds.filter((r) => (!filter?.publishedOnly || r.state === 'published') && (!filter?.status || this.statusOf(r, now) === filter.status));
  }

  /**
   * One page of rounds, filtered by fund, status and a search of the name, sorted by a column (the
   * id breaks ties, so no round shows on two pages). Status is the clock's (statusOf), so filtering
   * and sorting by it happen here rather than in SQL: a service runs a handful of rounds a year.
   */
  async listPage(query: RoundListQuery): Promise<{ items: { round: FundingRound; status: RoundStatus }[]; total: number }> {
    const qb = this.dataSource
      .getRepository(FundingRound)
      .createQueryBuilder('r')
      .leftJoinAndSelect('r.programme', 'programme')
      .leftJoinAndSelect('r.ringFences', 'ringFences');
    if (query.withCriteria) qb.leftJoinAndSelect('r.criteria', 'criteria');
    if (query.publishedOnly) qb.andWhere(`r.state = 'published'`);
    if (query.fund) qb.andWhere('r.programme_id = :fund', { fund: query.fund });
    if (query.q) qb.andWhere(`r.name ILIKE '%' || :q || '%' ESCAPE '\\'`, { q: likeEscape(query.q) });
    const now = this.clock.now();
    const rows = (await qb.getMany())
      .map((round) => ({ round, status: this.statusOf(round, now) }))
      .filter(({ status }) => !query.status || status === query.status);
    const { key, direction } = parseSort<RoundSortKey>(query.sort);
    const by = ROUND_SORTS[key] ?? ROUND_SORTS.closes;
    const sign = direction === 'desc' ? -1 : 1;
    rows.sort((a, b) => sign * by(a, b) || (a.round.id < b.round.id ? -1 : 1));
    for (const { round } of rows) round.criteria?.sort((a, b) => a.position - b.position);
    return { items: rows.slice((query.page - 1) * query.limit, query.page * query.limit), total: rows.length };
  }

  /** A round with its ring-fences and criteria; drafts only for staff who manage rounds. */
  async get(id: string, options: { includeDrafts?: boolean; manager?: EntityManager } = {}): Promise<FundingRound> {
    const m = options.manager ?? this.dataSource.manager;
    const round = isUuid(id) ? await m.findOne(FundingRound, { where: { id }, relations: { programme: true, ringFences: true, criteria: true } }) : null;
    if (!round || (round.state !== 'published' && !options.includeDrafts)) throw RoundsException.notFound();
    round.criteria?.sort((a, b) => a.position - b.position);
    round.form = withCategoryOptions(round.form, round.categories);
    return round;
  }

  /**
   * Rounds' names and payment schedules by id, drafts too, in one query: for a list of another
   * module's records (a page of grants) that shows each beside its round, so the page reads rounds
   * once rather than a whole round with its form and relations per row.
   */
  async namesAndSchedules(
    ids: readonly string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, Pick<FundingRound, 'id' | 'name' | 'paymentSchedule'>>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await m.getRepository(FundingRound).find({ where: { id: In(wanted) }, select: { id: true, name: true, paymentSchedule: true } });
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, paymentSchedule: r.paymentSchedule }]));
  }

  /**
   * A round's categories, draft or published: what a staff list needs to check its filters, in one
   * small query rather than the whole round with its form (the list API answers it on every page).
   */
  async categoriesOf(id: string): Promise<FundingRound['categories']> {
    const round = isUuid(id) ? await this.dataSource.getRepository(FundingRound).findOne({ where: { id }, select: { id: true, categories: true } }) : null;
    if (!round) throw RoundsException.notFound();
    return round.categories;
  }

  /** Every rule a round applies before anyone applies, in words an applicant understands. */
  eligibilityProblems(round: FundingRound, q: EligibilityQuery): FieldError[] {
    const problems: FieldError[] = [];
    if (q.organisationType && round.eligibleOrgTypes.length && !round.eligibleOrgTypes.includes(q.organisationType)) {
      problems.push({ field: 'organisationType', rule: 'eligibleOrgType', message: 'This fund is not open to your type of organisation' });
    }
    if (q.outsideForceArea) {
      problems.push({ field: 'area', rule: 'inForceArea', message: 'This fund is for organisations based in the West Midlands' });
    } else if (q.areaOnsCode && round.eligibleAreas.length && !round.eligibleAreas.includes(q.areaOnsCode)) {
      problems.push({ field: 'area', rule: 'eligibleArea', message: 'This round is not open to organisations in your area' });
    }
    if (q.amountPence !== undefined && q.amountPence !== null) {
      if (q.amountPence < round.minGrantPence)
        problems.push({ field: 'amountRequested', rule: 'min', message: `The smallest grant you can ask for is ${formatPounds(round.minGrantPence)}` });
      if (q.amountPence > round.maxGrantPence)
        problems.push({ field: 'amountRequested', rule: 'max', message: `The largest grant you can ask for is ${formatPounds(round.maxGrantPence)}` });
    }
    return problems;
  }

  async create(input: RoundInput): Promise<FundingRound> {
    this.validate(input);
    return this.uniqueOr409(input, undefined, () =>
      this.dataSource.transaction(async (m) => {
        await this.assertReferencesExist(m, input);
        await this.assertUnique(m, input);
        const round = await m.save(
          m.create(FundingRound, {
            ...roundFields(input, {
              assessorsPerApplication: 2,
              moderationThreshold: 10,
              reminderHoursBefore: 48,
              scoringClosesAt: null,
              offerPeriodDays: 28,
              grantConditions: '',
              paymentSchedule: PAID_IN_FULL,
            }),
            state: 'draft',
          }),
        );
        await this.replaceChildren(m, round.id, input);
        await writeAudit(m, { action: 'round.created', entityType: 'funding_round', entityId: round.id, after: summariseInput(input) });
        return this.get(round.id, { includeDrafts: true, manager: m });
      }),
    );
  }

  /** Edits a round. Once it is open, anything that would change a submission is locked. */
  async update(id: string, input: RoundInput): Promise<FundingRound> {
    this.validate(input);
    return this.uniqueOr409(input, id, () =>
      this.dataSource.transaction(async (m) => {
        const round = await m.findOne(FundingRound, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!round) throw RoundsException.notFound();
        await this.assertReferencesExist(m, input);
        // A deadline left out is kept, so it must still fall after the (perhaps later) closing time.
        if (input.scoringClosesAt === undefined && round.scoringClosesAt && round.scoringClosesAt <= input.closesAt)
          throw new ValidationFailedException([
            {
              field: 'closesAt',
              rule: 'beforeScoringCloses',
              message: `The round must close before scores are due (${formatLondonDateTime(round.scoringClosesAt)})`,
            },
          ]);
        const status = this.statusOf(round);
        if (status === 'open' || status === 'closed') {
          const changed = LOCKED_WHEN_OPEN.filter(
            (f) => JSON.stringify(comparable(f, round[f], round.categories)) !== JSON.stringify(comparable(f, input[f], round.categories)),
          );
          if (changed.length) throw RoundsException.locked(changed);
        }
        // The row lock above also orders this against freezeCriteria, so a first score saved at
        // the same moment either sees the new criteria or makes this change wait and be refused.
        const frozen = round.criteriaFrozenAt !== null;
        if (frozen && !sameCriteria(await m.find(AssessmentCriterion, { where: { roundId: id }, order: { position: 'ASC' } }), input.criteria ?? []))
          throw RoundsException.criteriaFrozen();
        await this.assertUnique(m, input, id);
        const before = summariseRound(round);
        Object.assign(round, roundFields(input, round));
        await m.save(round);
        await this.replaceChildren(m, round.id, input, { keepCriteria: frozen });
        await writeAudit(m, { action: 'round.updated', entityType: 'funding_round', entityId: round.id, before, after: summariseInput(input) });
        return this.get(round.id, { includeDrafts: true, manager: m });
      }),
    );
  }

  async publish(id: string): Promise<FundingRound> {
    return this.dataSource.transaction(async (m) => {
      const round = await m.findOne(FundingRound, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!round) throw RoundsException.notFound();
      if (round.state === 'published') return this.get(id, { manager: m });
      round.state = 'published';
      round.publishedAt = this.clock.now();
      await m.save(round);
      await writeAudit(m, {
        action: 'round.published',
        entityType: 'funding_round',
        entityId: id,
        after: { opensAt: round.opensAt, closesAt: round.closesAt },
      });
      return this.get(id, { manager: m });
    });
  }

  /** Names and reference prefixes are unique (the database says so too); say which, not a 500. */
  private async assertUnique(m: EntityManager, input: RoundInput, exceptId?: string) {
    const name = input.name.trim();
    const prefix = input.referencePrefix.trim().toUpperCase();
    const clashes = await m.find(FundingRound, { where: [{ name }, { referencePrefix: prefix }] });
    const errors: FieldError[] = [];
    for (const c of clashes.filter((c) => c.id !== exceptId)) {
      if (c.name === name) errors.push({ field: 'name', rule: 'unique', message: `There is already a round called ${name}` });
      if (c.referencePrefix === prefix)
        errors.push({ field: 'referencePrefix', rule: 'unique', message: `The reference prefix ${prefix} is already used by ${c.name}` });
    }
    if (errors.length) throw RoundsException.exists(errors);
  }

  /**
   * Two identical requests at once both pass `assertUnique` (neither sees the other's uncommitted
   * row); the loser's INSERT then breaks the unique constraint on name or reference prefix. That
   * is the same conflict, so it gets the same 409 `funds.round_exists` naming the field — looked
   * up again now the winner has committed — rather than a 500.
   */
  private async uniqueOr409<T>(input: RoundInput, exceptId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const field = this.roundUniqueFieldOf(err);
      if (!field) throw err;
      await this.assertUnique(this.dataSource.manager, input, exceptId);
      // The other request rolled back after all: still a conflict at the moment this one ran.
      throw RoundsException.exists([
        { field, rule: 'unique', message: `Another round was saved with the same ${field === 'name' ? 'name' : 'reference prefix'} at the same moment` },
      ]);
    }
  }

  /** 'name' or 'referencePrefix' when `err` is a unique violation of funding_round's constraints. */
  private roundUniqueFieldOf(err: unknown): 'name' | 'referencePrefix' | undefined {
    const e = err as {
      code?: unknown;
      constraint?: unknown;
      detail?: unknown;
      driverError?: { code?: unknown; constraint?: unknown; detail?: unknown };
    } | null;
    const d = e?.driverError ?? e;
    if (!d || d.code !== '23505') return undefined;
    const meta = this.dataSource.getMetadata(FundingRound);
    const byName = meta.uniques.find((u) => u.name === d.constraint)?.columns[0]?.propertyName;
    const byDetail = typeof d.detail === 'string' ? /^Key \((\w+)\)=/.exec(d.detail)?.[1] : undefined;
    const property = byName ?? meta.columns.find((c) => c.databaseName === byDetail)?.propertyName;
    return property === 'name' || property === 'referencePrefix' ? property : undefined;
  }

  /** The programme and the eligible areas must be records that exist. */
  private async assertReferencesExist(m: EntityManager, input: RoundInput) {
    const errors: FieldError[] = [];
    if (!(await m.findOne(FundProgramme, { where: { id: input.programmeId } }))) {
      errors.push({ field: 'programmeId', rule: 'exists', message: 'Select a fund programme' });
    }
    const areas = input.eligibleAreas ?? [];
    const fenceAreas = (input.ringFences ?? []).map((f) => f.areaOnsCode).filter((a): a is string => typeof a === 'string');
    if (areas.length || fenceAreas.length) {
      const known = await this.areas.known(m, [...areas, ...fenceAreas]);
      areas.forEach((code, i) => {
        if (!known.has(code)) errors.push({ field: `eligibleAreas.${i}`, rule: 'exists', message: `${code} is not one of the areas (GET /api/v1/areas)` });
      });
      (input.ringFences ?? []).forEach((f, i) => {
        if (typeof f.areaOnsCode === 'string' && !known.has(f.areaOnsCode))
          errors.push({ field: `ringFences.${i}.areaOnsCode`, rule: 'exists', message: `${f.areaOnsCode} is not one of the areas (GET /api/v1/areas)` });
        else if (typeof f.areaOnsCode === 'string' && areas.length && !areas.includes(f.areaOnsCode))
          errors.push({
            field: `ringFences.${i}.areaOnsCode`,
            rule: 'eligible',
            message: 'A ring-fence by area must be for one of the round’s eligible areas',
          });
      });
    }
    if (errors.length) throw new ValidationFailedException(errors);
  }

  /**
   * Freezes the round's criteria (names, weights, scales) from now on; called in the transaction
   * that saves the first score. Takes the round's row lock, so it waits for an edit in progress.
   */
  async freezeCriteria(m: EntityManager, roundId: string): Promise<void> {
    await m.query(`UPDATE funding_round SET criteria_frozen_at = $2 WHERE id = $1 AND criteria_frozen_at IS NULL`, [roundId, this.clock.now()]);
  }

  /**
   * The round's budget and ring-fences, read under the round's row lock (SELECT … FOR UPDATE) in
   * the caller's transaction: whoever commits money against the round holds it until they commit,
   * so two commitments at once are checked one after the other, never both against the same total.
   */
  async lockBudget(
    m: EntityManager,
    roundId: string,
  ): Promise<{ budgetPence: Pence; ringFences: { id: string; name: string; category: string | null; areaOnsCode: string | null; amountPence: Pence }[] }> {
    const round = await m.findOne(FundingRound, { where: { id: roundId }, lock: { mode: 'pessimistic_write' } });
    if (!round) throw RoundsException.notFound();
    const fences = await m.find(RingFence, { where: { roundId }, order: { name: 'ASC' } });
    return {
      budgetPence: round.totalBudgetPence,
      ringFences: fences.map((f) => ({ id: f.id, name: f.name, category: f.category, areaOnsCode: f.areaOnsCode, amountPence: f.amountPence })),
    };
  }

  private async replaceChildren(m: EntityManager, roundId: string, input: RoundInput, options: { keepCriteria?: boolean } = {}) {
    await m.delete(RingFence, { roundId });
    for (const rf of input.ringFences ?? []) {
      await m.insert(RingFence, {
        roundId,
        name: rf.name.trim(),
        amountPence: pence(rf.amountPence),
        category: rf.category ?? null,
        areaOnsCode: rf.areaOnsCode ?? null,
      });
    }
    if (options.keepCriteria) {
      // Frozen: the same criteria (sameCriteria said so) keep their ids, which scores refer to;
      // only their guidance may be reworded.
      const existing = await m.find(AssessmentCriterion, { where: { roundId }, order: { position: 'ASC' } });
      for (const [i, c] of existing.entries()) await m.update(AssessmentCriterion, { id: c.id }, { guidance: input.criteria?.[i]?.guidance?.trim() ?? '' });
      return;
    }
    await m.delete(AssessmentCriterion, { roundId });
    let position = 0;
    for (const c of input.criteria ?? []) {
      await m.insert(AssessmentCriterion, {
        roundId,
        position: position++,
        name: c.name.trim(),
        guidance: c.guidance?.trim() ?? '',
        weight: c.weight,
        scaleMin: c.scaleMin ?? 0,
        scaleMax: c.scaleMax ?? 5,
      });
    }
  }

  /**
   * The rules that compare one setting with another (roundRuleProblems), throwing
   * ValidationFailedException with every problem. Run by create and update; public so its rules
   * can be tested alone.
   */
  validate(input: RoundInput) {
    const errors = roundRuleProblems(input);
    if (errors.length) throw new ValidationFailedException(errors);
  }
}

/** The columns a round input sets; settings left out keep `fallback`'s values. */
function roundFields(
  input: RoundInput,
  fallback: Pick<
    FundingRound,
    'assessorsPerApplication' | 'moderationThreshold' | 'reminderHoursBefore' | 'scoringClosesAt' | 'offerPeriodDays' | 'grantConditions' | 'paymentSchedule'
  >,
) {
  return {
    programmeId: input.programmeId,
    name: input.name.trim(),
    referencePrefix: input.referencePrefix.trim().toUpperCase(),
    summary: input.summary.trim(),
    guidance: input.guidance?.trim() ?? '',
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    totalBudgetPence: pence(input.totalBudgetPence),
    minGrantPence: pence(input.minGrantPence),
    maxGrantPence: pence(input.maxGrantPence),
    eligibleOrgTypes: input.eligibleOrgTypes ?? [],
    eligibleAreas: input.eligibleAreas ?? [],
    categories: input.categories,
    form: input.form,
    assessorsPerApplication: input.assessorsPerApplication ?? fallback.assessorsPerApplication,
    moderationThreshold: input.moderationThreshold ?? fallback.moderationThreshold,
    reminderHoursBefore: input.reminderHoursBefore ?? fallback.reminderHoursBefore,
    offerPeriodDays: input.offerPeriodDays ?? fallback.offerPeriodDays,
    grantConditions: input.grantConditions === undefined ? fallback.grantConditions : input.grantConditions.trim(),
    // Only the fields a step has: a DTO instance would carry its class along into the JSON column.
    paymentSchedule: input.paymentSchedule
      ? input.paymentSchedule.map((x) => ({ percent: x.percent, trigger: x.trigger, ...(x.reportMonths ? { reportMonths: x.reportMonths } : {}) }))
      : fallback.paymentSchedule,
    scoringClosesAt: input.scoringClosesAt === undefined ? fallback.scoringClosesAt : input.scoringClosesAt,
  };
}

/** The same criteria in the same order: names, weights and scales (guidance may be reworded). */
function sameCriteria(existing: AssessmentCriterion[], wanted: NonNullable<RoundInput['criteria']>): boolean {
  return (
    existing.length === wanted.length &&
    existing.every(
      (c, i) =>
        c.name === wanted[i].name.trim() &&
        c.weight === wanted[i].weight &&
        c.scaleMin === (wanted[i].scaleMin ?? 0) &&
        c.scaleMax === (wanted[i].scaleMax ?? 5),
    )
  );
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return (v as unknown[]).map(normalise);
  // jsonb does not keep key order, so compare objects with their keys sorted.
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, normalise((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * A locked field's value as applicants experience it: eligibility lists are sets, and the form is
 * compared with its category options filled in (as `get` serves it), so sending back what was
 * read is never a change.
 */
function comparable(field: (typeof LOCKED_WHEN_OPEN)[number], value: unknown, categories: { code: string; name: string }[]): unknown {
  // An omitted list means "none", as on create, so leaving it out is not a change.
  if (field === 'eligibleOrgTypes' || field === 'eligibleAreas') return normalise([...(Array.isArray(value) ? (value as unknown[]) : [])].sort());
  if (field === 'form' && value) return normalise(withCategoryOptions(value as FormDefinition, categories ?? []));
  return normalise(value);
}

function summariseInput(input: RoundInput) {
  const { form, ...rest } = input;
  return { ...rest, formSections: form?.sections?.map((s) => s.id) };
}

function summariseRound(round: FundingRound) {
  return {
    name: round.name,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    totalBudgetPence: round.totalBudgetPence,
    minGrantPence: round.minGrantPence,
    maxGrantPence: round.maxGrantPence,
  };
}

export type { Pence };
