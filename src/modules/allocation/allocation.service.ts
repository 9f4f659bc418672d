import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatPounds, pence } from '@pcc/money';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { ApplicationsService } from '../applications';
import { BudgetCommitment } from './entities/budget-commitment.entity';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { isUuid } from '../../platform/http/id.pipe';
import { AssessmentService, toHundredths } from '../assessment';
import { RoundsService } from '../funds';
import { type AllocationCandidate, type AllocationResult, AllocationSettingsError, allocate } from './allocation-plan';
import { DecisionsService, type PccDecision } from '../decisions';
import { AllocationException } from './allocation.exceptions';
import { AllocationRun } from './entities/allocation-run.entity';

export interface RunSettings {
  thresholdHundredths: number;
  unspentRingFences: 'release' | 'hold';
}

export interface RoundBudget {
  budgetPence: number;
  committedPence: number;
  availablePence: number;
  generalCommittedPence: number;
  ringFences: {
    id: string;
    name: string;
    category: string | null;
    areaOnsCode: string | null;
    amountPence: number;
    committedPence: number;
    availablePence: number;
  }[];
}

/**
 * Allocation: runs of a round's recommended awards from its ranking, kept side by side. The
 * arithmetic is allocation-plan.ts's; this loads what it needs through the owning modules'
 * services and records the run with its audit row.
 */
@Injectable()
export class AllocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessment: AssessmentService,
    private readonly rounds: RoundsService,
    private readonly applications: ApplicationsService,
    private readonly decisions: DecisionsService,
    private readonly clock: Clock,
  ) {}

  /** A new run from the round's ranking as it stands: refused until the ranking is ready. */
  createRun(actor: Principal, roundId: string, settings: RunSettings): Promise<AllocationRun> {
    return this.run(actor, roundId, settings, [], null);
  }

  /**
   * A fund manager's partial awards on a run: a new run with the same settings and these
   * adjustments, from the ranking as it stands (the run adjusted is kept, so the two compare).
   */
  async adjustRun(actor: Principal, runId: string, adjustments: { applicationId: string; amountPence: number; reason: string }[]): Promise<AllocationRun> {
    const base = await this.getRun(runId);
    const problems: FieldError[] = [];
    const seen = new Set<string>();
    adjustments.forEach((a, i) => {
      if (!base.awards.some((w) => w.applicationId === a.applicationId))
        problems.push({ field: `adjustments.${i}.applicationId`, rule: 'inRun', message: 'The application is not in this allocation run' });
      if (seen.has(a.applicationId)) problems.push({ field: `adjustments.${i}.applicationId`, rule: 'once', message: 'The application is adjusted twice' });
      seen.add(a.applicationId);
      if (!a.reason.trim()) problems.push({ field: `adjustments.${i}.reason`, rule: 'required', message: 'Enter why the award is less than requested' });
    });
    if (problems.length) throw new ValidationFailedException(problems);
    return this.run(
      actor,
      base.roundId,
      { thresholdHundredths: base.thresholdHundredths, unspentRingFences: base.unspentRingFences },
      adjustments.map((a) => ({ ...a, reason: a.reason.trim() })),
      base.id,
    );
  }

  private async run(
    actor: Principal,
    roundId: string,
    settings: RunSettings,
    adjustments: { applicationId: string; amountPence: number; reason: string }[],
    basedOnRunId: string | null,
  ): Promise<AllocationRun> {
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    const ranking = await this.assessment.ranking(roundId);
    if (!ranking.ready) throw AllocationException.rankingNotReady(ranking.outstanding.length);
    const partial = new Map(adjustments.map((a) => [a.applicationId, a.amountPence]));
    const candidates: AllocationCandidate[] = ranking.rows.map(({ row, rank }) => ({
      applicationId: row.applicationId,
      reference: row.reference,
      rank,
      scoreHundredths: row.final ? toHundredths(row.final) : null,
      requestedPence: Number(row.application.amountRequestedPence ?? 0),
      ...(partial.has(row.applicationId) ? { partialPence: partial.get(row.applicationId) } : {}),
      category: row.application.category,
      areaOnsCode: row.application.areaOnsCode,
    }));
    const fences = (round.ringFences ?? []).map((f) => ({
      id: f.id,
      name: f.name,
      amountPence: Number(f.amountPence),
      category: f.category,
      areaOnsCode: f.areaOnsCode,
    }));
    let result: AllocationResult;
    try {
      result = allocate(candidates, fences, { budgetPence: Number(round.totalBudgetPence), ...settings });
    } catch (e) {
      if (!(e instanceof AllocationSettingsError)) throw e;
      // The planner names candidates by their place in the ranking; the caller knows them by their place in the adjustments.
      const at = new Map(candidates.map((c, i) => [`candidates.${i}.partialPence`, adjustments.findIndex((a) => a.applicationId === c.applicationId)]));
      throw new ValidationFailedException(
        e.problems.map((p) => ({
          field: at.has(p.field) ? `adjustments.${at.get(p.field)}.amountPence` : p.field,
          rule: 'allocation',
          message: p.message,
        })),
      );
    }
    const reasons = new Map(adjustments.map((a) => [a.applicationId, a.reason]));
    const references = new Map(candidates.map((c) => [c.applicationId, c.reference]));
    // A partial award's reason says why, in the fund manager's words, after the planner's.
    const awards = result.awards.map((w) =>
      reasons.has(w.applicationId) && w.amountPence > 0 ? { ...w, reason: `${w.reason}: ${reasons.get(w.applicationId)}` } : w,
    );
    return this.dataSource.transaction(async (m) => {
      const run = await m.save(
        m.create(AllocationRun, {
          roundId,
          budgetPence: round.totalBudgetPence,
          thresholdHundredths: settings.thresholdHundredths,
          unspentRingFences: settings.unspentRingFences,
          committedPence: result.committedPence,
          generalPot: result.general,
          // Each pot keeps what qualifies for it: ring-fence ids change when the round is edited, the category or area does not.
          ringFences: result.ringFences.map((t) => {
            const f = fences.find((x) => x.id === t.id);
            return { ...t, category: f?.category ?? null, areaOnsCode: f?.areaOnsCode ?? null };
          }),
          awards,
          adjustments: adjustments.map((a) => ({ ...a, reference: references.get(a.applicationId) ?? '' })),
          basedOnRunId,
          createdBy: actor.id,
        }),
      );
      const count = (o: string) => result.awards.filter((a) => a.outcome === o).length;
      await writeAudit(m, {
        action: `allocation.run_${basedOnRunId ? 'adjusted' : 'created'}`,
        entityType: 'funding_round',
        entityId: roundId,
        after: {
          runId: run.id,
          basedOnRunId,
          thresholdHundredths: settings.thresholdHundredths,
          unspentRingFences: settings.unspentRingFences,
          committedPence: result.committedPence,
          funded: count('funded') + count('partly_funded'),
          reserve: count('reserve'),
          adjustments: adjustments.length,
        },
      });
      return run;
    });
  }

  /**
   * Submits a run for decision: drafts the Commissioner's decision record with the run's awards,
   * the financial implications per pot and the round's declarations of interest, which the fund
   * manager then completes and submits. A run goes forward once, and a round has one live
   * decision on its awards (taken under the round's row lock, so two submissions queue).
   */
  async submitRun(actor: Principal, runId: string, input: { title?: string; summary?: string }): Promise<{ run: AllocationRun; decision: PccDecision }> {
    const found = await this.getRun(runId);
    const round = await this.rounds.get(found.roundId, { includeDrafts: true });
    const declarations = await this.assessment.declarations(found.roundId);
    return this.dataSource.transaction(async (m) => {
      await this.rounds.lockBudget(m, found.roundId);
      const run = await m.findOneOrFail(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (run.decisionId) throw AllocationException.alreadySubmitted();
      const apps = new Map((await this.applications.assessable({ ids: run.awards.map((w) => w.applicationId) }, m)).map((a) => [a.id, a]));
      const potName = (source: string | null) =>
        source === null ? null : source === 'general' ? run.generalPot.name : (run.ringFences.find((f) => f.id === source)?.name ?? source);
      const funded = run.awards.filter((w) => w.outcome === 'funded' || w.outcome === 'partly_funded');
      const reserves = run.awards.filter((w) => w.outcome === 'reserve').length;
      const grant = {
        roundId: run.roundId,
        financialImplications: {
          budgetPence: Number(run.budgetPence),
          totalPence: Number(run.committedPence),
          pots: [run.generalPot, ...run.ringFences].map((p) => ({ name: p.name, amountPence: p.amountPence, awardedPence: p.committedPence })),
        },
        awards: run.awards.map((w) => ({
          applicationId: w.applicationId,
          reference: w.reference,
          organisationName: apps.get(w.applicationId)?.organisationName ?? '',
          outcome: w.outcome,
          amountPence: w.amountPence,
          requestedPence: Number(apps.get(w.applicationId)?.amountRequestedPence ?? 0),
          pot: potName(w.source),
          reason: w.reason,
        })),
        declarations: declarations
          .filter((d) => !d.standing)
          .map((d) => ({
            reference: d.reference,
            organisationName: d.organisationName,
            assessorName: d.assessor?.fullName ?? 'A former member of staff',
            conflict: d.conflict,
            reason: d.reason,
          })),
      };
      const summary =
        input.summary?.trim() ||
        `To award ${funded.length} grant${funded.length === 1 ? '' : 's'} totalling ${formatPounds(Number(run.committedPence))} from ${round.name} ` +
          `(budget ${formatPounds(Number(run.budgetPence))}), as the allocation recommends from the assessment panel’s scores` +
          (reserves ? `, with ${reserves} application${reserves === 1 ? '' : 's'} on a reserve list in rank order.` : '.');
      const decision = await this.decisions.draft(actor, { title: input.title?.trim() || `${round.name}: grant awards`, summary }, grant, m);
      run.decisionId = decision.id;
      await m.save(run);
      await writeAudit(m, {
        action: 'allocation.submitted_for_decision',
        entityType: 'funding_round',
        entityId: run.roundId,
        after: { runId: run.id, decisionId: decision.id, committedPence: Number(run.committedPence), funded: funded.length },
      });
      return { run, decision };
    });
  }

  /** The run a decision was drafted from, if any (in the caller's transaction when given). */
  runForDecision(decisionId: string, m: EntityManager = this.dataSource.manager): Promise<AllocationRun | null> {
    return m.findOne(AllocationRun, { where: { decisionId } });
  }

  /** A round's runs, newest first, a page at a time. */
  async listRuns(roundId: string, limit: number, page: number): Promise<{ items: AllocationRun[]; total: number }> {
    await this.rounds.get(roundId, { includeDrafts: true });
    const [items, total] = await this.dataSource.getRepository(AllocationRun).findAndCount({
      where: { roundId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  /** What a round has committed and has left, overall and per ring-fence: every figure summed from the commitments. */
  async budget(roundId: string, m: EntityManager = this.dataSource.manager): Promise<RoundBudget> {
    const round = await this.rounds.get(roundId, { includeDrafts: true, manager: m });
    return this.budgetOf(
      m,
      roundId,
      Number(round.totalBudgetPence),
      (round.ringFences ?? []).map((f) => ({ id: f.id, name: f.name, category: f.category, areaOnsCode: f.areaOnsCode, amountPence: Number(f.amountPence) })),
    );
  }

  /**
   * A round's live commitments, each with its pot (ring-fence category or area, or neither for the
   * general pot) and when it was made: what the payments ledger splits by financial year.
   */
  async liveCommitments(
    roundId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ grantApplicationId: string; category: string | null; areaOnsCode: string | null; amountPence: number; committedAt: Date }[]> {
    const rows = await m.find(BudgetCommitment, { where: { roundId, releasedAt: IsNull() }, order: { committedAt: 'ASC', id: 'ASC' } });
    return rows.map((c) => ({
      grantApplicationId: c.applicationId,
      category: c.ringFenceCategory,
      areaOnsCode: c.ringFenceAreaOnsCode,
      amountPence: Number(c.amountPence),
      committedAt: c.committedAt,
    }));
  }

  private async budgetOf(
    m: EntityManager,
    roundId: string,
    budgetPence: number,
    fences: { id: string; name: string; category: string | null; areaOnsCode: string | null; amountPence: number }[],
  ): Promise<RoundBudget> {
    const rows = await m.query<{ category: string | null; area: string | null; pence: string }[]>(
      `SELECT ring_fence_category AS category, ring_fence_area_ons_code AS area, sum(amount_pence)::bigint AS pence FROM budget_commitment
        WHERE round_id = $1 AND released_at IS NULL GROUP BY ring_fence_category, ring_fence_area_ons_code`,
      [roundId],
    );
    const by = new Map(rows.map((r) => [fenceKey(r.category, r.area), Number(r.pence)]));
    const committedPence = rows.reduce((s, r) => s + Number(r.pence), 0);
    return {
      budgetPence,
      committedPence,
      availablePence: budgetPence - committedPence,
      generalCommittedPence: by.get(null) ?? 0,
      ringFences: fences.map((f) => {
        const committed = by.get(fenceKey(f.category, f.areaOnsCode)) ?? 0;
        return { ...f, committedPence: committed, availablePence: f.amountPence - committed };
      }),
    };
  }

  /**
   * Commits money from a round's budget to one of its eligible applications, from the general pot
   * or from a ring-fence it qualifies for, in the caller's transaction if given. Under the round's
   * row lock, so commitments made at the same moment are checked one after another: the round's
   * commitments never exceed its budget, a ring-fence's never its amount, and the general pot
   * never spends ring-fenced money unless `useReleased` (the run released it).
   */
  async commit(
    actor: Principal,
    input: {
      roundId: string;
      applicationId: string;
      amountPence: number;
      /** The ring-fence by its category, or (for a ring-fence by area) `ringFenceArea`; neither for the general pot. */
      ringFenceCategory: string | null;
      ringFenceArea?: string | null;
      useReleased?: boolean;
    },
    manager?: EntityManager,
  ): Promise<BudgetCommitment> {
    const work = async (m: EntityManager) => {
      const { budgetPence, ringFences } = await this.rounds.lockBudget(m, input.roundId);
      const [app] = await this.applications.assessable({ ids: [input.applicationId] }, m);
      if (!app || app.roundId !== input.roundId || app.status !== 'eligible') throw AllocationException.notEligible(app?.reference ?? null);
      const fences = ringFences.map((f) => ({ ...f, amountPence: Number(f.amountPence) }));
      const area = input.ringFenceArea ?? null;
      const wanted = input.ringFenceCategory !== null || area !== null;
      const fence = !wanted ? null : fences.find((f) => (input.ringFenceCategory !== null ? f.category === input.ringFenceCategory : f.areaOnsCode === area));
      const qualifies = fence && (fence.category !== null ? app.category === fence.category : app.areaOnsCode === fence.areaOnsCode);
      if (wanted && !qualifies) throw AllocationException.notQualifying(app.reference, fence?.name ?? input.ringFenceCategory ?? area ?? '');
      if (await m.exists(BudgetCommitment, { where: { applicationId: app.id, releasedAt: IsNull() } }))
        throw AllocationException.alreadyCommitted(app.reference);
      const b = await this.budgetOf(m, input.roundId, Number(budgetPence), fences);
      const problems: FieldError[] = [];
      const amount = input.amountPence;
      if (amount > b.availablePence)
        problems.push({
          field: 'amountPence',
          rule: 'withinBudget',
          message: `Only ${formatPounds(Math.max(b.availablePence, 0))} of the round’s budget is uncommitted`,
        });
      if (fence) {
        const left = fence.amountPence - (b.ringFences.find((f) => f.id === fence.id)?.committedPence ?? 0);
        if (amount > left)
          problems.push({
            field: 'amountPence',
            rule: 'withinRingFence',
            message: `Only ${formatPounds(Math.max(left, 0))} of the ${fence.name} ring-fence is uncommitted`,
          });
      } else if (!input.useReleased) {
        const general = Number(budgetPence) - fences.reduce((s, f) => s + f.amountPence, 0);
        const left = general - b.generalCommittedPence;
        if (amount > left)
          problems.push({
            field: 'amountPence',
            rule: 'withinGeneralPot',
            message: `Only ${formatPounds(Math.max(left, 0))} of the general pot is uncommitted`,
          });
      }
      if (problems.length) throw AllocationException.overBudget(problems);
      const saved = await m.save(
        m.create(BudgetCommitment, {
          roundId: input.roundId,
          applicationId: app.id,
          ringFenceCategory: fence?.category ?? null,
          ringFenceAreaOnsCode: fence?.areaOnsCode ?? null,
          amountPence: pence(amount),
          committedBy: actor.id,
        }),
      );
      await writeAudit(m, {
        action: 'allocation.committed',
        entityType: 'application',
        entityId: app.id,
        after: { commitmentId: saved.id, amountPence: amount, ringFence: fence?.name ?? null },
      });
      return saved;
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Releases a commitment (an offer declined or lapsed): its money is available again; the row stays as the record. */
  async release(actor: Principal | null, commitmentId: string, manager?: EntityManager): Promise<BudgetCommitment> {
    const work = async (m: EntityManager) => {
      const c = isUuid(commitmentId) ? await m.findOne(BudgetCommitment, { where: { id: commitmentId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!c || c.releasedAt) throw AllocationException.commitmentNotFound();
      c.releasedAt = this.clock.now();
      await m.save(c);
      await writeAudit(m, {
        action: 'allocation.released',
        entityType: 'application',
        entityId: c.applicationId,
        before: { commitmentId: c.id, amountPence: c.amountPence },
      });
      return c;
    };
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /**
   * Changes a live commitment's amount, in the caller's transaction (a grant variation): under the
   * round's row lock, like `commit`, so an increase is checked against what else is committed at
   * that moment: the round's budget, the commitment's ring-fence, or the general pot (never the
   * ring-fenced money a run released: a variation is not the run). A decrease always fits. The
   * row is changed in place (its pot and financial year stay); the audit row keeps both amounts.
   * `field` names the input the refusal's details point at.
   */
  async changeCommitment(actor: Principal, commitmentId: string, newAmountPence: number, m: EntityManager, field = 'amountPence'): Promise<BudgetCommitment> {
    const found = isUuid(commitmentId) ? await m.findOne(BudgetCommitment, { where: { id: commitmentId } }) : null;
    if (!found) throw AllocationException.commitmentNotFound();
    // The round first, then the row, as commit and release take them.
    const { budgetPence, ringFences } = await this.rounds.lockBudget(m, found.roundId);
    const c = await m.findOneOrFail(BudgetCommitment, { where: { id: commitmentId }, lock: { mode: 'pessimistic_write' } });
    if (c.releasedAt) throw AllocationException.commitmentNotFound();
    const before = Number(c.amountPence);
    const increase = newAmountPence - before;
    if (increase === 0) return c;
    if (increase > 0) {
      const fences = ringFences.map((f) => ({ ...f, amountPence: Number(f.amountPence) }));
      const fence = fences.find((f) =>
        c.ringFenceCategory !== null ? f.category === c.ringFenceCategory : c.ringFenceAreaOnsCode !== null && f.areaOnsCode === c.ringFenceAreaOnsCode,
      );
      const b = await this.budgetOf(m, c.roundId, Number(budgetPence), fences);
      const problems: FieldError[] = [];
      if (increase > b.availablePence)
        problems.push({ field, rule: 'withinBudget', message: `Only ${formatPounds(Math.max(b.availablePence, 0))} of the round’s budget is uncommitted` });
      if (fence) {
        const left = fence.amountPence - (b.ringFences.find((f) => f.id === fence.id)?.committedPence ?? 0);
        if (increase > left)
          problems.push({ field, rule: 'withinRingFence', message: `Only ${formatPounds(Math.max(left, 0))} of the ${fence.name} ring-fence is uncommitted` });
      } else if (c.ringFenceCategory === null && c.ringFenceAreaOnsCode === null) {
        const left = Number(budgetPence) - fences.reduce((s, f) => s + f.amountPence, 0) - b.generalCommittedPence;
        if (increase > left)
          problems.push({ field, rule: 'withinGeneralPot', message: `Only ${formatPounds(Math.max(left, 0))} of the general pot is uncommitted` });
      }
      if (problems.length) throw AllocationException.overBudget(problems);
    }
    c.amountPence = pence(newAmountPence);
    await m.save(c);
    await writeAudit(m, {
      action: 'allocation.commitment_changed',
      entityType: 'application',
      entityId: c.applicationId,
      before: { commitmentId: c.id, amountPence: before },
      after: { commitmentId: c.id, amountPence: newAmountPence },
    });
    return c;
  }

  async getRun(id: string): Promise<AllocationRun> {
    const run = isUuid(id) ? await this.dataSource.getRepository(AllocationRun).findOne({ where: { id } }) : null;
    if (!run) throw AllocationException.notFound();
    return run;
  }
}

/** A pot's key among a round's commitments: its category, its area, or null for the general pot. */
function fenceKey(category: string | null, area: string | null): string | null {
  return category !== null ? `category:${category}` : area !== null ? `area:${area}` : null;
}
