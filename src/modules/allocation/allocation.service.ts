import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatPounds, pence } from '@pcc/money';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { FieldError } from '../../platform/errors/app-exception';
import { ApplicationsService } from '../applications';
import { BudgetCommitment } from './entities/budget-commitment.entity';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { isUuid } from '../../platform/http/id.pipe';
import { AssessmentService, toHundredths } from '../assessment';
import { RoundsService } from '../funds';
import { type AllocationCandidate, allocate } from './allocation-plan';
import { AllocationException } from './allocation.exceptions';
import { AllocationRun } from './entities/allocation-run.entity';

export interface RoundBudget {
  budgetPence: number;
  committedPence: number;
  availablePence: number;
  generalCommittedPence: number;
  ringFences: { id: string; name: string; category: string; amountPence: number; committedPence: number; availablePence: number }[];
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
    private readonly clock: Clock,
  ) {}

  /** A new run from the round's ranking as it stands: refused until the ranking is ready. */
  async createRun(actor: Principal, roundId: string, settings: { thresholdHundredths: number; unspentRingFences: 'release' | 'hold' }): Promise<AllocationRun> {
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    const ranking = await this.assessment.ranking(roundId);
    if (!ranking.ready) throw AllocationException.rankingNotReady(ranking.outstanding.length);
    const candidates: AllocationCandidate[] = ranking.rows.map(({ row, rank }) => ({
      applicationId: row.applicationId,
      reference: row.reference,
      rank,
      scoreHundredths: row.final ? toHundredths(row.final) : null,
      requestedPence: Number(row.application.amountRequestedPence ?? 0),
      category: row.application.category,
      areaOnsCode: row.application.areaOnsCode,
    }));
    const fences = (round.ringFences ?? []).map((f) => ({ id: f.id, name: f.name, amountPence: Number(f.amountPence), category: f.category }));
    const result = allocate(candidates, fences, { budgetPence: Number(round.totalBudgetPence), ...settings });
    return this.dataSource.transaction(async (m) => {
      const run = await m.save(
        m.create(AllocationRun, {
          roundId,
          budgetPence: round.totalBudgetPence,
          thresholdHundredths: settings.thresholdHundredths,
          unspentRingFences: settings.unspentRingFences,
          committedPence: result.committedPence,
          generalPot: result.general,
          ringFences: result.ringFences,
          awards: result.awards,
          createdBy: actor.id,
        }),
      );
      const count = (o: string) => result.awards.filter((a) => a.outcome === o).length;
      await writeAudit(m, {
        action: 'allocation.run_created',
        entityType: 'funding_round',
        entityId: roundId,
        after: {
          runId: run.id,
          thresholdHundredths: settings.thresholdHundredths,
          unspentRingFences: settings.unspentRingFences,
          committedPence: result.committedPence,
          funded: count('funded') + count('partly_funded'),
          reserve: count('reserve'),
        },
      });
      return run;
    });
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
      (round.ringFences ?? []).map((f) => ({ id: f.id, name: f.name, category: f.category, amountPence: Number(f.amountPence) })),
    );
  }

  private async budgetOf(
    m: EntityManager,
    roundId: string,
    budgetPence: number,
    fences: { id: string; name: string; category: string; amountPence: number }[],
  ): Promise<RoundBudget> {
    const rows = await m.query<{ category: string | null; pence: string }[]>(
      `SELECT ring_fence_category AS category, sum(amount_pence)::bigint AS pence FROM budget_commitment
        WHERE round_id = $1 AND released_at IS NULL GROUP BY ring_fence_category`,
      [roundId],
    );
    const by = new Map(rows.map((r) => [r.category, Number(r.pence)]));
    const committedPence = rows.reduce((s, r) => s + Number(r.pence), 0);
    return {
      budgetPence,
      committedPence,
      availablePence: budgetPence - committedPence,
      generalCommittedPence: by.get(null) ?? 0,
      ringFences: fences.map((f) => {
        const committed = by.get(f.category) ?? 0;
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
    input: { roundId: string; applicationId: string; amountPence: number; ringFenceCategory: string | null; useReleased?: boolean },
    manager?: EntityManager,
  ): Promise<BudgetCommitment> {
    const work = async (m: EntityManager) => {
      const { budgetPence, ringFences } = await this.rounds.lockBudget(m, input.roundId);
      const [app] = await this.applications.assessable({ ids: [input.applicationId] }, m);
      if (!app || app.roundId !== input.roundId || app.status !== 'eligible') throw AllocationException.notEligible(app?.reference ?? null);
      const fences = ringFences.map((f) => ({ ...f, amountPence: Number(f.amountPence) }));
      const fence = input.ringFenceCategory === null ? null : fences.find((f) => f.category === input.ringFenceCategory);
      if (input.ringFenceCategory !== null && (!fence || app.category !== fence.category))
        throw AllocationException.notQualifying(app.reference, fence?.name ?? input.ringFenceCategory);
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
        const left = fence.amountPence - (b.ringFences.find((f) => f.category === fence.category)?.committedPence ?? 0);
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
  async release(actor: Principal, commitmentId: string, manager?: EntityManager): Promise<BudgetCommitment> {
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

  async getRun(id: string): Promise<AllocationRun> {
    const run = isUuid(id) ? await this.dataSource.getRepository(AllocationRun).findOne({ where: { id } }) : null;
    if (!run) throw AllocationException.notFound();
    return run;
  }
}
