import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { exclusiveCloseInstant } from '@pcc/london-time';
import { formatPounds, pence, type Pence } from '@pcc/money';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../platform/clock';
import { AppException, type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { AssessmentCriterion } from './entities/assessment-criterion.entity';
import { FundProgramme } from './entities/fund-programme.entity';
import { FundingRound } from './entities/funding-round.entity';
import { RingFence } from './entities/ring-fence.entity';
import { type FormDefinition, validateFormDefinition, withCategoryOptions } from './form-definition';
import { isUuid } from '../../platform/http/id.pipe';

export type RoundStatus = 'draft' | 'upcoming' | 'open' | 'closed';

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
  ringFences?: { name: string; amountPence: number; category: string }[];
  criteria?: { name: string; guidance?: string; weight: number; scaleMin?: number; scaleMax?: number }[];
  form: FormDefinition;
  assessorsPerApplication?: number;
  moderationThreshold?: number;
  reminderHoursBefore?: number;
}

export class RoundsException extends AppException {
  static notFound() {
    return new RoundsException('rounds.not_found', 'Funding round not found', HttpStatus.NOT_FOUND);
  }
  static locked(fields: string[]) {
    return new RoundsException(
      'rounds.locked',
      `The round is open, so these can no longer change: ${fields.join(', ')}`,
      HttpStatus.CONFLICT,
      fields.map((field) => ({ field, rule: 'lockedWhileOpen', message: `${field} cannot change once the round has opened` })),
    );
  }
}

/** Fields that would change what applicants are answering or how they are judged. */
const LOCKED_WHEN_OPEN = ['opensAt', 'form', 'categories', 'eligibleOrgTypes', 'eligibleAreas', 'minGrantPence', 'maxGrantPence', 'referencePrefix', 'programmeId'] as const;

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
  ) {}

  statusOf(round: FundingRound, at: Date = this.clock.now()): RoundStatus {
    if (round.state !== 'published') return 'draft';
    if (at < round.opensAt) return 'upcoming';
    return at < exclusiveCloseInstant(round.closesAt) ? 'open' : 'closed';
  }

  async list(filter?: { status?: RoundStatus; publishedOnly?: boolean }): Promise<FundingRound[]> {
    const rounds = await this.dataSource.getRepository(FundingRound).find({ relations: { programme: true, ringFences: true }, order: { closesAt: 'ASC' } });
    const now = this.clock.now();
    return rounds.filter((r) => (!filter?.publishedOnly || r.state === 'published') && (!filter?.status || this.statusOf(r, now) === filter.status));
  }

  /** A round with its ring-fences and criteria; drafts only for staff who manage rounds. */
  async get(id: string, options: { includeDrafts?: boolean; manager?: EntityManager } = {}): Promise<FundingRound> {
    const m = options.manager ?? this.dataSource.manager;
    const round = isUuid(id)
      ? await m.findOne(FundingRound, { where: { id }, relations: { programme: true, ringFences: true, criteria: true } })
      : null;
    if (!round || (round.state !== 'published' && !options.includeDrafts)) throw RoundsException.notFound();
    round.criteria?.sort((a, b) => a.position - b.position);
    round.form = withCategoryOptions(round.form, round.categories);
    return round;
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
      if (q.amountPence < round.minGrantPence) problems.push({ field: 'amountRequested', rule: 'min', message: `The smallest grant you can ask for is ${formatPounds(round.minGrantPence)}` });
      if (q.amountPence > round.maxGrantPence) problems.push({ field: 'amountRequested', rule: 'max', message: `The largest grant you can ask for is ${formatPounds(round.maxGrantPence)}` });
    }
    return problems;
  }

  async create(input: RoundInput): Promise<FundingRound> {
    this.validate(input);
    return this.dataSource.transaction(async (m) => {
      if (!(await m.findOne(FundProgramme, { where: { id: input.programmeId } }))) {
        throw new ValidationFailedException([{ field: 'programmeId', rule: 'exists', message: 'Select a fund programme' }]);
      }
      await this.assertUnique(m, input);
      const round = await m.save(
        m.create(FundingRound, { ...roundFields(input, { assessorsPerApplication: 2, moderationThreshold: 10, reminderHoursBefore: 48 }), state: 'draft' }),
      );
      await this.replaceChildren(m, round.id, input);
      await writeAudit(m, { action: 'round.created', entityType: 'funding_round', entityId: round.id, after: summariseInput(input) });
      return this.get(round.id, { includeDrafts: true, manager: m });
    });
  }

  /** Edits a round. Once it is open, anything that would change a submission is locked. */
  async update(id: string, input: RoundInput): Promise<FundingRound> {
    this.validate(input);
    return this.dataSource.transaction(async (m) => {
      const round = await m.findOne(FundingRound, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!round) throw RoundsException.notFound();
      const status = this.statusOf(round);
      if (status === 'open' || status === 'closed') {
        const changed = LOCKED_WHEN_OPEN.filter((f) => JSON.stringify(comparable(f, round[f], round.categories)) !== JSON.stringify(comparable(f, input[f], round.categories)));
        if (changed.length) throw RoundsException.locked(changed);
      }
      await this.assertUnique(m, input, id);
      const before = summariseRound(round);
      Object.assign(round, roundFields(input, round));
      await m.save(round);
      await this.replaceChildren(m, round.id, input);
      await writeAudit(m, { action: 'round.updated', entityType: 'funding_round', entityId: round.id, before, after: summariseInput(input) });
      return this.get(round.id, { includeDrafts: true, manager: m });
    });
  }

  async publish(id: string): Promise<FundingRound> {
    return this.dataSource.transaction(async (m) => {
      const round = await m.findOne(FundingRound, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!round) throw RoundsException.notFound();
      if (round.state === 'published') return this.get(id, { manager: m });
      round.state = 'published';
      round.publishedAt = this.clock.now();
      await m.save(round);
      await writeAudit(m, { action: 'round.published', entityType: 'funding_round', entityId: id, after: { opensAt: round.opensAt, closesAt: round.closesAt } });
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
      if (c.referencePrefix === prefix) errors.push({ field: 'referencePrefix', rule: 'unique', message: `The reference prefix ${prefix} is already used by ${c.name}` });
    }
    if (errors.length) throw new ValidationFailedException(errors);
  }

  private async replaceChildren(m: EntityManager, roundId: string, input: RoundInput) {
    await m.delete(RingFence, { roundId });
    for (const rf of input.ringFences ?? []) {
      await m.insert(RingFence, { roundId, name: rf.name.trim(), amountPence: pence(rf.amountPence), category: rf.category });
    }
    await m.delete(AssessmentCriterion, { roundId });
    let position = 0;
    for (const c of input.criteria ?? []) {
      await m.insert(AssessmentCriterion, { roundId, position: position++, name: c.name.trim(), guidance: c.guidance?.trim() ?? '', weight: c.weight, scaleMin: c.scaleMin ?? 0, scaleMax: c.scaleMax ?? 5 });
    }
  }

  /**
   * Checks a round's settings, throwing ValidationFailedException with every problem. Public so
   * the staff form can list the service's rules alongside its own parsing problems in one go.
   */
  validate(input: RoundInput) {
    const errors: FieldError[] = [];
    const add = (field: string, rule: string, message: string) => errors.push({ field, rule, message });
    if (!input.name?.trim()) add('name', 'isNotEmpty', 'Enter a name for the round, like Victims Fund 7');
    if (!/^[A-Z][A-Z0-9]{0,9}$/i.test(input.referencePrefix ?? '')) add('referencePrefix', 'pattern', 'Enter a reference prefix of up to 10 letters and digits, like VF7');
    if (!input.summary?.trim()) add('summary', 'isNotEmpty', 'Enter a summary of the round');
    if (!(input.opensAt instanceof Date) || Number.isNaN(input.opensAt.getTime())) add('opensAt', 'isDate', 'Enter when the round opens');
    if (!(input.closesAt instanceof Date) || Number.isNaN(input.closesAt.getTime())) add('closesAt', 'isDate', 'Enter when the round closes');
    else if (input.opensAt instanceof Date && input.closesAt <= input.opensAt) add('closesAt', 'afterOpens', 'The round must close after it opens');
    for (const f of ['totalBudgetPence', 'minGrantPence', 'maxGrantPence'] as const) {
      if (!Number.isSafeInteger(input[f]) || input[f] < 0) add(f, 'isPence', 'Enter an amount in whole pence');
    }
    if (input.totalBudgetPence <= 0) add('totalBudgetPence', 'min', 'The budget must be more than £0');
    if (input.maxGrantPence < input.minGrantPence) add('maxGrantPence', 'atLeastMin', 'The largest grant must be at least the smallest');
    if (input.maxGrantPence > input.totalBudgetPence) add('maxGrantPence', 'withinBudget', 'The largest grant cannot be more than the budget');
    const codes = new Set<string>();
    for (const [i, c] of (input.categories ?? []).entries()) {
      if (!/^[a-z][a-z0-9_]{0,39}$/.test(c.code ?? '') || !c.name?.trim()) add(`categories[${i}]`, 'category', 'Each category needs a code (lower-case letters) and a name');
      if (codes.has(c.code)) add(`categories[${i}].code`, 'unique', `Category "${c.code}" is listed twice`);
      codes.add(c.code);
    }
    let fenced = 0;
    for (const [i, rf] of (input.ringFences ?? []).entries()) {
      if (!rf.name?.trim()) add(`ringFences[${i}].name`, 'isNotEmpty', 'Enter a name for the ring-fence');
      if (!Number.isSafeInteger(rf.amountPence) || rf.amountPence <= 0) add(`ringFences[${i}].amountPence`, 'isPence', 'Enter the ring-fenced amount in whole pence');
      if (!codes.has(rf.category)) add(`ringFences[${i}].category`, 'isIn', 'A ring-fence must name one of the round’s categories');
      fenced += rf.amountPence || 0;
    }
    if (fenced > input.totalBudgetPence) add('ringFences', 'withinBudget', `Ring-fences add up to ${formatPounds(fenced)}, more than the budget of ${formatPounds(input.totalBudgetPence)}`);
    for (const [i, c] of (input.criteria ?? []).entries()) {
      if (!c.name?.trim()) add(`criteria[${i}].name`, 'isNotEmpty', 'Enter a name for the criterion');
      if (!Number.isInteger(c.weight) || c.weight <= 0) add(`criteria[${i}].weight`, 'min', 'A weight must be a whole number above 0');
      if ((c.scaleMax ?? 5) <= (c.scaleMin ?? 0)) add(`criteria[${i}].scaleMax`, 'aboveMin', 'The top of the scale must be above the bottom');
    }
    if (input.assessorsPerApplication !== undefined && !(Number.isInteger(input.assessorsPerApplication) && input.assessorsPerApplication >= 1 && input.assessorsPerApplication <= 5)) {
      add('assessorsPerApplication', 'range', 'The number of assessors per application must be a whole number from 1 to 5');
    }
    if (input.moderationThreshold !== undefined && !(Number.isInteger(input.moderationThreshold) && input.moderationThreshold >= 0)) {
      add('moderationThreshold', 'min', 'The moderation threshold must be a whole number of points, 0 or more');
    }
    if (input.reminderHoursBefore !== undefined && !(Number.isInteger(input.reminderHoursBefore) && input.reminderHoursBefore >= 1 && input.reminderHoursBefore <= 720)) {
      add('reminderHoursBefore', 'range', 'The reminder must be a whole number of hours from 1 to 720 before the close');
    }
    errors.push(...validateFormDefinition(input.form, input.categories ?? []));
    if (errors.length) throw new ValidationFailedException(errors);
  }
}

/** The columns a round input sets; settings left out keep `fallback`'s values. */
function roundFields(input: RoundInput, fallback: Pick<FundingRound, 'assessorsPerApplication' | 'moderationThreshold' | 'reminderHoursBefore'>) {
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
  };
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return [...v].map(normalise);
  // jsonb does not keep key order, so compare objects with their keys sorted.
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, normalise((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * A locked field's value as applicants experience it: eligibility lists are sets, and the form is
 * compared with its category options filled in (as `get` serves it), so sending back what was
 * read is never a change.
 */
function comparable(field: (typeof LOCKED_WHEN_OPEN)[number], value: unknown, categories: { code: string; name: string }[]): unknown {
  // An omitted list means "none", as on create, so leaving it out is not a change.
  if (field === 'eligibleOrgTypes' || field === 'eligibleAreas') return normalise([...(Array.isArray(value) ? value : [])].sort());
  if (field === 'form' && value) return normalise(withCategoryOptions(value as FormDefinition, categories ?? []));
  return normalise(value);
}

function summariseInput(input: RoundInput) {
  const { form, ...rest } = input;
  return { ...rest, formSections: form?.sections?.map((s) => s.id) };
}

function summariseRound(round: FundingRound) {
  return { name: round.name, opensAt: round.opensAt, closesAt: round.closesAt, totalBudgetPence: round.totalBudgetPence, minGrantPence: round.minGrantPence, maxGrantPence: round.maxGrantPence };
}

export type { Pence };
