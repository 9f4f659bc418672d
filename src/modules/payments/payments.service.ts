import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { toLondonLocal } from '@pcc/london-time';
import { pence } from '@pcc/money';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { RoundsService, splitAward } from '../funds';
import { type Grant, GrantsService } from '../grants';
import { Instalment } from './entities/instalment.entity';

/**
 * Payments (issue 12): so far each accepted grant's instalments, made from its round's payment
 * schedule in the acceptance's own transaction. Payment requests, approval, runs and the ledger
 * follow.
 */
@Injectable()
export class PaymentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
    private readonly rounds: RoundsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.grants.onAcceptance((m, grant) => this.schedule(m, grant));
  }

  /** The grant's instalments from its round's schedule: the acceptance share due today (London), the rest scheduled. */
  private async schedule(m: EntityManager, grant: Grant): Promise<void> {
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    const today = toLondonLocal(this.clock.now());
    const dueOn = `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
    const parts = splitAward(round.paymentSchedule, Number(grant.amountPence)).filter((p) => p.amountPence > 0);
    for (const [i, { step, amountPence }] of parts.entries()) {
      await m.insert(Instalment, {
        grantId: grant.id,
        seq: i + 1,
        amountPence: pence(amountPence),
        trigger: step.trigger,
        reportMonths: step.trigger === 'monitoring_report' ? (step.reportMonths ?? null) : null,
        status: step.trigger === 'acceptance' ? 'due' : 'scheduled',
        dueOn: step.trigger === 'acceptance' ? dueOn : null,
      });
    }
    await writeAudit(m, {
      action: 'payments.scheduled',
      entityType: 'application',
      entityId: grant.applicationId,
      after: { grantId: grant.id, instalments: parts.map((p) => p.amountPence) },
    });
  }

  /** A grant's instalments, in order, for the person asking (the grant's own access rules apply). */
  async forGrant(actor: Principal, grantId: string): Promise<Instalment[]> {
    const { grant } = await this.grants.getFor(actor, grantId);
    return this.dataSource.getRepository(Instalment).find({ where: { grantId: grant.id }, order: { seq: 'ASC' } });
  }
}
