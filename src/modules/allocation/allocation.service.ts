import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource } from 'typeorm';
import type { Principal } from '../../platform/access';
import { isUuid } from '../../platform/http/id.pipe';
import { AssessmentService, toHundredths } from '../assessment';
import { RoundsService } from '../funds';
import { type AllocationCandidate, allocate } from './allocation-plan';
import { AllocationException } from './allocation.exceptions';
import { AllocationRun } from './entities/allocation-run.entity';

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

  async getRun(id: string): Promise<AllocationRun> {
    const run = isUuid(id) ? await this.dataSource.getRepository(AllocationRun).findOne({ where: { id } }) : null;
    if (!run) throw AllocationException.notFound();
    return run;
  }
}
