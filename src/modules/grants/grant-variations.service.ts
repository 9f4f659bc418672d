import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { londonIsoDate } from '@pcc/london-time';
import { formatPounds, pence } from '@pcc/money';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, type Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { AllocationService } from '../allocation';
import { ApplicationsService, type AssessableApplication } from '../applications';
import { DecisionsService, type PccDecision } from '../decisions';
import { RoundsService } from '../funds';
import { OrganisationsService } from '../identity';
import { NotificationsService } from '../notifications';
import { Grant } from './entities/grant.entity';
import { GrantVariation, type VariationStatus } from './entities/grant-variation.entity';
import { nextNumberForGrant } from './grant-numbers';
import { grantPeriod } from './grant-period';
import { GrantsException } from './grants.exceptions';
import { formatDay } from './monitoring-reports.service';

/**
 * Work another module does inside a variation's approval, after the grant's award has changed
 * (payments: refuse a decrease below what is paid or in a run, and reshape the instalments to add
 * up to the new award); throwing undoes the whole approval.
 */
export type VariationApprovedEffect = (
  m: EntityManager,
  change: { grant: Grant; variation: GrantVariation; amountBeforePence: number; amountAfterPence: number },
) => Promise<void>;

export interface VariationProposal {
  newAmountPence?: number;
  newEndsOn?: string;
  newPurpose?: string;
  reason: string;
}

/** The grant a variation belongs to, as its pages show it. */
export interface VariationGrant {
  grant: Grant;
  application: AssessableApplication;
  roundName: string;
  /** The grant period as it stands (a variation may have moved its end). */
  startsOn: string;
  endsOn: string;
  /** Whether the person asking belongs to the grant's organisation. */
  member: boolean;
}

/** A variation in the fund managers' list, with its grant. */
export interface StaffVariationView {
  variation: GrantVariation;
  reference: string | null;
  organisationName: string;
  roundName: string;
  amountPence: number;
}

export interface StaffVariationQuery {
  status?: VariationStatus;
  q?: string;
  sort: string;
  limit: number;
  page: number;
}

/**
 * Grant variations (issue 12): a change of an accepted grant's award, end date or purpose,
 * proposed by the organisation or a fund manager and approved or rejected by a fund manager (never
 * the one who proposed it). An
 * increase above VARIATION_DECISION_THRESHOLD_PENCE needs an approved Commissioner's decision; the
 * budget is checked as allocation checks it (allocation's changeCommitment, under the round's
 * lock); the effects other modules registered (payments) run in the approval's transaction, so the
 * variation, the award, the commitment, the instalments, the audit rows and the email commit or
 * roll back together.
 */
@Injectable()
export class GrantVariationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly allocation: AllocationService,
    private readonly applications: ApplicationsService,
    private readonly decisions: DecisionsService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  private readonly approvedEffects: VariationApprovedEffect[] = [];

  onApproved(effect: VariationApprovedEffect): void {
    this.approvedEffects.push(effect);
  }

  /** The largest increase a fund manager may approve without a Commissioner's decision, in pence. */
  get thresholdPence(): number {
    return this.config.variationDecisionThresholdPence;
  }

  /**
   * The grant for the person asking: its organisation's members, fund managers, or (to read)
   * staff who may view all applications; anyone else "not found".
   */
  private async grantFor(actor: Principal, grantId: string, m: EntityManager, opts: { lock?: boolean; write?: boolean } = {}): Promise<VariationGrant> {
    const grant = isUuid(grantId)
      ? await m.findOne(Grant, { where: { id: grantId }, ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!grant) throw GrantsException.notFound();
    const [application] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
    const member = !!(await this.organisations.roleIn(actor.id, application.organisationId, m));
    // Fund managers may propose for any grant; other staff who may view all applications only read.
    const staff = actor.permissions.has(Permission.AllocationsManage) || (!opts.write && actor.permissions.has(Permission.ApplicationsViewAll));
    if (!member && !staff) throw GrantsException.notFound();
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    return { grant, application, roundName: round.name, member, ...(await this.period(grant, application, m)) };
  }

  /** The grant period as it stands: from its start, to the end an approved variation set or the 12-month period's. */
  private async period(grant: Grant, application: AssessableApplication, m: EntityManager): Promise<{ startsOn: string; endsOn: string }> {
    const { answers } = await this.applications.contentForAssessment(application.id, m);
    const { startsOn, endsOn } = grantPeriod(answers.projectStart, grant.offeredAt);
    return { startsOn, endsOn: grant.endsOn ?? endsOn };
  }

  /** A grant's variations in number order, for its organisation's members and staff who may view all applications. */
  async forGrant(actor: Principal, grantId: string): Promise<VariationGrant & { variations: GrantVariation[] }> {
    const m = this.dataSource.manager;
    const g = await this.grantFor(actor, grantId, m);
    const variations = await m.find(GrantVariation, { where: { grantId: g.grant.id }, order: { number: 'ASC' } });
    return { ...g, variations };
  }

  /** The grant as the proposal form shows it (the same people who may propose). */
  async grantForProposal(actor: Principal, grantId: string): Promise<VariationGrant> {
    return this.grantFor(actor, grantId, this.dataSource.manager, { write: true });
  }

  /**
   * A member of the grant's organisation or a fund manager proposes a change of the award, end
   * date or purpose, with the reason. Numbered under the grant's row lock, so proposals made at
   * once get 1, 2, 3 … without gaps or repeats (a unique index backs that up).
   */
  async propose(actor: Principal, grantId: string, input: VariationProposal): Promise<GrantVariation> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const g = await this.grantFor(actor, grantId, m, { lock: true, write: true });
      if (g.grant.status !== 'accepted') throw GrantsException.notAccepted(g.grant.status);
      const change = this.checkProposal(input, g, londonIsoDate(now));
      const number = await nextNumberForGrant(m, g.grant.id, 'variation');
      const variation = await m.save(
        m.create(GrantVariation, {
          grantId: g.grant.id,
          number,
          ...change,
          amountBeforePence: g.grant.amountPence,
          status: 'proposed',
          proposedBy: actor.id,
          proposedAt: now,
        }),
      );
      await writeAudit(m, {
        action: 'grant.variation_proposed',
        entityType: 'application',
        entityId: g.application.id,
        after: {
          grantId: g.grant.id,
          variationId: variation.id,
          number: variation.number,
          newAmountPence: change.newAmountPence === null ? null : Number(change.newAmountPence),
          newEndsOn: change.newEndsOn,
          newPurpose: change.newPurpose,
          reason: change.reason,
        },
      });
      return variation;
    });
  }

  /** The proposal's business rules, each naming its field: at least one change, each a change, a date that fits the grant. */
  private checkProposal(input: VariationProposal, g: VariationGrant, today: string) {
    const problems: FieldError[] = [];
    const newAmountPence = input.newAmountPence ?? null;
    const newEndsOn = input.newEndsOn ?? null;
    const newPurpose = input.newPurpose?.trim() || null;
    const reason = input.reason.trim();
    if (newAmountPence === null && newEndsOn === null && newPurpose === null)
      problems.push({ field: 'newAmountPence', rule: 'oneChange', message: 'Enter a new amount, a new end date or a new purpose' });
    if (newAmountPence !== null && newAmountPence === Number(g.grant.amountPence))
      problems.push({ field: 'newAmountPence', rule: 'changed', message: `The grant is already ${formatPounds(newAmountPence)}` });
    if (newEndsOn !== null) {
      if (newEndsOn <= g.startsOn) problems.push({ field: 'newEndsOn', rule: 'afterStart', message: 'The new end date must be after the grant starts' });
      else if (newEndsOn < today) problems.push({ field: 'newEndsOn', rule: 'notPast', message: 'The new end date must be today or in the future' });
      else if (newEndsOn === g.endsOn) problems.push({ field: 'newEndsOn', rule: 'changed', message: 'The grant already ends on that date' });
    }
    if (!reason) problems.push({ field: 'reason', rule: 'required', message: 'Enter why the grant should change' });
    if (problems.length) throw new ValidationFailedException(problems);
    return { newAmountPence: newAmountPence === null ? null : pence(newAmountPence), newEndsOn, newPurpose, reason };
  }

  /** One variation with its grant, for a fund manager's review. */
  async forReview(variationId: string): Promise<VariationGrant & { variation: GrantVariation; decision: PccDecision | null }> {
    const m = this.dataSource.manager;
    const variation = isUuid(variationId) ? await m.findOne(GrantVariation, { where: { id: variationId } }) : null;
    if (!variation) throw GrantsException.variationNotFound();
    const grant = await m.findOneOrFail(Grant, { where: { id: variation.grantId } });
    const [application] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    const decision = variation.decisionId ? await this.decisions.get(variation.decisionId) : null;
    return { grant, application, roundName: round.name, member: false, variation, decision, ...(await this.period(grant, application, m)) };
  }

  /** The Commissioner's approved and published decisions, newest first: what a fund manager may cite for an increase above the threshold. */
  async citableDecisions(): Promise<PccDecision[]> {
    return (await this.decisions.listRecords({ statuses: ['approved', 'published'], limit: 200, page: 1 })).items;
  }

  /**
   * A fund manager approves a proposed variation of an accepted grant. A changed award is checked
   * and applied in this one transaction: an increase above the threshold needs `decisionId`, an
   * approved or published decision; the budget commitment follows the award (an increase refused
   * when the round, its ring-fence or the general pot has no room); then the effects registered
   * with onApproved (payments) run. The organisation's owners are told.
   */
  approve(actor: Principal, variationId: string, input: { decisionId?: string; comments?: string }): Promise<GrantVariation> {
    const step = { outcome: 'approved', action: 'grant.variation_approved', template: 'variation-approved' } as const;
    return this.decide(actor, variationId, step, input.comments?.trim() || null, async (m, v, grant) => {
      const before = Number(grant.amountPence);
      const after = v.newAmountPence === null ? before : Number(v.newAmountPence);
      const increase = after - before;
      let decisionId: string | null = null;
      if (input.decisionId !== undefined || increase > this.thresholdPence) {
        const needed = increase > this.thresholdPence;
        const decision = input.decisionId && isUuid(input.decisionId) ? await this.decisions.get(input.decisionId).catch(() => null) : null;
        if (!decision && needed)
          throw GrantsException.decisionRequired(
            `An increase of ${formatPounds(increase)} is more than ${formatPounds(this.thresholdPence)}, so it needs the Commissioner’s approved decision`,
          );
        if (!decision) throw GrantsException.decisionRequired('Select one of the Commissioner’s approved decisions');
        if (decision.status !== 'approved' && decision.status !== 'published')
          throw GrantsException.decisionRequired(`PCC Decision ${this.decisions.numberOf(decision)} has not been approved by the Commissioner`);
        decisionId = decision.id;
      }
      if (after !== before) {
        await this.allocation.changeCommitment(actor, grant.commitmentId, after, m, 'newAmountPence');
        grant.amountPence = pence(after);
      }
      if (v.newEndsOn !== null) grant.endsOn = v.newEndsOn;
      if (v.newPurpose !== null) grant.purpose = v.newPurpose;
      await m.save(grant);
      Object.assign(v, { amountBeforePence: pence(before), amountAfterPence: pence(after), decisionId });
      for (const effect of this.approvedEffects) await effect(m, { grant, variation: v, amountBeforePence: before, amountAfterPence: after });
      return { before, after };
    });
  }

  /** A fund manager rejects a proposed variation with comments for the grant holder; nothing about the grant changes. */
  reject(actor: Principal, variationId: string, comments: string): Promise<GrantVariation> {
    const why = comments.trim();
    if (!why) throw new ValidationFailedException([{ field: 'comments', rule: 'required', message: 'Enter why the variation is rejected' }]);
    const step = { outcome: 'rejected', action: 'grant.variation_rejected', template: 'variation-rejected' } as const;
    return this.decide(actor, variationId, step, why, (_m, v, grant) => {
      v.amountBeforePence = grant.amountPence;
      return Promise.resolve({ before: Number(grant.amountPence), after: Number(grant.amountPence) });
    });
  }

  /**
   * The variation's row lock, then its grant's (as a proposal takes the grant's), so two decisions
   * of one variation take turns and the second finds it decided; never by the person who proposed
   * it (a database check too), and never on a grant that is not accepted. Writes the decision, its audit row and the email to the organisation's owners.
   */
  private decide(
    actor: Principal,
    variationId: string,
    step: { outcome: 'approved' | 'rejected'; action: string; template: string },
    comments: string | null,
    apply: (m: EntityManager, v: GrantVariation, grant: Grant) => Promise<{ before: number; after: number }>,
  ): Promise<GrantVariation> {
    const { outcome } = step;
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const v = isUuid(variationId) ? await m.findOne(GrantVariation, { where: { id: variationId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!v) throw GrantsException.variationNotFound();
      if (v.status !== 'proposed') throw GrantsException.variationDecided(v.number, v.status);
      // Segregation of duties: whoever asked for a change of public money does not also decide it.
      if (v.proposedBy === actor.id) throw GrantsException.ownVariation();
      const grant = await m.findOneOrFail(Grant, { where: { id: v.grantId }, lock: { mode: 'pessimistic_write' } });
      if (grant.status !== 'accepted') throw GrantsException.notAccepted(grant.status);
      const { before, after } = await apply(m, v, grant);
      Object.assign(v, { status: outcome, decidedBy: actor.id, decidedAt: now, decisionComments: comments });
      await m.save(v);
      const [app] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
      await writeAudit(m, {
        action: step.action,
        entityType: 'application',
        entityId: app.id,
        before: { status: 'proposed', amountPence: before },
        after: {
          grantId: grant.id,
          variationId: v.id,
          number: v.number,
          status: outcome,
          amountPence: after,
          ...(outcome === 'approved' ? { endsOn: grant.endsOn, purposeChanged: v.newPurpose !== null, decisionId: v.decisionId } : {}),
          ...(comments ? { comments } : {}),
        },
      });
      const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
      for (const email of await this.organisations.ownerEmails(app.organisationId, m))
        await this.notifications.enqueue(m, {
          idempotencyKey: `variation-${outcome}:${v.id}:${email}`,
          to: email,
          template: step.template,
          data: {
            organisation: app.organisationName,
            round: round.name,
            reference: app.reference ?? '',
            number: String(v.number),
            changes: describeChanges(v, before),
            comments: comments ?? '',
            link: `${this.config.publicBaseUrl}/grants/${grant.id}`,
          },
        });
      return v;
    });
  }

  /** Every grant's variations for fund managers: by status, searched by reference, oldest proposal first by default, a page at a time. */
  async listForStaff(q: StaffVariationQuery): Promise<{ items: StaffVariationView[]; total: number }> {
    const qb = this.dataSource.getRepository(GrantVariation).createQueryBuilder('v').innerJoinAndSelect('v.grant', 'g').innerJoin('g.application', 'a');
    if (q.status) qb.andWhere('v.status = :status', { status: q.status });
    if (q.q) qb.andWhere(`a.reference ILIKE '%' || :q || '%'`, { q: likeEscape(q.q) });
    const sort = parseSort<'proposed'>(q.sort);
    qb.orderBy('v.proposed_at', sort.direction === 'desc' ? 'DESC' : 'ASC')
      .addOrderBy('v.id', 'ASC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit);
    const [rows, total] = await qb.getManyAndCount();
    const m = this.dataSource.manager;
    const apps = new Map((await this.applications.assessable({ ids: rows.map((v) => v.grant!.applicationId) }, m)).map((a) => [a.id, a]));
    const roundNames = new Map<string, string>();
    const items: StaffVariationView[] = [];
    for (const variation of rows) {
      const grant = variation.grant!;
      if (!roundNames.has(grant.roundId)) roundNames.set(grant.roundId, (await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m })).name);
      const app = apps.get(grant.applicationId);
      items.push({
        variation,
        reference: app?.reference ?? null,
        organisationName: app?.organisationName ?? '',
        roundName: roundNames.get(grant.roundId)!,
        amountPence: Number(grant.amountPence),
      });
    }
    return { items, total };
  }

  /** How many variations wait for a fund manager's decision: for the dashboard and the list's heading. */
  async countProposed(): Promise<number> {
    return this.dataSource.getRepository(GrantVariation).count({ where: { status: 'proposed' } });
  }
}

/** "the grant from £10,000 to £12,000; the end of the grant period to 30 June 2028; what the grant is for", for the email. */
export function describeChanges(v: Pick<GrantVariation, 'newAmountPence' | 'newEndsOn' | 'newPurpose'>, beforePence: number): string {
  const parts: string[] = [];
  if (v.newAmountPence !== null) parts.push(`the grant from ${formatPounds(beforePence)} to ${formatPounds(Number(v.newAmountPence))}`);
  if (v.newEndsOn !== null) parts.push(`the end of the grant period to ${formatDay(v.newEndsOn)}`);
  if (v.newPurpose !== null) parts.push('what the grant is for');
  return parts.join('; ');
}
