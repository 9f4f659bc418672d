import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import type { DataCipher } from '@pcc/crypto';
import { formatLondonDate, formatLondonDateTime, londonIsoDate } from '@pcc/london-time';
import { formatPounds, type Pence, pence } from '@pcc/money';
import { DataSource, type EntityManager, In, IsNull, Not } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { PaymentApproval } from './entities/payment-approval.entity';
import { type PaymentRequestStatus, PaymentRequest } from './entities/payment-request.entity';
import { PaymentsException } from './payments.exceptions';
import { OrganisationRole, Permission, type Principal } from '../../platform/access';
import { DATA_CIPHER } from '../../platform/crypto';
import { AllocationService } from '../allocation';
import { OrganisationsService, UsersService } from '../identity';
import { NotificationsService } from '../notifications';
import { BankDetails, type VerificationMethod } from './entities/bank-details.entity';
import { PaymentRun } from './entities/payment-run.entity';
import { Payment } from './entities/payment.entity';
import { Repayment } from './entities/repayment.entity';
import { paymentRunCsv, runNumber } from './payment-runs-csv';
import { Clock } from '../../platform/clock';
import { type PaymentTrigger, RoundsService, splitAward } from '../funds';
import { type Grant, type GrantSummary, GrantsService } from '../grants';
import { keysetBatches, type KeysetTerm, orderByTerms } from '../../platform/database/keyset';
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
    private readonly allocation: AllocationService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipher,
  ) {}

  onModuleInit(): void {
    this.grants.onAcceptance((m, grant) => this.schedule(m, grant));
    this.grants.onReportApproved((m, report) => this.reportApproved(m, report));
    this.grants.onVariationApproved((m, change) => this.variationApproved(m, change.grant, change.amountBeforePence, change.amountAfterPence));
  }

  /** The grant's instalments from its round's schedule: the acceptance share due today (London), the rest scheduled. */
  private async schedule(m: EntityManager, grant: Grant): Promise<void> {
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    const organisationId = (await this.grants.summaries([grant.id], m)).get(grant.id)!.organisationId;
    const dueOn = londonIsoDate(this.clock.now());
    const due = await this.dueStatus(m, organisationId);
    const parts = splitAward(round.paymentSchedule, Number(grant.amountPence)).filter((p) => p.amountPence > 0);
    for (const [i, { step, amountPence }] of parts.entries()) {
      await m.insert(Instalment, {
        grantId: grant.id,
        organisationId,
        seq: i + 1,
        amountPence: pence(amountPence),
        trigger: step.trigger,
        reportMonths: step.trigger === 'monitoring_report' ? (step.reportMonths ?? null) : null,
        ...(step.trigger === 'acceptance' ? { ...due, dueOn } : { status: 'scheduled', dueOn: null }),
      });
    }
    await writeAudit(m, {
      action: 'payments.scheduled',
      entityType: 'application',
      entityId: grant.applicationId,
      after: { grantId: grant.id, instalments: parts.map((p) => p.amountPence) },
    });
  }

  /**
   * How an instalment that falls due now starts: due, or on hold when the organisation's bank
   * details changed and are not yet verified (it waits with the others).
   */
  private async dueStatus(m: EntityManager, organisationId: string): Promise<{ status: 'due' | 'on_hold'; heldFrom: 'due' | null }> {
    const unverified = await m.exists(BankDetails, { where: { organisationId, supersededAt: IsNull(), verifiedBy: IsNull() } });
    return unverified ? { status: 'on_hold', heldFrom: 'due' } : { status: 'due', heldFrom: null };
  }

  /** A grant's instalments, in order, each with its payment requests, for the person asking (the grant's own access rules apply). */
  async forGrant(actor: Principal, grantId: string): Promise<{ instalment: Instalment; requests: PaymentRequest[]; payments: Payment[] }[]> {
    const { grant } = await this.grants.getFor(actor, grantId);
    const instalments = await this.dataSource.getRepository(Instalment).find({ where: { grantId: grant.id }, order: { seq: 'ASC' } });
    const requests = instalments.length
      ? await this.dataSource.getRepository(PaymentRequest).find({
          where: { instalmentId: In(instalments.map((i) => i.id)) },
          relations: { approvals: true },
          order: { requestedAt: 'ASC', id: 'ASC' },
        })
      : [];
    const payments = instalments.length
      ? await this.dataSource
          .getRepository(Payment)
          .find({ where: { instalmentId: In(instalments.map((i) => i.id)) }, order: { recordedAt: 'ASC', id: 'ASC' } })
      : [];
    return instalments.map((instalment) => ({
      instalment,
      requests: requests.filter((r) => r.instalmentId === instalment.id),
      payments: payments.filter((p) => p.instalmentId === instalment.id),
    }));
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
    const { grant: seen } = await this.grants.getFor(actor, grantId);
    return this.dataSource.transaction(async (m) => {
      // The award as it stands now, under the grant's lock: a variation approved meanwhile cannot slip between.
      const grant = await this.grants.lockForChange(m, seen.id);
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
      const organisationId = current[0].organisationId;
      const due = await this.dueStatus(m, organisationId);
      await m.delete(Instalment, { grantId: grant.id });
      for (const [n, i] of input.instalments.entries()) {
        // A share paid on a report needs the report: made now if the grant lacks it; if it is
        // already approved, the share is due at once (the approval's hook has been and gone).
        const report = i.trigger === 'monitoring_report' ? await this.grants.ensureReport(m, grant.id, i.reportMonths!) : null;
        const dueNow = i.trigger === 'acceptance' || report?.status === 'approved';
        await m.insert(Instalment, {
          grantId: grant.id,
          organisationId,
          seq: n + 1,
          amountPence: pence(i.amountPence),
          trigger: i.trigger,
          reportMonths: i.trigger === 'monitoring_report' ? (i.reportMonths ?? null) : null,
          ...(dueNow ? { ...due, dueOn: i.trigger === 'acceptance' ? today : londonIsoDate(this.clock.now()) } : { status: 'scheduled' as const, dueOn: null }),
        });
      }
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
      // A payment the bank returned (failed) may be asked for again, as a new request.
      if (instalment.status !== 'due' && instalment.status !== 'failed') throw PaymentsException.notDue(instalment.status);
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
          await this.moveInstalment(m, request.instalmentId, 'approved');
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
        await this.moveInstalment(m, request.instalmentId, 'due');
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

  /**
   * Moves an instalment on (approved, due again): while a change of bank details holds it, the
   * hold stays and the new state is where it goes back to once the change is verified.
   */
  private async moveInstalment(m: EntityManager, instalmentId: string, to: 'approved' | 'due'): Promise<void> {
    const i = await m.findOneOrFail(Instalment, { where: { id: instalmentId }, lock: { mode: 'pessimistic_write' } });
    if (i.status === 'on_hold') i.heldFrom = to;
    else i.status = to;
    await m.save(i);
  }

  /** Instalments due (or whose payment failed) and not yet requested, oldest due first, a page at a time: finance's queue to raise. */
  async dueInstalments(limit: number, page: number): Promise<{ items: Instalment[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(Instalment).findAndCount({
      where: { status: In(['due', 'failed']) },
      order: { dueOn: 'ASC', createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }

  /** How many instalments wait for a request, and how many requests wait for an approval this person may give. */
  async queueCounts(me: Principal): Promise<{ due: number; toApprove: number; readyForRun: number; bankHolds: number }> {
    const due = await this.dataSource.getRepository(Instalment).count({ where: { status: In(['due', 'failed']) } });
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM payment_request r
        WHERE r.status = 'pending' AND r.requested_by <> $1
          AND NOT EXISTS (SELECT 1 FROM payment_approval a WHERE a.request_id = r.id AND a.approver_id = $1)`,
      [me.id],
    );
    const readyForRun = (await this.readySums(this.dataSource.manager)).ready;
    const bankHolds = await this.dataSource.getRepository(BankDetails).count({ where: { supersededAt: IsNull(), verifiedBy: IsNull() } });
    return { due, toApprove: n, readyForRun, bankHolds };
  }

  /** One payment request with its approvals. */
  async getRequest(id: string): Promise<PaymentRequest> {
    const r = isUuid(id)
      ? await this.dataSource.getRepository(PaymentRequest).findOne({ where: { id }, relations: { approvals: true, instalment: true } })
      : null;
    if (!r) throw PaymentsException.requestNotFound();
    return r;
  }

  /** Staff members' names by id, for pages that say who changed or verified something. */
  async staffNames(ids: string[]): Promise<Map<string, string>> {
    const people = await this.users.staffByIds([...new Set(ids)]);
    return new Map([...people].map(([id, p]) => [id, p.fullName]));
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
   * many months in fall due, on the approval's London day (on hold instead while the organisation's
   * changed bank details wait for verification).
   */
  private async reportApproved(m: EntityManager, report: { grantId: string; months: number }): Promise<void> {
    const waiting = await m.find(Instalment, {
      where: { grantId: report.grantId, trigger: 'monitoring_report', reportMonths: report.months, status: 'scheduled' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const i of waiting)
      await m.update(Instalment, { id: i.id }, { ...(await this.dueStatus(m, i.organisationId)), dueOn: londonIsoDate(this.clock.now()) });
  }

  // ── Payment runs ────────────────────────────────────────────────────────────────────────────

  /**
   * Approved requests not yet in a run, a page at a time: those that go into the next run first,
   * then those that must wait, each oldest approval first; with each organisation's bank account
   * (for those that can go) or why it waits. Also how many can go, their total, and how many wait,
   * over all of them, not just the page: what the next run would be.
   */
  async readyForRun(at: { limit: number; page: number }): Promise<ReadyPage> {
    const m = this.dataSource.manager;
    const sums = await this.readySums(m);
    const { entities, raw } = await orderByTerms(this.approvedNotInRun(m), READY_ORDER)
      .offset((at.page - 1) * at.limit)
      .limit(at.limit)
      .getRawAndEntities<{ r_id: string; waiting: ReadyPayment['waiting'] }>();
    return {
      items: await this.withBankDetails(m, entities, raw),
      total: sums.ready + sums.waiting,
      limit: at.limit,
      page: at.page,
      readyCount: sums.ready,
      readyPence: Number(sums.ready_pence),
      waitingCount: sums.waiting,
    };
  }

  /** Over every approved request not yet in a run: how many can go into the next run and their total, and how many wait. */
  private async readySums(m: EntityManager): Promise<{ ready: number; ready_pence: string; waiting: number }> {
    const [sums] = await m.query<{ ready: number; ready_pence: string; waiting: number }[]>(
      `SELECT count(*) FILTER (WHERE s.waiting IS NULL)::int AS ready,
              coalesce(sum(s.amount_pence) FILTER (WHERE s.waiting IS NULL), 0)::text AS ready_pence,
              count(*) FILTER (WHERE s.waiting IS NOT NULL)::int AS waiting
         FROM (SELECT r.amount_pence, ${WAITING_SQL} AS waiting
                 FROM payment_request r JOIN instalment i ON i.id = r.instalment_id
                WHERE ${APPROVED_NOT_IN_RUN}) s`,
    );
    return sums;
  }

  /**
   * The same list for finance's download (organisations and the money approved for them),
   * recorded in the audit trail as it starts, then read a batch at a time by keyset in the page's
   * order.
   */
  async downloadReadyForRun(format: string, batchSize?: number): Promise<AsyncGenerator<ReadyPaymentRow[]>> {
    await this.dataSource.transaction((m) =>
      writeAudit(m, { action: 'payments.ready_table_downloaded', entityType: 'payment_run', entityId: 'next', after: { format } }),
    );
    return this.readyBatches(batchSize);
  }

  private async *readyBatches(batchSize?: number): AsyncGenerator<ReadyPaymentRow[]> {
    const m = this.dataSource.manager;
    for await (const { entities, raw } of keysetBatches(() => this.approvedNotInRun(m), READY_ORDER, batchSize)) {
      const ready = await this.withBankDetails(m, entities, raw as { r_id: string; waiting: ReadyPayment['waiting'] }[]);
      const grants = await this.grants.summaries(
        ready.map((r) => r.instalment.grantId),
        m,
      );
      yield ready.map((r) => ({ ...r, grant: grants.get(r.instalment.grantId) ?? null }));
    }
  }

  /** Approved requests not yet in a run, with their instalments and why each waits (`waiting`, NULL when it can go). */
  private approvedNotInRun(m: EntityManager) {
    return m
      .getRepository(PaymentRequest)
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.instalment', 'i')
      .addSelect(WAITING_SQL, 'waiting')
      .where(APPROVED_NOT_IN_RUN);
  }

  /** The requests with their organisations' current bank details, and why each waits as the query said. */
  private async withBankDetails(
    m: EntityManager,
    requests: PaymentRequest[],
    raw: { r_id: string; waiting: ReadyPayment['waiting'] }[],
  ): Promise<ReadyPayment[]> {
    const waiting = new Map(raw.map((x) => [x.r_id, x.waiting ?? null]));
    const orgIds = [...new Set(requests.map((r) => r.instalment!.organisationId))];
    const details = orgIds.length ? await m.find(BankDetails, { where: { organisationId: In(orgIds), supersededAt: IsNull() } }) : [];
    const byOrg = new Map(details.map((d) => [d.organisationId, d]));
    return requests.map((request) => ({
      request,
      instalment: request.instalment!,
      bankDetails: byOrg.get(request.instalment!.organisationId) ?? null,
      waiting: waiting.get(request.id) ?? null,
    }));
  }

  /**
   * A finance officer puts every approved request that can be paid into a new, numbered run: each
   * to the organisation's verified account. Runs are made one at a time (a transaction lock), so
   * two officers at once never put one request in two runs (the unique index on the request backs
   * that up), and the database refuses any payment that would take a grant past its award.
   */
  async createRun(actor: Principal, input: { requestIds?: string[] } = {}): Promise<PaymentRun> {
    try {
      return await this.dataSource.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('payment_run'))`);
        const wanted = input.requestIds ? new Set(input.requestIds) : null;
        // Every request that can go, read whole: the run takes them all, under the lock.
        const { entities, raw } = await orderByTerms(this.approvedNotInRun(m).andWhere(`${WAITING_SQL} IS NULL`), READY_ORDER).getRawAndEntities<{
          r_id: string;
          waiting: null;
        }>();
        const ready = (await this.withBankDetails(m, entities, raw)).filter((r) => !wanted || wanted.has(r.request.id));
        if (wanted) {
          const missing = [...wanted].filter((id) => !ready.some((r) => r.request.id === id));
          if (missing.length) throw PaymentsException.notReady(missing[0]);
        }
        if (!ready.length) throw PaymentsException.nothingToPay();
        const grants = await this.grants.summaries(
          ready.map((r) => r.instalment.grantId),
          m,
        );
        const [{ next }] = await m.query<{ next: number }[]>(`SELECT coalesce(max(number), 0) + 1 AS next FROM payment_run`);
        const total = ready.reduce((sum, r) => sum + Number(r.request.amountPence), 0);
        const run = await m.save(m.create(PaymentRun, { number: next, createdBy: actor.id, paymentCount: ready.length, totalPence: pence(total) }));
        for (const r of ready) {
          const g = grants.get(r.instalment.grantId);
          await m.insert(Payment, {
            runId: run.id,
            requestId: r.request.id,
            instalmentId: r.instalment.id,
            grantId: r.instalment.grantId,
            bankDetailsId: r.bankDetails!.id,
            amountPence: r.request.amountPence,
            reference: `${g?.reference ?? 'GRANT'}-${r.instalment.seq}`,
          });
        }
        await writeAudit(m, {
          action: 'payments.run_created',
          entityType: 'payment_run',
          entityId: run.id,
          after: { number: runNumber(next), payments: ready.length, totalPence: total },
        });
        return run;
      });
    } catch (err) {
      if (isCheckViolation(err, 'CHK_payment_within_award')) throw PaymentsException.exceedsAward();
      throw err;
    }
  }

  /** Runs, newest first, a page at a time. */
  async listRuns(limit: number, page: number): Promise<{ items: PaymentRun[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(PaymentRun).findAndCount({ order: { number: 'DESC' }, skip: (page - 1) * limit, take: limit });
    return { items, total };
  }

  /** One run with its payments in the order they were added. */
  async getRun(id: string): Promise<PaymentRun & { payments: Payment[] }> {
    const run = isUuid(id) ? await this.dataSource.getRepository(PaymentRun).findOne({ where: { id } }) : null;
    if (!run) throw PaymentsException.runNotFound();
    const payments = await this.dataSource
      .getRepository(Payment)
      .find({ where: { runId: run.id }, relations: { instalment: true, bankDetails: true }, order: { reference: 'ASC', id: 'ASC' } });
    return Object.assign(run, { payments });
  }

  /**
   * A run's payments for finance's download (organisations and the money paid them), recorded in
   * the audit trail as it starts: the run is checked (404), the download audited, and the
   * payments then read a batch at a time by keyset, in the run page's order.
   */
  async downloadRunPayments(runId: string, format: string, batchSize?: number): Promise<{ run: PaymentRun; batches: AsyncGenerator<RunPaymentRow[]> }> {
    const run = isUuid(runId) ? await this.dataSource.getRepository(PaymentRun).findOne({ where: { id: runId } }) : null;
    if (!run) throw PaymentsException.runNotFound();
    await this.dataSource.transaction((m) =>
      writeAudit(m, { action: 'payments.run_table_downloaded', entityType: 'payment_run', entityId: run.id, after: { number: runNumber(run.number), format } }),
    );
    return { run, batches: this.runPaymentBatches(run.id, batchSize) };
  }

  private async *runPaymentBatches(runId: string, batchSize?: number): AsyncGenerator<RunPaymentRow[]> {
    const m = this.dataSource.manager;
    const query = () => m.getRepository(Payment).createQueryBuilder('p').leftJoinAndSelect('p.bankDetails', 'b').where('p.run_id = :runId', { runId });
    for await (const { entities } of keysetBatches(
      query,
      [
        { expr: 'p.reference', dir: 'ASC' },
        { expr: 'p.id', dir: 'ASC' },
      ],
      batchSize,
    )) {
      const grants = await this.grants.summaries(
        entities.map((p) => p.grantId),
        m,
      );
      yield entities.map((payment) => ({ payment, grant: grants.get(payment.grantId) ?? null, accountEnding: payment.bankDetails?.accountLastFour ?? '' }));
    }
  }

  /** One payment with its run. */
  async getPayment(id: string): Promise<Payment> {
    const p = isUuid(id) ? await this.dataSource.getRepository(Payment).findOne({ where: { id }, relations: { run: true, bankDetails: true } }) : null;
    if (!p) throw PaymentsException.paymentNotFound();
    return p;
  }

  /**
   * The run's unpaid payments as the finance system's CSV, with each account decrypted: finance
   * only, and every export is audited (it shows full bank details). Refused while any payment's
   * organisation has changed its bank details since (on hold): finance marks it failed first.
   */
  async exportRun(actor: Principal, id: string): Promise<{ filename: string; csv: string }> {
    return this.dataSource.transaction(async (m) => {
      const run = isUuid(id) ? await m.findOne(PaymentRun, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!run) throw PaymentsException.runNotFound();
      const payments = await m.find(Payment, {
        where: { runId: run.id, status: 'in_run' },
        relations: { instalment: true, bankDetails: true },
        order: { reference: 'ASC', id: 'ASC' },
      });
      if (!payments.length) throw PaymentsException.runSettled(runNumber(run.number));
      const held = payments.filter((p) => p.instalment?.status === 'on_hold');
      if (held.length) throw PaymentsException.runHasHeld(held.map((p) => p.reference));
      const grants = await this.grants.summaries(
        payments.map((p) => p.grantId),
        m,
      );
      const lines = payments.map((p) => {
        const g = grants.get(p.grantId);
        const bank = p.bankDetails!;
        return {
          payee: bank.accountName,
          sortCode: this.cipher.decrypt(bank.sortCodeEncrypted, SORT_CODE_CONTEXT),
          accountNumber: this.cipher.decrypt(bank.accountNumberEncrypted, ACCOUNT_NUMBER_CONTEXT),
          amountPence: Number(p.amountPence),
          reference: p.reference,
          grant: g?.reference ?? p.grantId,
          costCentre: g?.costCentre ?? null,
          run: runNumber(run.number),
          paymentId: p.id,
        };
      });
      if (!run.exportedAt) run.exportedAt = this.clock.now();
      await m.save(run);
      await writeAudit(m, {
        action: 'payments.run_exported',
        entityType: 'payment_run',
        entityId: run.id,
        after: { number: runNumber(run.number), payments: payments.length, by: actor.id },
      });
      return { filename: `payment-run-${runNumber(run.number)}.csv`, csv: paymentRunCsv(lines) };
    });
  }

  /**
   * What the bank did with each payment in a run: paid (the day and the bank's reference; the
   * instalment is paid and the organisation gets a remittance email) or failed (with a reason; the
   * instalment may be asked for again). All or nothing: one bad line changes nothing.
   */
  async recordResults(actor: Principal, runId: string, results: PaymentResultInput[]): Promise<Payment[]> {
    return this.dataSource.transaction(async (m) => {
      const run = isUuid(runId) ? await m.findOne(PaymentRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!run) throw PaymentsException.runNotFound();
      const seen = new Set<string>();
      const problems: FieldError[] = [];
      const today = londonIsoDate(this.clock.now());
      const touched: Payment[] = [];
      for (const [n, result] of results.entries()) {
        if (seen.has(result.paymentId)) problems.push({ field: `results.${n}.paymentId`, rule: 'unique', message: 'Each payment may appear once' });
        seen.add(result.paymentId);
        if (result.outcome === 'paid' && !result.paidOn)
          problems.push({ field: `results.${n}.paidOn`, rule: 'required', message: 'Enter the day it was paid' });
        if (result.outcome === 'paid' && !result.bankReference?.trim())
          problems.push({ field: `results.${n}.bankReference`, rule: 'required', message: 'Enter the bank’s reference for the payment' });
        if (result.outcome === 'failed' && !result.reason?.trim())
          problems.push({ field: `results.${n}.reason`, rule: 'required', message: 'Say why the payment failed' });
        if (result.outcome === 'paid' && result.paidOn && result.paidOn > today)
          problems.push({ field: `results.${n}.paidOn`, rule: 'notFuture', message: 'The day it was paid must be today or in the past' });
      }
      if (problems.length) throw new ValidationFailedException(problems);
      for (const [n, result] of results.entries()) {
        const payment = isUuid(result.paymentId)
          ? await m.findOne(Payment, { where: { id: result.paymentId, runId: run.id }, lock: { mode: 'pessimistic_write' } })
          : null;
        if (!payment)
          throw new ValidationFailedException([
            { field: `results.${n}.paymentId`, rule: 'inRun', message: `Payment ${result.paymentId} is not in run ${runNumber(run.number)}` },
          ]);
        if (payment.status !== 'in_run') throw PaymentsException.alreadyRecorded(payment.reference, payment.status);
        const instalment = await m.findOneOrFail(Instalment, { where: { id: payment.instalmentId }, lock: { mode: 'pessimistic_write' } });
        Object.assign(payment, { recordedBy: actor.id, recordedAt: this.clock.now() });
        if (result.outcome === 'paid') {
          Object.assign(payment, { status: 'paid', paidOn: result.paidOn, bankReference: result.bankReference?.trim() });
          // Paid to the account verified when the run was made, even if a change is on hold since.
          Object.assign(instalment, { status: 'paid', heldFrom: null });
        } else {
          Object.assign(payment, { status: 'failed', failureReason: result.reason?.trim() });
          await m.update(PaymentRequest, { id: payment.requestId }, { status: 'failed' });
          if (instalment.status === 'on_hold') instalment.heldFrom = 'failed';
          else instalment.status = 'failed';
        }
        await m.save(payment);
        await m.save(instalment);
        if (result.outcome === 'paid') {
          await writeAudit(m, {
            action: 'payments.paid',
            entityType: 'instalment',
            entityId: instalment.id,
            after: {
              paymentId: payment.id,
              reference: payment.reference,
              amountPence: Number(payment.amountPence),
              paidOn: payment.paidOn,
              bankReference: payment.bankReference,
            },
          });
          await this.emailRemittance(m, payment, instalment);
        } else
          await writeAudit(m, {
            action: 'payments.failed',
            entityType: 'instalment',
            entityId: instalment.id,
            after: { paymentId: payment.id, reference: payment.reference, reason: payment.failureReason },
          });
        touched.push(payment);
      }
      return touched;
    });
  }

  /** The remittance advice to the organisation's owners and contact: what was paid, when, for which grant. */
  private async emailRemittance(m: EntityManager, payment: Payment, instalment: Instalment): Promise<void> {
    const g = (await this.grants.summaries([payment.grantId], m)).get(payment.grantId);
    const bank = await m.findOneOrFail(BankDetails, { where: { id: payment.bankDetailsId } });
    for (const email of await this.organisations.ownerEmails(instalment.organisationId, m))
      await this.notifications.enqueue(m, {
        idempotencyKey: `remittance:${payment.id}:${email}`,
        to: email,
        template: 'payment-remittance',
        data: {
          organisation: g?.organisationName ?? '',
          round: g?.roundName ?? '',
          reference: payment.reference,
          grant: g?.reference ?? '',
          amount: formatPounds(Number(payment.amountPence)),
          paidOn: formatIsoDate(payment.paidOn!),
          account: `ending ${bank.accountLastFour}`,
          instalment: String(instalment.seq),
          link: `${this.config.publicBaseUrl}/grants/${payment.grantId}/payments`,
        },
      });
  }

  // ── Clawback ────────────────────────────────────────────────────────────────────────────────

  /**
   * A fund manager records money a grant holder must pay back, with the reason: never more than
   * has been paid on the grant less what is already being clawed back (under the grant's payments'
   * row locks, so two at once cannot both fit).
   */
  async raiseRepayment(actor: Principal, grantId: string, input: { amountPence: number; reason: string }): Promise<Repayment> {
    const why = input.reason.trim();
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the money must be paid back' }]);
    const { grant } = await this.grants.getFor(actor, grantId);
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT 1 FROM instalment WHERE grant_id = $1 FOR UPDATE`, [grant.id]);
      const paid = await this.sum(m, Payment, { grantId: grant.id, status: 'paid' });
      const claimed = await this.sum(m, Repayment, { grantId: grant.id });
      if (input.amountPence > paid - claimed)
        throw new ValidationFailedException([
          {
            field: 'amountPence',
            rule: 'withinPaid',
            message: `Only ${formatPounds(Math.max(paid - claimed, 0))} has been paid on this grant and not already asked back`,
          },
        ]);
      const repayment = await m.save(m.create(Repayment, { grantId: grant.id, amountPence: pence(input.amountPence), reason: why, raisedBy: actor.id }));
      await writeAudit(m, {
        action: 'payments.repayment_raised',
        entityType: 'application',
        entityId: grant.applicationId,
        after: { grantId: grant.id, repaymentId: repayment.id, amountPence: input.amountPence, reason: why },
      });
      return repayment;
    });
  }

  /** Finance records that an owed repayment has arrived; it returns to the round and ring-fence the grant was paid from. */
  async receiveRepayment(actor: Principal, repaymentId: string, receivedOn: string): Promise<Repayment> {
    if (receivedOn > londonIsoDate(this.clock.now()))
      throw new ValidationFailedException([{ field: 'receivedOn', rule: 'notFuture', message: 'The day it arrived must be today or in the past' }]);
    return this.dataSource.transaction(async (m) => {
      const r = isUuid(repaymentId) ? await m.findOne(Repayment, { where: { id: repaymentId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!r) throw PaymentsException.repaymentNotFound();
      if (r.status !== 'owed') throw PaymentsException.repaymentReceived();
      Object.assign(r, { status: 'received', receivedOn, receivedBy: actor.id });
      await m.save(r);
      await writeAudit(m, {
        action: 'payments.repayment_received',
        entityType: 'repayment',
        entityId: r.id,
        after: { grantId: r.grantId, amountPence: Number(r.amountPence), receivedOn },
      });
      return r;
    });
  }

  /** A grant's repayments, oldest first (its own organisation or staff, as the grant's access rules say). */
  async repaymentsFor(actor: Principal, grantId: string): Promise<Repayment[]> {
    const { grant } = await this.grants.getFor(actor, grantId);
    return this.dataSource.getRepository(Repayment).find({ where: { grantId: grant.id }, order: { raisedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * What has been paid on each of these grants (payments recorded paid; one in a run or failed is
   * not money received) and when the last was recorded: open data's "amount disbursed". One
   * grouped query for a batch of grants, answered from the payment table's (grant, status) index.
   */
  async paidByGrant(grantIds: readonly string[]): Promise<Map<string, { paidPence: number; lastRecordedAt: Date | null }>> {
    const out = new Map<string, { paidPence: number; lastRecordedAt: Date | null }>();
    if (!grantIds.length) return out;
    const rows = await this.dataSource
      .getRepository(Payment)
      .createQueryBuilder('p')
      .select('p.grant_id', 'grant_id')
      .addSelect('sum(p.amount_pence)::bigint', 'paid')
      .addSelect('max(p.recorded_at)', 'last')
      .where(`p.status = 'paid'`)
      // One array parameter, not one per grant: the open-data export asks 500 at a time.
      .andWhere('p.grant_id = ANY(CAST(:grantIds AS uuid[]))', { grantIds })
      .groupBy('p.grant_id')
      .getRawMany<{ grant_id: string; paid: string; last: Date | null }>();
    for (const r of rows) out.set(r.grant_id, { paidPence: Number(r.paid), lastRecordedAt: r.last });
    return out;
  }

  private async sum(m: EntityManager, entity: typeof Payment | typeof Repayment, where: Record<string, unknown>): Promise<number> {
    const raw = await m.getRepository<{ amountPence: Pence }>(entity).sum('amountPence', where);
    return Number(raw ?? 0);
  }

  // ── Bank details ────────────────────────────────────────────────────────────────────────────

  /**
   * An owner of the organisation gives or changes its bank account. Every change is a new,
   * unverified version: each unpaid instalment of the organisation goes on hold until a finance
   * officer (not the person who entered them) confirms the details independently, and everyone at
   * the organisation hears of the change, so a fraudster's request cannot pass unnoticed.
   */
  async changeBankDetails(actor: Principal, organisationId: string, input: BankDetailsInput): Promise<BankDetailsView> {
    const account = normaliseBankAccount(input);
    return this.dataSource.transaction(async (m) => {
      const role = await this.organisations.roleIn(actor.id, organisationId, m);
      if (role !== OrganisationRole.Owner) throw PaymentsException.organisationNotFound();
      const current = await m.findOne(BankDetails, { where: { organisationId, supersededAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (current) await m.update(BankDetails, { id: current.id }, { supersededAt: this.clock.now() });
      const details = await m.save(
        m.create(BankDetails, {
          organisationId,
          accountName: account.accountName,
          sortCodeEncrypted: this.cipher.encrypt(account.sortCode, SORT_CODE_CONTEXT),
          accountNumberEncrypted: this.cipher.encrypt(account.accountNumber, ACCOUNT_NUMBER_CONTEXT),
          accountLastFour: account.accountNumber.slice(-4),
          accountFingerprint: this.cipher.fingerprint(`${account.sortCode}:${account.accountNumber}`, 'bank_details.account'),
          changedBy: actor.id,
        }),
      );
      const held = await this.holdUnpaid(m, organisationId);
      const duplicates = await this.sameAccountElsewhere(m, details);
      const after = {
        accountName: details.accountName,
        accountEnding: details.accountLastFour,
        instalmentsHeld: held,
        sameAccountAs: duplicates.map((d) => d.organisationId),
      };
      if (current)
        await writeAudit(m, {
          action: 'payments.bank_details_changed',
          entityType: 'organisation',
          entityId: organisationId,
          before: { accountName: current.accountName, accountEnding: current.accountLastFour },
          after,
        });
      else await writeAudit(m, { action: 'payments.bank_details_added', entityType: 'organisation', entityId: organisationId, after });
      const organisation = (await this.organisations.namesByIds([organisationId], m)).get(organisationId) ?? '';
      for (const email of await this.organisations.contactEmails(organisationId, m))
        if (email.toLowerCase() !== actor.email?.toLowerCase())
          await this.notifications.enqueue(m, {
            idempotencyKey: `bank-details-changed:${details.id}:${email}`,
            to: email,
            template: 'bank-details-changed',
            data: {
              organisation,
              accountName: details.accountName,
              ending: details.accountLastFour,
              changedAt: formatLondonDateTime(details.changedAt),
              link: `${this.config.publicBaseUrl}/organisations/${organisationId}/bank-details`,
            },
          });
      // The owner is not told which other organisation has the same account: that is for finance.
      return this.bankView(details, [], null);
    });
  }

  /** Puts every unpaid, unheld instalment of the organisation on hold, remembering where each stood. */
  private async holdUnpaid(m: EntityManager, organisationId: string): Promise<number> {
    const rows = await m.query<unknown[]>(
      `UPDATE instalment SET held_from = status, status = 'on_hold', updated_at = now()
        WHERE organisation_id = $1 AND status IN ('due', 'requested', 'approved', 'failed') RETURNING id`,
      [organisationId],
    );
    return Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
  }

  /**
   * A finance officer records how the new details were confirmed independently (who, when, how,
   * e.g. a call-back to the number already on file). Never the person who entered them (the
   * database refuses it too). The organisation's held instalments go back to where they stood.
   */
  async verifyBankDetails(actor: Principal, organisationId: string, input: BankVerificationInput): Promise<BankDetailsView> {
    if (input.verifiedAt.getTime() > this.clock.now().getTime())
      throw new ValidationFailedException([{ field: 'verifiedAt', rule: 'notFuture', message: 'The confirmation must have happened already' }]);
    return this.dataSource.transaction(async (m) => {
      const details = isUuid(organisationId)
        ? await m.findOne(BankDetails, { where: { organisationId, supersededAt: IsNull() }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!details) throw PaymentsException.noBankDetails();
      if (details.verifiedBy) throw PaymentsException.alreadyVerified();
      if (details.changedBy === actor.id) throw PaymentsException.ownChange();
      Object.assign(details, {
        verifiedBy: actor.id,
        verifiedAt: input.verifiedAt,
        verificationMethod: input.method,
        verifiedWith: input.verifiedWith.trim(),
        verificationNotes: input.notes?.trim() || null,
      });
      await m.save(details);
      const released = await m.query<unknown[]>(
        `UPDATE instalment SET status = held_from, held_from = NULL, updated_at = now() WHERE organisation_id = $1 AND status = 'on_hold' RETURNING id`,
        [organisationId],
      );
      await writeAudit(m, {
        action: 'payments.bank_details_verified',
        entityType: 'organisation',
        entityId: organisationId,
        after: {
          accountEnding: details.accountLastFour,
          method: input.method,
          verifiedWith: details.verifiedWith,
          verifiedAt: input.verifiedAt.toISOString(),
          instalmentsReleased: Array.isArray(released[0]) ? (released[0] as unknown[]).length : released.length,
        },
      });
      return this.bankView(details, await this.sameAccountElsewhere(m, details), null);
    });
  }

  /**
   * The organisation's current bank details: masked (the account's last four digits) for its own
   * members and for staff; in full only to finance, on asking (`reveal`), and each such view is
   * audited.
   */
  async bankDetailsFor(actor: Principal, organisationId: string, reveal = false): Promise<BankDetailsView | null> {
    const finance = actor.permissions.has(Permission.PaymentsRaise) || actor.permissions.has(Permission.PaymentsApprove);
    const member = isUuid(organisationId) ? await this.organisations.roleIn(actor.id, organisationId) : null;
    if (!member && !finance && !actor.permissions.has(Permission.ApplicationsViewAll)) throw PaymentsException.organisationNotFound();
    if (reveal && !finance) throw PaymentsException.revealNotAllowed();
    return this.dataSource.transaction(async (m) => {
      const details = await m.findOne(BankDetails, { where: { organisationId, supersededAt: IsNull() } });
      if (!details) return null;
      const full = reveal
        ? {
            sortCode: this.cipher.decrypt(details.sortCodeEncrypted, SORT_CODE_CONTEXT),
            accountNumber: this.cipher.decrypt(details.accountNumberEncrypted, ACCOUNT_NUMBER_CONTEXT),
          }
        : null;
      if (full)
        await writeAudit(m, {
          action: 'payments.bank_details_viewed',
          entityType: 'organisation',
          entityId: organisationId,
          after: { accountEnding: details.accountLastFour },
        });
      return this.bankView(details, finance ? await this.sameAccountElsewhere(m, details) : [], full);
    });
  }

  /** Organisations whose bank details wait for verification, oldest change first: finance's holds queue. */
  async bankHolds(
    limit: number,
    page: number,
  ): Promise<{ items: (BankDetailsView & { organisationName: string; heldPence: number; heldCount: number })[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(BankDetails).findAndCount({
      where: { supersededAt: IsNull(), verifiedBy: IsNull() },
      order: { changedAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    // Grouped for the whole page, not asked organisation by organisation: one query for what is
    // held, one for the accounts shared, one for every name either needs.
    const held = await this.heldByOrganisation(rows.map((r) => r.organisationId));
    const onAccount = await this.organisationsByAccount(rows.map((r) => r.accountFingerprint));
    const others = (r: BankDetails) => (onAccount.get(r.accountFingerprint) ?? []).filter((id) => id !== r.organisationId);
    const names = await this.organisations.namesByIds(rows.flatMap((r) => [r.organisationId, ...others(r)]));
    const named = (ids: string[]) => ids.map((organisationId) => ({ organisationId, organisationName: names.get(organisationId) ?? '' }));
    const items = rows.map((r) => ({
      ...this.bankView(r, named(others(r)), null),
      organisationName: names.get(r.organisationId) ?? '',
      heldCount: held.get(r.organisationId)?.heldCount ?? 0,
      heldPence: held.get(r.organisationId)?.heldPence ?? 0,
    }));
    return { items, total };
  }

  /** The instalments on hold for each of these organisations: how many, and their sum. */
  private async heldByOrganisation(organisationIds: string[]): Promise<Map<string, { heldCount: number; heldPence: number }>> {
    if (!organisationIds.length) return new Map();
    const rows = await this.dataSource
      .getRepository(Instalment)
      .createQueryBuilder('i')
      .select('i.organisation_id', 'organisation_id')
      .addSelect('count(*)::int', 'held_count')
      .addSelect('sum(i.amount_pence)::bigint', 'held_pence')
      .where(`i.status = 'on_hold'`)
      .andWhere('i.organisation_id = ANY(CAST(:organisationIds AS uuid[]))', { organisationIds })
      .groupBy('i.organisation_id')
      .getRawMany<{ organisation_id: string; held_count: number; held_pence: string }>();
    return new Map(rows.map((r) => [r.organisation_id, { heldCount: r.held_count, heldPence: Number(r.held_pence) }]));
  }

  /** The organisations whose current details are each of these accounts (by fingerprint), as sameAccountElsewhere reads them one at a time. */
  private async organisationsByAccount(fingerprints: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!fingerprints.length) return out;
    const current = await this.dataSource.getRepository(BankDetails).find({
      where: { accountFingerprint: In([...new Set(fingerprints)]), supersededAt: IsNull() },
      select: { organisationId: true, accountFingerprint: true },
      order: { changedAt: 'ASC', id: 'ASC' },
    });
    for (const d of current) {
      const same = out.get(d.accountFingerprint);
      if (same) same.push(d.organisationId);
      else out.set(d.accountFingerprint, [d.organisationId]);
    }
    return out;
  }

  /** Other organisations whose current details are the same account: a flag for finance, not a refusal (a parent body may bank for a group). */
  private async sameAccountElsewhere(m: EntityManager, d: BankDetails): Promise<{ organisationId: string; organisationName: string }[]> {
    const others = await m.find(BankDetails, {
      where: { accountFingerprint: d.accountFingerprint, supersededAt: IsNull(), organisationId: Not(d.organisationId) },
    });
    const names = await this.organisations.namesByIds(
      others.map((o) => o.organisationId),
      m,
    );
    return others.map((o) => ({ organisationId: o.organisationId, organisationName: names.get(o.organisationId) ?? '' }));
  }

  private bankView(
    d: BankDetails,
    duplicates: { organisationId: string; organisationName: string }[],
    full: { sortCode: string; accountNumber: string } | null,
  ): BankDetailsView {
    return {
      id: d.id,
      organisationId: d.organisationId,
      accountName: d.accountName,
      accountEnding: d.accountLastFour,
      sortCode: full ? full.sortCode : null,
      accountNumber: full ? full.accountNumber : null,
      status: d.verifiedBy ? 'verified' : 'awaiting_verification',
      changedBy: d.changedBy,
      changedAt: d.changedAt,
      verifiedBy: d.verifiedBy,
      verifiedAt: d.verifiedAt,
      verificationMethod: d.verificationMethod,
      verifiedWith: d.verifiedWith,
      sameAccountAs: duplicates,
    };
  }

  // ── Ledger ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A round's money, overall, per ring-fence and the general pot, and per financial year: budget,
   * committed (live commitments), paid, repaid (clawback received), outstanding (committed but not
   * yet paid) and available (budget less committed, plus repayments). Every figure is a sum of the
   * commitment, payment and repayment rows, read in one snapshot, so they reconcile to the penny.
   */
  async ledger(roundId: string): Promise<RoundLedger> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const budget = await this.allocation.budget(roundId, m);
      const commitments = await this.allocation.liveCommitments(roundId, m);
      const moneyRows = async (entity: typeof Payment | typeof Repayment, alias: string, status: string, dayColumn: string) =>
        (
          await m
            .getRepository<Payment | Repayment>(entity)
            .createQueryBuilder(alias)
            .innerJoin(`${alias}.grant`, 'g')
            .innerJoin('g.commitment', 'c')
            .select([
              `c.ring_fence_category AS category`,
              `c.ring_fence_area_ons_code AS area`,
              `${alias}.${dayColumn}::text AS day`,
              `${alias}.amount_pence AS pence`,
            ])
            .where(`${alias}.status = :status`, { status })
            .andWhere('g.round_id = :roundId', { roundId })
            .getRawMany<{ category: string | null; area: string | null; day: string; pence: string }>()
        ).map((r) => ({ key: potKey(r.category, r.area), year: financialYear(r.day), pence: Number(r.pence) }));
      const paid = await moneyRows(Payment, 'p', 'paid', 'paid_on');
      const repaid = await moneyRows(Repayment, 'r', 'received', 'received_on');
      const committed = commitments.map((c) => ({
        key: potKey(c.category, c.areaOnsCode),
        year: financialYear(londonIsoDate(c.committedAt)),
        pence: c.amountPence,
      }));
      const total = (rows: { key: string; pence: number }[], key?: string) =>
        rows.filter((r) => key === undefined || r.key === key).reduce((s2, r) => s2 + r.pence, 0);
      const line = (budgetPence: number, key?: string): LedgerLine => {
        const c = total(committed, key);
        const p2 = total(paid, key);
        const r = total(repaid, key);
        return { budgetPence, committedPence: c, paidPence: p2, repaidPence: r, outstandingPence: c - p2, availablePence: budgetPence - c + r };
      };
      const fencesTotal = budget.ringFences.reduce((s2, f) => s2 + f.amountPence, 0);
      const years = [...new Set([...committed, ...paid, ...repaid].map((r) => r.year))].sort();
      const byYear = (rows: { year: string; pence: number }[], year: string) => rows.filter((r) => r.year === year).reduce((s2, r) => s2 + r.pence, 0);
      return {
        roundId,
        round: line(budget.budgetPence),
        generalPot: line(budget.budgetPence - fencesTotal, potKey(null, null)),
        ringFences: budget.ringFences.map((f) => ({
          name: f.name,
          category: f.category,
          areaOnsCode: f.areaOnsCode,
          ...line(f.amountPence, potKey(f.category, f.areaOnsCode)),
        })),
        financialYears: years.map((year) => ({
          year,
          committedPence: byYear(committed, year),
          paidPence: byYear(paid, year),
          repaidPence: byYear(repaid, year),
        })),
      };
    });
  }

  // ── Variations ──────────────────────────────────────────────────────────────────────────────

  /**
   * In a variation's approval (under the grant's row lock, which the award trigger also takes, so
   * no payment joins a run meanwhile): the instalments follow the new award. An increase adds an
   * instalment for the difference, due at once (on hold while changed bank details wait). A
   * decrease is refused below what has been paid or is in a run, and takes the difference off the
   * instalments nobody has asked for yet, from the last backwards, deleting any that reach nothing;
   * an instalment that has been asked for, approved or paid keeps its amount, as its request does.
   * A grant without instalments (accepted before schedules) is left as it is.
   */
  private async variationApproved(m: EntityManager, grant: Grant, before: number, after: number): Promise<void> {
    if (after === before) return;
    const field = 'newAmountPence';
    const taken = await this.sum(m, Payment, { grantId: grant.id, status: In(['in_run', 'paid']) });
    if (after < taken)
      throw PaymentsException.belowPaid(
        field,
        'notBelowPaid',
        `${formatPounds(taken)} of the grant has been paid or is in a payment run, so it can be no less than that`,
      );
    // Locked in seq order; a request raised meanwhile moves its instalment out of these statuses.
    const open = await m.query<{ id: string }[]>(
      `SELECT i.id FROM instalment i
        WHERE i.grant_id = $1 AND (i.status IN ('scheduled', 'due') OR (i.status = 'on_hold' AND i.held_from = 'due'))
          AND NOT EXISTS (SELECT 1 FROM payment_request r WHERE r.instalment_id = i.id)
        ORDER BY i.seq FOR UPDATE OF i`,
      [grant.id],
    );
    const current = await m.find(Instalment, { where: { grantId: grant.id }, order: { seq: 'ASC' } });
    if (!current.length) return;
    const adjustable = current.filter((i) => open.some((o) => o.id === i.id));
    if (after > before) {
      const today = londonIsoDate(this.clock.now());
      await m.insert(Instalment, {
        grantId: grant.id,
        organisationId: current[0].organisationId,
        seq: Math.max(...current.map((i) => i.seq)) + 1,
        amountPence: pence(after - before),
        // Due at once, as an acceptance's share is: the schedule has no trigger of its own for a variation.
        trigger: 'acceptance',
        reportMonths: null,
        ...(await this.dueStatus(m, current[0].organisationId)),
        dueOn: today,
      });
    } else {
      let cut = before - after;
      const room = adjustable.reduce((sum, i) => sum + Number(i.amountPence), 0);
      if (cut > room)
        throw PaymentsException.belowPaid(
          field,
          'notBelowRequested',
          `Only ${formatPounds(room)} of the grant has not been asked for or paid, so it can be reduced by no more than that, to ${formatPounds(before - room)}`,
        );
      for (const i of [...adjustable].reverse()) {
        if (cut === 0) break;
        const amount = Number(i.amountPence);
        const off = Math.min(amount, cut);
        cut -= off;
        if (off === amount) await m.delete(Instalment, { id: i.id });
        else await m.update(Instalment, { id: i.id }, { amountPence: pence(amount - off) });
      }
    }
    const now = await m.find(Instalment, { where: { grantId: grant.id }, order: { seq: 'ASC' } });
    await writeAudit(m, {
      action: 'payments.reshaped',
      entityType: 'application',
      entityId: grant.applicationId,
      before: { amountPence: before, instalments: current.map((i) => Number(i.amountPence)) },
      after: { grantId: grant.id, amountPence: after, instalments: now.map((i) => Number(i.amountPence)) },
    });
  }
}

/** A commitment's pot: its ring-fence's category or area, or the general pot. */
function potKey(category: string | null, areaOnsCode: string | null): string {
  return category ? `category:${category}` : areaOnsCode ? `area:${areaOnsCode}` : 'general';
}

/** "2026-27": the UK public sector's financial year (1 April to 31 March) an ISO day falls in. */
export function financialYear(isoDay: string): string {
  const [y, mth] = isoDay.split('-').map(Number);
  const start = mth >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** "3 December 2026" from an ISO day, read as the day it names (no time zone to shift it). */
function formatIsoDate(isoDay: string): string {
  return formatLondonDate(new Date(`${isoDay}T12:00:00Z`));
}

function isCheckViolation(err: unknown, constraint: string): boolean {
  const e = err as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string };
  const d = e?.driverError ?? e;
  return d?.code === '23514' && d?.constraint === constraint;
}

export interface LedgerLine {
  budgetPence: number;
  committedPence: number;
  paidPence: number;
  repaidPence: number;
  outstandingPence: number;
  availablePence: number;
}

export interface RoundLedger {
  roundId: string;
  round: LedgerLine;
  generalPot: LedgerLine;
  ringFences: (LedgerLine & { name: string; category: string | null; areaOnsCode: string | null })[];
  financialYears: { year: string; committedPence: number; paidPence: number; repaidPence: number }[];
}

/** Approved requests not yet in any run: the requests a run may take. */
const APPROVED_NOT_IN_RUN = `r.status = 'approved' AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.request_id = r.id)`;

/**
 * Why an approved request must wait for a later run (needing `r` and its instalment `i`): its
 * organisation's payments are on hold, it has no bank details, or its current ones are not yet
 * verified; NULL when it goes into the next run.
 */
const WAITING_SQL = `(CASE
  WHEN i.status = 'on_hold' THEN 'on_hold'
  WHEN NOT EXISTS (SELECT 1 FROM bank_details b WHERE b.organisation_id = i.organisation_id AND b.superseded_at IS NULL) THEN 'no_bank_details'
  WHEN EXISTS (SELECT 1 FROM bank_details b WHERE b.organisation_id = i.organisation_id AND b.superseded_at IS NULL AND b.verified_by IS NULL) THEN 'unverified_bank_details'
END)`;

/** Those that go into the next run first, then those that wait; each oldest approval first, the id breaking ties. */
const READY_ORDER: KeysetTerm[] = [
  { expr: `${WAITING_SQL} IS NOT NULL`, dir: 'ASC' },
  { expr: 'r.decided_at', dir: 'ASC', nullable: true },
  { expr: 'r.id', dir: 'ASC' },
];

export interface ReadyPage {
  items: ReadyPayment[];
  total: number;
  limit: number;
  page: number;
  /** Over every approved request not in a run: how many go into the next run, and their total; how many wait. */
  readyCount: number;
  readyPence: number;
  waitingCount: number;
}

/** A payment as a run's download lists it: with its grant's reference and organisation, and the last digits of the account paid. */
export interface RunPaymentRow {
  payment: Payment;
  grant: GrantSummary | null;
  accountEnding: string;
}

/** A row of the download: the request with its grant's reference, organisation and round. */
export interface ReadyPaymentRow extends ReadyPayment {
  grant: GrantSummary | null;
}

export interface ReadyPayment {
  request: PaymentRequest;
  instalment: Instalment;
  bankDetails: BankDetails | null;
  /** Why it cannot go into a run yet, or null when it can. */
  waiting: 'on_hold' | 'no_bank_details' | 'unverified_bank_details' | null;
}

/** One line of a run's results: paid needs the day and the bank's reference, failed a reason (checked here, not by the schema). */
export interface PaymentResultInput {
  paymentId: string;
  outcome: 'paid' | 'failed';
  paidOn?: string;
  bankReference?: string;
  reason?: string;
}

export const SORT_CODE_CONTEXT = 'bank_details.sort_code';
export const ACCOUNT_NUMBER_CONTEXT = 'bank_details.account_number';

export interface BankDetailsInput {
  accountName: string;
  sortCode: string;
  accountNumber: string;
}

export interface BankVerificationInput {
  method: VerificationMethod;
  verifiedWith: string;
  verifiedAt: Date;
  notes?: string;
}

export interface BankDetailsView {
  id: string;
  organisationId: string;
  accountName: string;
  accountEnding: string;
  /** Only when finance asked to see them in full (audited). */
  sortCode: string | null;
  accountNumber: string | null;
  status: 'verified' | 'awaiting_verification';
  changedBy: string;
  changedAt: Date;
  verifiedBy: string | null;
  verifiedAt: Date | null;
  verificationMethod: VerificationMethod | null;
  verifiedWith: string | null;
  sameAccountAs: { organisationId: string; organisationName: string }[];
}

/**
 * Sort code and account number as people type them ("12-34-56", "1234 5678") to digits, each with a
 * GOV.UK bank-details message naming the field. Account numbers of 6 or 7 digits are padded with
 * leading zeros to the 8 that BACS uses, as banks do.
 */
export function normaliseBankAccount(input: BankDetailsInput): BankDetailsInput {
  const problems: FieldError[] = [];
  const accountName = input.accountName.trim();
  const sortCode = input.sortCode.replace(/[\s-]/g, '');
  const accountNumber = input.accountNumber.replace(/\s/g, '');
  if (!accountName) problems.push({ field: 'accountName', rule: 'required', message: 'Enter the name on the account' });
  else if (accountName.length > 140) problems.push({ field: 'accountName', rule: 'maxLength', message: 'Name on the account must be 140 characters or fewer' });
  if (!sortCode) problems.push({ field: 'sortCode', rule: 'required', message: 'Enter a sort code' });
  else if (!/^\d{6}$/.test(sortCode)) problems.push({ field: 'sortCode', rule: 'format', message: 'Enter a valid sort code like 309430' });
  if (!accountNumber) problems.push({ field: 'accountNumber', rule: 'required', message: 'Enter an account number' });
  else if (!/^\d+$/.test(accountNumber)) problems.push({ field: 'accountNumber', rule: 'format', message: 'Enter a valid account number like 00733445' });
  else if (accountNumber.length < 6 || accountNumber.length > 8)
    problems.push({ field: 'accountNumber', rule: 'length', message: 'Account number must be between 6 and 8 digits' });
  if (problems.length) throw new ValidationFailedException(problems);
  return { accountName, sortCode, accountNumber: accountNumber.padStart(8, '0') };
}
