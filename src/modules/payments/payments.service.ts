import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { londonIsoDate } from '@pcc/london-time';
import { formatPounds, pence } from '@pcc/money';
import { DataSource, type EntityManager, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { PaymentApproval } from './entities/payment-approval.entity';
import { type PaymentRequestStatus, PaymentRequest } from './entities/payment-request.entity';
import { PaymentsException } from './payments.exceptions';
import type { Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { type PaymentTrigger, RoundsService, splitAward } from '../funds';
import { type Grant, GrantsService } from '../grants';
import { Instalment } from './entities/instalment.entity';

/**
 * Payments (issue 12): each accepted grant's instalments, made from its round's payment schedule
 * in the acceptance's own transaction; a finance officer's request to pay an instalment that is
 * due, approved by one finance approver (two above the dual-approval threshold), never the person
 * who raised it. Bank details, runs and the ledger follow.
 */
@Injectable()
export class PaymentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
    private readonly rounds: RoundsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.grants.onAcceptance((m, grant) => this.schedule(m, grant));
    this.grants.onReportApproved((m, report) => this.reportApproved(m, report));
  }

  /** The grant's instalments from its round's schedule: the acceptance share due today (London), the rest scheduled. */
  private async schedule(m: EntityManager, grant: Grant): Promise<void> {
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    const dueOn = londonIsoDate(this.clock.now());
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

  /** A grant's instalments, in order, each with its payment requests, for the person asking (the grant's own access rules apply). */
  async forGrant(actor: Principal, grantId: string): Promise<{ instalment: Instalment; requests: PaymentRequest[] }[]> {
    const { grant } = await this.grants.getFor(actor, grantId);
    const instalments = await this.dataSource.getRepository(Instalment).find({ where: { grantId: grant.id }, order: { seq: 'ASC' } });
    const requests = instalments.length
      ? await this.dataSource.getRepository(PaymentRequest).find({
          where: { instalmentId: In(instalments.map((i) => i.id)) },
          relations: { approvals: true },
          order: { requestedAt: 'ASC', id: 'ASC' },
        })
      : [];
    return instalments.map((instalment) => ({ instalment, requests: requests.filter((r) => r.instalmentId === instalment.id) }));
  }

  /**
   * A fund manager changes an accepted grant's schedule, with a reason: the new instalments add up
   * to the award exactly, and only while none has been asked for (the grant's row lock holds
   * requests back meanwhile). The acceptance share falls due at once; a report's share waits.
   */
  async adjustSchedule(
    actor: Principal,
    grantId: string,
    input: { instalments: { amountPence: number; trigger: PaymentTrigger; reportMonths?: number }[]; reason: string },
  ): Promise<Instalment[]> {
    const why = input.reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the schedule is changed' }]);
    const { grant } = await this.grants.getFor(actor, grantId);
    return this.dataSource.transaction(async (m) => {
      const current = await m.find(Instalment, { where: { grantId: grant.id }, order: { seq: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      if (!current.length) throw PaymentsException.notScheduled();
      const started = current.find((i) => i.status !== 'due' && i.status !== 'scheduled');
      if (started) throw PaymentsException.scheduleStarted(started.seq);
      const problems: FieldError[] = [];
      const total = input.instalments.reduce((sum, i) => sum + i.amountPence, 0);
      if (total !== Number(grant.amountPence))
        problems.push({
          field: 'instalments',
          rule: 'sumsToAward',
          message: `The instalments add up to ${formatPounds(total)}; they must add up to the grant of ${formatPounds(Number(grant.amountPence))}`,
        });
      input.instalments.forEach((i, n) => {
        if (i.trigger === 'monitoring_report' && !i.reportMonths)
          problems.push({
            field: `instalments.${n}.reportMonths`,
            rule: 'required',
            message: 'Say how many months after the start the monitoring report is due',
          });
        if (i.trigger === 'acceptance' && i.reportMonths)
          problems.push({ field: `instalments.${n}.reportMonths`, rule: 'onlyForReports', message: 'Only a monitoring report has months' });
      });
      if (problems.length) throw new ValidationFailedException(problems);
      const today = current.find((i) => i.dueOn)?.dueOn ?? londonIsoDate(this.clock.now());
      await m.delete(Instalment, { grantId: grant.id });
      for (const [n, i] of input.instalments.entries())
        await m.insert(Instalment, {
          grantId: grant.id,
          seq: n + 1,
          amountPence: pence(i.amountPence),
          trigger: i.trigger,
          reportMonths: i.trigger === 'monitoring_report' ? (i.reportMonths ?? null) : null,
          status: i.trigger === 'acceptance' ? 'due' : 'scheduled',
          dueOn: i.trigger === 'acceptance' ? today : null,
        });
      await writeAudit(m, {
        action: 'payments.schedule_changed',
        entityType: 'application',
        entityId: grant.applicationId,
        before: { instalments: current.map((i) => Number(i.amountPence)) },
        after: { grantId: grant.id, instalments: input.instalments.map((i) => i.amountPence), reason: why },
      });
      return m.find(Instalment, { where: { grantId: grant.id }, order: { seq: 'ASC' } });
    });
  }

  /**
   * A finance officer asks for a due instalment to be paid. Under the instalment's row lock, so two
   * officers asking at once make one request (and a unique index backs that up).
   */
  async requestPayment(actor: Principal, instalmentId: string): Promise<PaymentRequest> {
    return this.dataSource.transaction(async (m) => {
      const instalment = isUuid(instalmentId) ? await m.findOne(Instalment, { where: { id: instalmentId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!instalment) throw PaymentsException.instalmentNotFound();
      if (instalment.status !== 'due') throw PaymentsException.notDue(instalment.status);
      const amount = Number(instalment.amountPence);
      const request = await m.save(
        m.create(PaymentRequest, {
          instalmentId: instalment.id,
          amountPence: instalment.amountPence,
          approvalsNeeded: amount > this.config.paymentDualApprovalPence ? 2 : 1,
          requestedBy: actor.id,
        }),
      );
      instalment.status = 'requested';
      await m.save(instalment);
      await writeAudit(m, {
        action: 'payments.requested',
        entityType: 'instalment',
        entityId: instalment.id,
        after: { requestId: request.id, amountPence: amount, approvalsNeeded: request.approvalsNeeded },
      });
      return Object.assign(request, { approvals: [] });
    });
  }

  /**
   * A finance approver approves a pending request: never one they raised, and each approver once.
   * The request's row lock makes approvals take turns, so however many arrive at once, the request
   * is approved exactly once, when its last needed approval is in.
   */
  async approve(actor: Principal, requestId: string): Promise<PaymentRequest> {
    return this.decide(
      requestId,
      async (m, request) => {
        if (await m.exists(PaymentApproval, { where: { requestId: request.id, approverId: actor.id } })) throw PaymentsException.alreadyApproved();
        await m.insert(PaymentApproval, { requestId: request.id, approverId: actor.id });
        const approvals = await m.count(PaymentApproval, { where: { requestId: request.id } });
        const final = approvals >= request.approvalsNeeded;
        if (final) {
          Object.assign(request, { status: 'approved', decidedAt: this.clock.now() });
          await m.update(Instalment, { id: request.instalmentId }, { status: 'approved' });
        }
        await writeAudit(m, {
          action: 'payments.approved',
          entityType: 'instalment',
          entityId: request.instalmentId,
          after: { requestId: request.id, approvals, approvalsNeeded: request.approvalsNeeded, final },
        });
      },
      actor,
    );
  }

  /** A finance approver rejects a pending request with a reason; the instalment is due again, for a new request. */
  async reject(actor: Principal, requestId: string, reason: string): Promise<PaymentRequest> {
    const why = reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the payment request is rejected' }]);
    return this.decide(
      requestId,
      async (m, request) => {
        Object.assign(request, { status: 'rejected', decidedAt: this.clock.now(), rejectionReason: why });
        await m.update(Instalment, { id: request.instalmentId }, { status: 'due' });
        await writeAudit(m, {
          action: 'payments.request_rejected',
          entityType: 'instalment',
          entityId: request.instalmentId,
          after: { requestId: request.id, reason: why },
        });
      },
      actor,
    );
  }

  private decide(requestId: string, change: (m: EntityManager, request: PaymentRequest) => Promise<void>, actor: Principal): Promise<PaymentRequest> {
    return this.dataSource.transaction(async (m) => {
      const request = isUuid(requestId) ? await m.findOne(PaymentRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!request) throw PaymentsException.requestNotFound();
      if (request.status !== 'pending') throw PaymentsException.notPending(request.status);
      if (request.requestedBy === actor.id) throw PaymentsException.ownRequest();
      await change(m, request);
      await m.save(request);
      return m.findOneOrFail(PaymentRequest, { where: { id: request.id }, relations: { approvals: true } });
    });
  }

  /** Instalments due and not yet requested, oldest due first, a page at a time: finance's queue to raise. */
  async dueInstalments(limit: number, page: number): Promise<{ items: Instalment[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(Instalment).findAndCount({
      where: { status: 'due' },
      order: { dueOn: 'ASC', createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  /** How many instalments wait for a request, and how many requests wait for an approval this person may give. */
  async queueCounts(me: Principal): Promise<{ due: number; toApprove: number }> {
    const due = await this.dataSource.getRepository(Instalment).count({ where: { status: 'due' } });
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM payment_request r
        WHERE r.status = 'pending' AND r.requested_by <> $1
          AND NOT EXISTS (SELECT 1 FROM payment_approval a WHERE a.request_id = r.id AND a.approver_id = $1)`,
      [me.id],
    );
    return { due, toApprove: n };
  }

  /** One payment request with its approvals. */
  async getRequest(id: string): Promise<PaymentRequest> {
    const r = isUuid(id)
      ? await this.dataSource.getRepository(PaymentRequest).findOne({ where: { id }, relations: { approvals: true, instalment: true } })
      : null;
    if (!r) throw PaymentsException.requestNotFound();
    return r;
  }

  /** What the finance pages show beside instalments: each grant's reference, organisation and round. */
  grantSummaries(grantIds: string[]) {
    return this.grants.summaries([...new Set(grantIds)]);
  }

  /** Payment requests for finance, oldest first, a page at a time, optionally in one state. */
  async listRequests(q: { status?: PaymentRequestStatus; limit: number; page: number }): Promise<{ items: PaymentRequest[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(PaymentRequest).findAndCount({
      where: q.status ? { status: q.status } : {},
      relations: { approvals: true, instalment: true },
      order: { requestedAt: 'ASC', id: 'ASC' },
      skip: (q.page - 1) * q.limit,
      take: q.limit,
    });
    return { items, total };
  }

  /**
   * In a monitoring report's approval: the grant's instalments scheduled to wait for a report that
   * many months in fall due, on the approval's London day.
   */
  private async reportApproved(m: EntityManager, report: { grantId: string; months: number }): Promise<void> {
    await m.update(
      Instalment,
      { grantId: report.grantId, trigger: 'monitoring_report', reportMonths: report.months, status: 'scheduled' },
      { status: 'due', dueOn: londonIsoDate(this.clock.now()) },
    );
  }
}
