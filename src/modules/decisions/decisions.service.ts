import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { toLondonLocal } from '@pcc/london-time';
import { formatPounds, pence } from '@pcc/money';
import { RoundsService } from '../funds';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { DecisionsException } from './decisions.exceptions';
import {
  type BackgroundPaper,
  type DecisionAward,
  type DecisionDeclaration,
  type DecisionStatus,
  type FinancialImplications,
  type Implication,
  IMPLICATIONS,
  PccDecision,
  decisionNumber,
} from './entities/pcc-decision.entity';
import { isUuid } from '../../platform/http/id.pipe';

/** What the public register shows: published decisions, and rejected or withdrawn ones, which keep their numbers. */
const ON_REGISTER: readonly DecisionStatus[] = ['published', 'rejected', 'withdrawn'];

/** A decision record's written content: what the fund manager drafts and the Commissioner reads. */
export interface DecisionContent {
  title: string;
  summary: string;
  confidential?: boolean;
  confidentialSubject?: string;
  background?: string;
  implications?: Partial<Record<Implication, string>>;
  optionsConsidered?: string;
  consultation?: string;
  reasons?: string;
  backgroundPapers?: BackgroundPaper[];
  confidentialAnnex?: string;
  annexExemption?: string;
  annexPublicInterest?: string;
  /** A budget decision: fund managers may then award grants in the round up to the limit each, within the budget. */
  delegatedRoundId?: string;
  delegatedBudgetPence?: number;
  delegatedAwardLimitPence?: number;
  /** "2027-03": the month the decision is expected, which puts it on the public forward plan. */
  expectedMonth?: string;
}

/** What an allocation run puts into the decision that awards its round's grants (generated, not typed). */
export interface GrantDecisionPart {
  roundId: string;
  financialImplications: FinancialImplications;
  awards: DecisionAward[];
  declarations: DecisionDeclaration[];
}

/** Work another module does inside the approval's transaction (grants are offered there); throwing undoes the approval. */
export type ApprovalEffect = (m: EntityManager, decision: PccDecision, actor: Principal) => Promise<void>;

/** Decisions still in play: a round has at most one of these awarding its grants. */
const LIVE: readonly DecisionStatus[] = ['draft', 'submitted', 'approved', 'published'];

/**
 * The Commissioner's decision records: drafting (which gives the record its number), the
 * content, submission, approval or rejection, publication and the public register. Other modules
 * act on an approval through effects they register here, in the approval's own transaction.
 */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly rounds: RoundsService,
  ) {}

  private readonly approvalEffects: ApprovalEffect[] = [];

  /** Registers work to do when a decision is approved, in the same transaction (grants: offering the awards). */
  onApproval(effect: ApprovalEffect): void {
    this.approvalEffects.push(effect);
  }

  /** Drafts a decision record and gives it the next number of the London calendar year, in the same transaction. */
  async draft(actor: Principal, input: DecisionContent, grant?: GrantDecisionPart, manager?: EntityManager): Promise<PccDecision> {
    const content = checkedContent(input);
    await this.checkDelegation(content, manager);
    const year = toLondonLocal(this.clock.now()).year;
    const work = async (m: EntityManager) => {
      if (grant && (await m.exists(PccDecision, { where: { roundId: grant.roundId, status: In([...LIVE]) } }))) throw DecisionsException.roundHasDecision();
      // The year's counter row is the queue: drafters take turns, and a rollback hands the number back.
      await m.query(`INSERT INTO decision_number_counter (year, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [year]);
      const [[counter]] = await m.query<[{ last_seq: number }[], number]>(
        `UPDATE decision_number_counter SET last_seq = last_seq + 1 WHERE year = $1 RETURNING last_seq`,
        [year],
      );
      if (counter.last_seq > 999) throw DecisionsException.yearFull(year);
      const saved = await m.save(
        m.create(PccDecision, {
          year,
          seq: counter.last_seq,
          ...content,
          roundId: grant?.roundId ?? null,
          financialImplications: grant?.financialImplications ?? null,
          awards: grant?.awards ?? null,
          declarations: grant?.declarations ?? null,
          draftedBy: actor.id,
        }),
      );
      await writeAudit(m, {
        action: 'decision.drafted',
        entityType: 'pcc_decision',
        entityId: saved.id,
        after: { number: decisionNumber(saved), title: saved.title, confidential: saved.confidential, roundId: saved.roundId },
      });
      return saved;
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Rewrites a draft's content (its number, and any awards an allocation put in it, stay). */
  async update(actor: Principal, id: string, input: DecisionContent): Promise<PccDecision> {
    // The state first (as the step under the lock checks it again), so a decided record is "not a draft", not "invalid".
    const current = await this.get(id);
    if (current.status !== 'draft') throw DecisionsException.wrongState(decisionNumber(current), current.status, 'edited');
    await this.checkDelegation(checkedContent(input));
    return this.transition(id, ['draft'], 'edited', (d) => {
      Object.assign(d, checkedContent(input));
      return { action: 'decision.edited', after: { title: d.title, by: actor.id } };
    });
  }

  /** A decision record in full, for the staff who draft and decide. */
  async get(id: string): Promise<PccDecision> {
    const d = isUuid(id) ? await this.dataSource.getRepository(PccDecision).findOne({ where: { id } }) : null;
    if (!d) throw DecisionsException.notFound();
    return d;
  }

  /**
   * Decisions' numbers ("016-2020") by id, in one query: for a list of another module's records (a
   * page of grants) that names the decision behind each, without reading whole records per row.
   */
  async numbersByIds(ids: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await m.getRepository(PccDecision).find({ where: { id: In(wanted) }, select: { id: true, year: true, seq: true } });
    return new Map(rows.map((d) => [d.id, decisionNumber(d)]));
  }

  /** "016-2020": a decision's number as the register shows it. */
  numberOf(d: Pick<PccDecision, 'year' | 'seq'>): string {
    return decisionNumber(d);
  }

  /** A delegation names a round that exists, with a budget no more than the round's. */
  private async checkDelegation(content: ReturnType<typeof checkedContent>, m: EntityManager = this.dataSource.manager): Promise<void> {
    if (!content.delegatedRoundId) return;
    const round = await this.rounds.get(content.delegatedRoundId, { includeDrafts: true, manager: m }).catch(() => null);
    if (!round)
      throw new ValidationFailedException([{ field: 'delegatedRoundId', rule: 'exists', message: 'Select the round the delegated awards are made in' }]);
    if (Number(content.delegatedBudgetPence) > Number(round.totalBudgetPence))
      throw new ValidationFailedException([
        {
          field: 'delegatedBudgetPence',
          rule: 'withinRound',
          message: `The delegated budget must be no more than the round’s budget of ${formatPounds(Number(round.totalBudgetPence))}`,
        },
      ]);
  }

  /**
   * A budget decision, locked in the caller's transaction, for an award under its delegation: so
   * two fund managers awarding at once take turns and the delegated budget is never overspent.
   */
  async lockDelegating(m: EntityManager, id: string): Promise<PccDecision> {
    const d = isUuid(id) ? await m.findOne(PccDecision, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!d) throw DecisionsException.notFound();
    if (!d.delegatedRoundId || (d.status !== 'approved' && d.status !== 'published')) throw DecisionsException.notDelegating(decisionNumber(d));
    return d;
  }

  /** The approved (or published) decision that awarded a round's grants, if there is one. */
  awardingDecision(roundId: string, m: EntityManager = this.dataSource.manager): Promise<PccDecision | null> {
    return m.findOne(PccDecision, { where: { roundId, status: In(['approved', 'published']) } });
  }

  /** Decision records for staff, newest first, optionally in some states. */
  async listRecords(q: { statuses?: DecisionStatus[]; limit: number; page: number }): Promise<{ items: PccDecision[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(PccDecision).findAndCount({
      where: q.statuses?.length ? { status: In(q.statuses) } : {},
      order: { year: 'DESC', seq: 'DESC' },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return { items, total };
  }

  /** How many decisions are in each state: for the dashboards' counts. */
  async countsByStatus(): Promise<Record<DecisionStatus, number>> {
    const rows = await this.dataSource.query<{ status: DecisionStatus; n: string }[]>(`SELECT status, count(*) AS n FROM pcc_decision GROUP BY status`);
    const counts = { draft: 0, submitted: 0, approved: 0, rejected: 0, published: 0, withdrawn: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** A fund manager submits a draft to the Commissioner. */
  submit(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(id, ['draft'], 'submitted', (d) => {
      Object.assign(d, { status: 'submitted', submittedAt: this.clock.now() });
      return { action: 'decision.submitted' };
    });
  }

  /** The Commissioner approves a submitted decision; not one they drafted themselves. */
  approve(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(
      id,
      ['submitted'],
      'approved',
      (d) => {
        if (d.draftedBy === actor.id) throw DecisionsException.ownDecision();
        Object.assign(d, { status: 'approved', decidedAt: this.clock.now(), decidedBy: actor.id });
        return { action: 'decision.approved' };
      },
      async (m, d) => {
        for (const effect of this.approvalEffects) await effect(m, d, actor);
      },
    );
  }

  /** The Commissioner rejects a submitted decision, with a reason; it keeps its number and shows on the register as rejected. */
  reject(actor: Principal, id: string, reason: string): Promise<PccDecision> {
    const why = reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the decision is rejected' }]);
    return this.transition(id, ['submitted'], 'rejected', (d) => {
      if (d.draftedBy === actor.id) throw DecisionsException.ownDecision();
      Object.assign(d, { status: 'rejected', decidedAt: this.clock.now(), decidedBy: actor.id, rejectionReason: why });
      return { action: 'decision.rejected', after: { reason: why } };
    });
  }

  /** A fund manager withdraws a draft or submitted decision, with a reason: it keeps its number and shows on the register as withdrawn. */
  withdraw(actor: Principal, id: string, reason: string): Promise<PccDecision> {
    const why = reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the decision is withdrawn' }]);
    return this.transition(id, ['draft', 'submitted'], 'withdrawn', (d) => {
      Object.assign(d, { status: 'withdrawn', withdrawnReason: why });
      return { action: 'decision.withdrawn', after: { reason: why, by: actor.id } };
    });
  }

  /** Publishes an approved decision on the public register. */
  publish(actor: Principal, id: string): Promise<PccDecision> {
    return this.transition(id, ['approved'], 'published', (d) => {
      Object.assign(d, { status: 'published', publishedAt: this.clock.now() });
      return { action: 'decision.published' };
    });
  }

  /** The public register: published decisions, and rejected or withdrawn ones (which keep their numbers), newest first. */
  async register(q: { year?: number; limit: number; page: number }): Promise<{ items: PccDecision[]; total: number }> {
    const qb = this.dataSource.getRepository(PccDecision).createQueryBuilder('d').where('d.status IN (:...shown)', { shown: ON_REGISTER });
    if (q.year) qb.andWhere('d.year = :year', { year: q.year });
    const [items, total] = await qb
      .orderBy('d.year', 'DESC')
      .addOrderBy('d.seq', 'DESC')
      .offset((q.page - 1) * q.limit)
      .limit(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * The forward plan: decisions expected this month or later that are still being prepared or are
   * with the Commissioner, soonest first. Never a confidential one.
   */
  async forwardPlan(q: { limit: number; page: number }): Promise<{ items: PccDecision[]; total: number }> {
    const now = toLondonLocal(this.clock.now());
    const thisMonth = `${now.year}-${String(now.month).padStart(2, '0')}-01`;
    const [items, total] = await this.dataSource
      .getRepository(PccDecision)
      .createQueryBuilder('d')
      .where(`d.status IN ('draft', 'submitted')`)
      .andWhere('NOT d.confidential')
      .andWhere('d.expected_month >= :thisMonth', { thisMonth })
      .orderBy('d.expected_month', 'ASC')
      .addOrderBy('d.year', 'ASC')
      .addOrderBy('d.seq', 'ASC')
      .offset((q.page - 1) * q.limit)
      .limit(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  /** One decision on the register by its number ("016-2020"); anything not on the register is "not found". */
  async onRegister(number: string): Promise<PccDecision> {
    const n = /^(\d{3})-(\d{4})$/.exec(number);
    const d = n ? await this.dataSource.getRepository(PccDecision).findOne({ where: { seq: Number(n[1]), year: Number(n[2]) } }) : null;
    if (!d || !ON_REGISTER.includes(d.status)) throw DecisionsException.notFound();
    return d;
  }

  /** One step of the record's life, under its row lock, with its audit row. */
  private transition(
    id: string,
    from: DecisionStatus[],
    verb: string,
    change: (d: PccDecision) => { action: string; after?: Record<string, unknown> },
    then?: (m: EntityManager, d: PccDecision) => Promise<void>,
  ): Promise<PccDecision> {
    return this.dataSource.transaction(async (m) => {
      const d = isUuid(id) ? await m.findOne(PccDecision, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!d) throw DecisionsException.notFound();
      if (!from.includes(d.status)) throw DecisionsException.wrongState(decisionNumber(d), d.status, verb);
      const before = d.status;
      const { action, after } = change(d);
      await m.save(d);
      await writeAudit(m, {
        action,
        entityType: 'pcc_decision',
        entityId: d.id,
        before: { status: before },
        after: { status: d.status, number: decisionNumber(d), ...after },
      });
      if (then) await then(m, d);
      return d;
    });
  }
}

/** The content as stored: trimmed, with the rules that tie fields together checked. */
function checkedContent(input: DecisionContent) {
  const t = (v: string | undefined) => v?.trim() ?? '';
  const confidential = input.confidential ?? false;
  const subject = t(input.confidentialSubject);
  const annex = t(input.confidentialAnnex);
  const exemption = t(input.annexExemption);
  const publicInterest = t(input.annexPublicInterest);
  const problems: FieldError[] = [];
  if (confidential && !subject)
    problems.push({ field: 'confidentialSubject', rule: 'requiredWhenConfidential', message: 'Say what a confidential decision relates to' });
  if (!confidential && subject)
    problems.push({ field: 'confidentialSubject', rule: 'onlyWhenConfidential', message: 'Say what it relates to only for a confidential decision' });
  if ((exemption || publicInterest) && !annex)
    problems.push({ field: 'confidentialAnnex', rule: 'requiredWithReason', message: 'Enter the confidential annex, or remove the reason for restricting it' });
  if (annex && !exemption)
    problems.push({ field: 'annexExemption', rule: 'requiredWithAnnex', message: 'Enter the exemption the confidential annex is withheld under' });
  const delegation = [input.delegatedRoundId, input.delegatedBudgetPence, input.delegatedAwardLimitPence];
  if (delegation.some((v) => v !== undefined) && delegation.some((v) => v === undefined))
    problems.push({
      field: delegation[0] === undefined ? 'delegatedRoundId' : delegation[1] === undefined ? 'delegatedBudgetPence' : 'delegatedAwardLimitPence',
      rule: 'delegationComplete',
      message: 'A budget decision needs the round, the delegated budget and the largest award fund managers may make',
    });
  else if (
    input.delegatedAwardLimitPence !== undefined &&
    input.delegatedBudgetPence !== undefined &&
    input.delegatedAwardLimitPence > input.delegatedBudgetPence
  )
    problems.push({ field: 'delegatedAwardLimitPence', rule: 'withinBudget', message: 'The largest award must be no more than the delegated budget' });
  if (annex && !publicInterest)
    problems.push({
      field: 'annexPublicInterest',
      rule: 'requiredWithAnnex',
      message: 'Enter the public interest test: why withholding the annex outweighs publishing it',
    });
  if (problems.length) throw new ValidationFailedException(problems);
  const implications: Partial<Record<Implication, string>> = {};
  for (const k of IMPLICATIONS) {
    const v = t(input.implications?.[k]);
    if (v) implications[k] = v;
  }
  return {
    title: input.title.trim(),
    summary: input.summary.trim(),
    confidential,
    confidentialSubject: confidential ? subject : null,
    background: t(input.background),
    implications,
    optionsConsidered: t(input.optionsConsidered),
    consultation: t(input.consultation),
    reasons: t(input.reasons),
    backgroundPapers: (input.backgroundPapers ?? []).map((p) => ({ title: p.title.trim(), public: p.public })).filter((p) => p.title),
    confidentialAnnex: annex || null,
    annexExemption: annex ? exemption : null,
    annexPublicInterest: annex ? publicInterest : null,
    delegatedRoundId: input.delegatedRoundId ?? null,
    delegatedBudgetPence: input.delegatedBudgetPence !== undefined ? pence(input.delegatedBudgetPence) : null,
    delegatedAwardLimitPence: input.delegatedAwardLimitPence !== undefined ? pence(input.delegatedAwardLimitPence) : null,
    expectedMonth: input.expectedMonth ? `${input.expectedMonth}-01` : null,
  };
}
