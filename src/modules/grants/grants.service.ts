import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, pence } from '@pcc/money';
import { DataSource, type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { OrganisationRole, Permission, type Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { isUuid } from '../../platform/http/id.pipe';
import { keysetBatches } from '../../platform/database/keyset';
import { AllocationService, type AllocationRun } from '../allocation';
import { ApplicationsService, type AssessableApplication } from '../applications';
import { AssessmentService } from '../assessment';
import { DecisionsService, type PccDecision } from '../decisions';
import { type FundingRound, RoundsService, scheduleSummary } from '../funds';
import { OrganisationsService } from '../identity';
import { NotificationsService } from '../notifications';
import { Grant } from './entities/grant.entity';
import { grantPeriod } from './grant-period';
import { GrantsException } from './grants.exceptions';
import type { MonitoringReport } from './entities/monitoring-report.entity';
import { MonitoringReportsService, type ReportApprovedEffect } from './monitoring-reports.service';
import { GrantVariationsService, type VariationApprovedEffect } from './grant-variations.service';
import { type PublishableGrant, PublishedGrantsService } from './published-grants.service';

/** Work another module does inside an acceptance's transaction (payments schedules the instalments); throwing undoes it. */
/** What finance and other modules show beside a grant: its reference, organisation, round, fund's cost centre and award. */
export interface GrantSummary {
  grantId: string;
  reference: string | null;
  organisationId: string;
  organisationName: string;
  roundId: string;
  roundName: string;
  costCentre: string | null;
  amountPence: number;
  ringFence: string | null;
  status: Grant['status'];
}

export type AcceptanceEffect = (m: EntityManager, grant: Grant) => Promise<void>;

/** A grant with what its pages and API show beside it. */
export interface GrantView {
  grant: Grant;
  application: AssessableApplication;
  roundName: string;
  decisionNumber: string;
  /** Calendar days, "2027-05-01". */
  startsOn: string;
  endsOn: string;
  /** How it is paid, in words, from the round's schedule. */
  paymentSchedule: string;
  /** Whether the person asking may accept or decline it (an owner of the organisation, while it is open). */
  canRespond: boolean;
}

/**
 * Grants: offered when the Commissioner approves the decision that awards them (in the approval's
 * transaction, each with its budget commitment), then accepted by an owner of the organisation,
 * declined, or lapsed when the round's offer period passes. A decline or lapse releases the money,
 * which a fund manager can offer to the next on the reserve list, with the budget checked again.
 */
@Injectable()
export class GrantsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly decisions: DecisionsService,
    private readonly allocation: AllocationService,
    private readonly applications: ApplicationsService,
    private readonly assessment: AssessmentService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly reports: MonitoringReportsService,
    private readonly variations: GrantVariationsService,
    private readonly published: PublishedGrantsService,
  ) {}

  onModuleInit(): void {
    this.decisions.onApproval((m, d, actor) => this.offerAwards(m, d, actor));
  }

  private readonly acceptanceEffects: AcceptanceEffect[] = [];

  /** Registers work to do when an offer is accepted, in the same transaction (payments: the grant's instalments). */
  onAcceptance(effect: AcceptanceEffect): void {
    this.acceptanceEffects.push(effect);
  }

  /**
   * Registers work to do when a fund manager approves a monitoring report, in the approval's
   * transaction (payments: the instalment waiting on that report falls due); throwing undoes it.
   */
  onReportApproved(effect: ReportApprovedEffect): void {
    this.reports.onApproved(effect);
  }

  /**
   * Registers work to do when a fund manager approves a variation, in the approval's transaction,
   * after the grant's award has changed (payments: refuse a decrease below what is paid or in a
   * run, and reshape the instalments to the new award); throwing undoes the approval.
   */
  onVariationApproved(effect: VariationApprovedEffect): void {
    this.variations.onApproved(effect);
  }

  /** How many variations wait for a fund manager's decision (the dashboard's number). */
  variationsToDecide(): Promise<number> {
    return this.variations.countProposed();
  }

  /**
   * Makes sure an accepted grant has a monitoring report due `months` after its acceptance, in the
   * caller's transaction (for a changed schedule that pays against a report the round's did not
   * have). An existing report is returned unchanged, its due date never moved; null when the grant
   * has not been accepted (its reports are made when it is).
   */
  ensureReport(m: EntityManager, grantId: string, months: number): Promise<MonitoringReport | null> {
    return this.reports.ensureReport(m, grantId, months);
  }

  /** How many monitoring reports wait for a fund manager's review, and how many are overdue (the dashboard's numbers). */
  /**
   * The grant as it stands, under its row lock in the caller's transaction: for another module's
   * change that depends on the award (a payment schedule), so a variation approved at the same
   * moment waits for it, or it for the variation.
   */
  async lockForChange(m: EntityManager, grantId: string): Promise<Grant> {
    const g = await m.findOne(Grant, { where: { id: grantId }, lock: { mode: 'pessimistic_write' } });
    if (!g) throw GrantsException.notFound();
    return g;
  }

  reportCounts(): Promise<{ toReview: number; overdue: number }> {
    return this.reports.counts();
  }

  /**
   * Awards summed by round, category, ring-fence and the organisation's area, for the staff
   * insights: one grouped query, its joins following the grant's own foreign keys (application →
   * organisation for the area, round for the category's name). All rounds when none are given.
   */
  async awardTotals(roundIds?: readonly string[]): Promise<AwardTotal[]> {
    const qb = this.dataSource
      .getRepository(Grant)
      .createQueryBuilder('g')
      .innerJoin('g.application', 'a')
      .innerJoin('a.organisation', 'o')
      .innerJoin('g.round', 'r')
      .select('g.round_id', 'round_id')
      .addSelect('a.category', 'category')
      .addSelect(`(SELECT c ->> 'name' FROM jsonb_array_elements(r.categories) c WHERE c ->> 'code' = a.category LIMIT 1)`, 'category_name')
      .addSelect('g.ring_fence', 'ring_fence')
      .addSelect('o.area_ons_code', 'area')
      .addSelect('count(*)::int', 'offered')
      .addSelect(`count(*) FILTER (WHERE g.status IN ('offered', 'accepted'))::int`, 'awarded')
      .addSelect(`coalesce(sum(g.amount_pence) FILTER (WHERE g.status IN ('offered', 'accepted')), 0)::text`, 'awarded_pence')
      .groupBy('g.round_id')
      // The round's primary key, so its categories (for the name) may be read in the group.
      .addGroupBy('r.id')
      .addGroupBy('a.category')
      .addGroupBy('g.ring_fence')
      .addGroupBy('o.area_ons_code');
    if (roundIds) {
      const ids = roundIds.filter(isUuid);
      if (!ids.length) return [];
      qb.where('g.round_id IN (:...ids)', { ids });
    }
    const rows = await qb.getRawMany<{
      round_id: string;
      category: string | null;
      category_name: string | null;
      ring_fence: string | null;
      area: string | null;
      offered: number;
      awarded: number;
      awarded_pence: string;
    }>();
    return rows.map((r) => ({
      roundId: r.round_id,
      category: r.category,
      categoryName: r.category_name,
      ringFence: r.ring_fence,
      areaOnsCode: r.area,
      offered: r.offered,
      awarded: r.awarded,
      awardedPence: Number(r.awarded_pence),
    }));
  }

  /** Monitoring reports overdue, by the round of their grant: for the staff insights. */
  overdueReportsByRound(): Promise<Map<string, number>> {
    return this.reports.overdueByRound();
  }

  /**
   * On approval of a decision drafted from an allocation run: each award is committed from its pot
   * (the budget checked again under the round's lock: if anything no longer fits, the approval
   * fails and nothing changes) and offered; the reserve list and the unsuccessful are told.
   */
  private async offerAwards(m: EntityManager, d: PccDecision, actor: Principal): Promise<void> {
    const run = await this.allocation.runForDecision(d.id, m);
    if (!run) return; // a decision that awards no grants
    const round = await this.rounds.get(run.roundId, { includeDrafts: true, manager: m });
    const apps = new Map((await this.applications.assessable({ ids: run.awards.map((w) => w.applicationId) }, m)).map((a) => [a.id, a]));
    const feedback = await this.assessment.releasedFeedback(
      run.awards.filter((w) => w.outcome === 'not_funded').map((w) => w.applicationId),
      m,
    );
    const number = this.decisions.numberOf(d);
    for (const award of run.awards) {
      const app = apps.get(award.applicationId);
      if (!app) continue; // the foreign keys make this unreachable
      const to = await this.organisations.ownerEmails(app.organisationId, m);
      const common = { organisation: app.organisationName, round: round.name, reference: app.reference ?? '', decision: number };
      if (award.outcome === 'funded' || award.outcome === 'partly_funded') {
        const fence = award.source === 'general' ? null : run.ringFences.find((f) => f.id === award.source);
        const grant = await this.offer(m, actor, run, app, {
          amountPence: award.amountPence,
          ...fenceOf(fence ?? undefined, round.ringFences ?? []),
          ringFenceName: fence?.name ?? null,
          decisionId: d.id,
          conditions: round.grantConditions,
          offerDays: round.offerPeriodDays,
          fromReserve: false,
        });
        const partReason = award.outcome === 'partly_funded' ? (run.adjustments.find((a) => a.applicationId === app.id)?.reason ?? award.reason) : '';
        await this.emailOffer(m, grant, app, round.name, number, partReason);
      } else if (award.outcome === 'reserve') {
        for (const email of to)
          await this.notifications.enqueue(m, {
            idempotencyKey: `grant-reserve:${d.id}:${app.id}:${email}`,
            to: email,
            template: 'grant-reserve',
            data: { ...common, position: String(award.reservePosition ?? '') },
          });
      } else {
        for (const email of to)
          await this.notifications.enqueue(m, {
            idempotencyKey: `grant-unsuccessful:${d.id}:${app.id}:${email}`,
            to: email,
            template: 'grant-unsuccessful',
            data: { ...common, reason: award.reason, feedback: feedback.get(app.id) ?? [] },
          });
      }
    }
  }

  /** The offer email to each of the organisation's owners and its contact, with the link to accept or decline. */
  private async emailOffer(m: EntityManager, grant: Grant, app: AssessableApplication, roundName: string, decision: string, partReason: string): Promise<void> {
    for (const email of await this.organisations.ownerEmails(app.organisationId, m))
      await this.notifications.enqueue(m, {
        idempotencyKey: `grant-offer:${grant.id}:${email}`,
        to: email,
        template: 'grant-offer',
        data: {
          organisation: app.organisationName,
          round: roundName,
          reference: app.reference ?? '',
          decision,
          amount: formatPounds(Number(grant.amountPence)),
          requested: formatPounds(Number(app.amountRequestedPence ?? 0)),
          partReason,
          expires: formatLondonDateTime(grant.offerExpiresAt),
          link: `${this.config.publicBaseUrl}/grants/${grant.id}`,
        },
      });
  }

  /** Commits the money and records the offer, with its audit row. */
  private async offer(
    m: EntityManager,
    actor: Principal,
    run: Pick<AllocationRun, 'roundId' | 'unspentRingFences'>,
    app: AssessableApplication,
    o: {
      amountPence: number;
      ringFenceCategory: string | null;
      ringFenceArea: string | null;
      ringFenceName: string | null;
      decisionId: string;
      conditions: string;
      offerDays: number;
      fromReserve: boolean;
    },
  ): Promise<Grant> {
    const commitment = await this.allocation.commit(
      actor,
      {
        roundId: run.roundId,
        applicationId: app.id,
        amountPence: o.amountPence,
        ringFenceCategory: o.ringFenceCategory,
        ringFenceArea: o.ringFenceArea,
        // Under the "release" policy the run funded some general-pot awards with ring-fenced money nobody qualifying used.
        useReleased: run.unspentRingFences === 'release',
      },
      m,
    );
    const now = this.clock.now();
    const grant = await m.save(
      m.create(Grant, {
        applicationId: app.id,
        roundId: run.roundId,
        decisionId: o.decisionId,
        commitmentId: commitment.id,
        amountPence: pence(o.amountPence),
        ringFence: o.ringFenceName,
        conditions: o.conditions,
        status: 'offered',
        offeredAt: now,
        offerExpiresAt: new Date(now.getTime() + o.offerDays * 24 * 60 * 60 * 1000),
        fromReserve: o.fromReserve,
      }),
    );
    await writeAudit(m, {
      action: 'grant.offered',
      entityType: 'application',
      entityId: app.id,
      after: { grantId: grant.id, amountPence: o.amountPence, ringFence: o.ringFenceName, fromReserve: o.fromReserve, expires: grant.offerExpiresAt },
    });
    return grant;
  }

  /** A grant for the person asking: the organisation's members, or staff who may view all applications; anyone else "not found". */
  async getFor(actor: Principal, id: string): Promise<GrantView> {
    const m = this.dataSource.manager;
    const grant = isUuid(id) ? await m.findOne(Grant, { where: { id } }) : null;
    if (!grant) throw GrantsException.notFound();
    const [app] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
    const role = await this.organisations.roleIn(actor.id, app.organisationId, m);
    if (!role && !actor.permissions.has(Permission.ApplicationsViewAll)) throw GrantsException.notFound();
    const [view] = await this.views(m, [grant], new Map([[app.id, app]]), () => role === OrganisationRole.Owner);
    return view;
  }

  /**
   * Grants a page at a time, newest offer first, filtered by round, state and organisation: every
   * grant for staff who may view all applications; for anyone else only their own organisations'
   * (an organisation filter naming someone else's simply finds nothing).
   */
  async list(
    actor: Principal,
    q: { roundId?: string; status?: Grant['status']; organisationId?: string; limit: number; page: number },
  ): Promise<{ items: GrantView[]; total: number }> {
    const all = actor.permissions.has(Permission.ApplicationsViewAll);
    // The person's roles, read once: which organisations' grants they see, and which offers they may answer.
    const roles = await this.organisations.rolesOf(actor.id);
    const mine = all ? null : [...roles.keys()];
    if (mine && !mine.length) return { items: [], total: 0 };
    const qb = this.dataSource.getRepository(Grant).createQueryBuilder('g').innerJoin('g.application', 'a');
    if (mine) qb.andWhere('a.organisation_id IN (:...mine)', { mine });
    if (q.organisationId) qb.andWhere('a.organisation_id = :organisationId', { organisationId: q.organisationId });
    if (q.roundId) qb.andWhere('g.round_id = :roundId', { roundId: q.roundId });
    if (q.status) qb.andWhere('g.status = :status', { status: q.status });
    const [grants, total] = await qb
      .orderBy('g.offered_at', 'DESC')
      .addOrderBy('g.id', 'ASC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit)
      .getManyAndCount();
    const m = this.dataSource.manager;
    const apps = new Map((await this.applications.assessable({ ids: grants.map((g) => g.applicationId) }, m)).map((a) => [a.id, a]));
    return { items: await this.views(m, grants, apps, (org) => roles.get(org) === OrganisationRole.Owner), total };
  }

  /** The grants of the organisations the person belongs to, newest offer first, a page at a time. */
  async pageForOrganisationsOf(actor: Principal, limit: number, page: number): Promise<{ items: GrantView[]; total: number }> {
    const roles = await this.organisations.rolesOf(actor.id);
    const organisationIds = [...roles.keys()];
    if (!organisationIds.length) return { items: [], total: 0 };
    const [grants, total] = await this.dataSource
      .getRepository(Grant)
      .createQueryBuilder('g')
      .innerJoin('g.application', 'a')
      .where('a.organisation_id IN (:...organisationIds)', { organisationIds })
      .orderBy('g.offered_at', 'DESC')
      .addOrderBy('g.id', 'ASC')
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
    const m = this.dataSource.manager;
    const apps = new Map((await this.applications.assessable({ ids: grants.map((g) => g.applicationId) }, m)).map((a) => [a.id, a]));
    return { items: await this.views(m, grants, apps, (org) => roles.get(org) === OrganisationRole.Owner), total };
  }

  /**
   * Grants as their pages and the API show them, in the order given. Each kind of related data
   * (the rounds' names and schedules, the decisions' numbers, the projects' start dates) is read
   * once for all of them through its module's service, so a page costs the same few queries
   * whatever its size; a single grant's view is this with one grant, so a list never shows a grant
   * differently from its own page. `apps` holds each grant's application; `owns` says whether the
   * person asking is an owner of an organisation (who may answer its open offers).
   */
  private async views(
    m: EntityManager,
    grants: readonly Grant[],
    apps: ReadonlyMap<string, AssessableApplication>,
    owns: (organisationId: string) => boolean,
  ): Promise<GrantView[]> {
    if (!grants.length) return [];
    const rounds = await this.rounds.namesAndSchedules(
      grants.map((g) => g.roundId),
      m,
    );
    const numbers = await this.decisions.numbersByIds(
      grants.map((g) => g.decisionId),
      m,
    );
    const starts = await this.applications.projectStarts(
      grants.map((g) => g.applicationId),
      m,
    );
    const now = this.clock.now();
    return grants.map((grant) => {
      const app = apps.get(grant.applicationId);
      const round = rounds.get(grant.roundId);
      const number = numbers.get(grant.decisionId);
      // The grant's foreign keys make these unreachable.
      if (!app || !round || number === undefined) throw new Error(`Grant ${grant.id} is missing its application, round or decision`);
      const { startsOn, endsOn: periodEnd } = grantPeriod(starts.get(app.id), grant.offeredAt);
      return {
        grant,
        application: app,
        roundName: round.name,
        paymentSchedule: scheduleSummary(round.paymentSchedule, Number(grant.amountPence)),
        decisionNumber: number,
        startsOn,
        // An approved variation may have moved the end.
        endsOn: grant.endsOn ?? periodEnd,
        canRespond: owns(app.organisationId) && grant.status === 'offered' && now < grant.offerExpiresAt,
      };
    });
  }

  /** An owner of the organisation accepts the offer, signing with their full name and the declaration; recorded and confirmed by email. */
  accept(actor: Principal, id: string, input: { fullName: string }): Promise<Grant> {
    return this.respond(actor, id, async (m, g, app) => {
      const now = this.clock.now();
      Object.assign(g, { status: 'accepted', respondedAt: now, respondedBy: actor.id, acceptedName: input.fullName.trim() });
      await m.save(g);
      await writeAudit(m, {
        action: 'grant.accepted',
        entityType: 'application',
        entityId: app.id,
        before: { status: 'offered' },
        after: { grantId: g.id, status: 'accepted', acceptedName: g.acceptedName, amountPence: Number(g.amountPence) },
      });
      // The reports first, so an effect (payments' instalments) finds the grant's reports in place.
      await this.reports.createAtAcceptance(m, g);
      for (const effect of this.acceptanceEffects) await effect(m, g);
      const round = await this.rounds.get(g.roundId, { includeDrafts: true, manager: m });
      for (const email of await this.organisations.ownerEmails(app.organisationId, m))
        await this.notifications.enqueue(m, {
          idempotencyKey: `grant-accepted:${g.id}:${email}`,
          to: email,
          template: 'grant-accepted',
          data: {
            organisation: app.organisationName,
            round: round.name,
            reference: app.reference ?? '',
            amount: formatPounds(Number(g.amountPence)),
            acceptedName: g.acceptedName,
            acceptedAt: formatLondonDateTime(now),
            link: `${this.config.publicBaseUrl}/grants/${g.id}`,
          },
        });
    });
  }

  /** An owner declines the offer: its money is released to its ring-fence or the round at once. */
  decline(actor: Principal, id: string, input: { reason?: string }): Promise<Grant> {
    return this.respond(actor, id, async (m, g, app) => {
      const reason = input.reason?.trim() || null;
      Object.assign(g, { status: 'declined', respondedAt: this.clock.now(), respondedBy: actor.id, declineReason: reason });
      await this.release(m, actor, g, app, { action: 'grant.declined', outcome: 'been declined', reason });
    });
  }

  private respond(actor: Principal, id: string, change: (m: EntityManager, g: Grant, app: AssessableApplication) => Promise<void>): Promise<Grant> {
    return this.dataSource.transaction(async (m) => {
      const g = isUuid(id) ? await m.findOne(Grant, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!g) throw GrantsException.notFound();
      const [app] = await this.applications.assessable({ ids: [g.applicationId] }, m);
      const role = await this.organisations.roleIn(actor.id, app.organisationId, m);
      if (!role) throw GrantsException.notFound();
      if (role !== OrganisationRole.Owner) throw GrantsException.notOwner();
      if (g.status !== 'offered') throw GrantsException.notOffered(g.status);
      if (this.clock.now() >= g.offerExpiresAt) throw GrantsException.offerLapsed(formatLondonDateTime(g.offerExpiresAt));
      await change(m, g, app);
      return g;
    });
  }

  /** Saves a declined or lapsed grant, releases its commitment and tells the organisation: one transaction, with the audit row. */
  private async release(
    m: EntityManager,
    actor: Principal | null,
    g: Grant,
    app: AssessableApplication,
    what: { action: string; outcome: string; reason: string | null },
  ): Promise<void> {
    await m.save(g);
    await this.allocation.release(actor, g.commitmentId, m);
    await writeAudit(m, {
      action: what.action,
      entityType: 'application',
      entityId: app.id,
      before: { status: 'offered' },
      after: { grantId: g.id, status: g.status, reason: what.reason, releasedPence: Number(g.amountPence) },
    });
    const round = await this.rounds.get(g.roundId, { includeDrafts: true, manager: m });
    for (const email of await this.organisations.ownerEmails(app.organisationId, m))
      await this.notifications.enqueue(m, {
        idempotencyKey: `grant-released:${g.id}:${email}`,
        to: email,
        template: 'grant-released',
        data: {
          organisation: app.organisationName,
          round: round.name,
          reference: app.reference ?? '',
          amount: formatPounds(Number(g.amountPence)),
          outcome: what.outcome,
          reason: what.reason ?? '',
        },
      });
  }

  /**
   * Lapses every offer whose period has passed, releasing its money. Each in its own transaction,
   * taking only rows no other worker holds, so two instances never lapse one offer twice.
   */
  async lapseDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.dataSource.getRepository(Grant).find({ where: { status: 'offered', offerExpiresAt: LessThanOrEqual(now) }, select: { id: true } });
    let lapsed = 0;
    for (const { id } of due) {
      const done = await this.dataSource.transaction(async (m) => {
        const g = await m.findOne(Grant, { where: { id, status: 'offered' }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });
        if (!g || g.offerExpiresAt > now) return false;
        const [app] = await this.applications.assessable({ ids: [g.applicationId] }, m);
        Object.assign(g, { status: 'lapsed', respondedAt: now });
        await this.release(m, null, g, app, {
          action: 'grant.lapsed',
          outcome: 'lapsed',
          reason: `it was not accepted by ${formatLondonDateTime(g.offerExpiresAt)}`,
        });
        return true;
      });
      if (done) lapsed++;
    }
    return lapsed;
  }

  /**
   * Offers money given back to an application on the reserve list of the round's approved
   * decision: from the ring-fence it qualifies for if that has room, else the general pot, with the
   * budget checked again under the round's lock.
   */
  async offerToReserve(actor: Principal, roundId: string, applicationId: string): Promise<Grant> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.rounds.get(roundId, { includeDrafts: true, manager: m });
      const decision = await this.decisions.awardingDecision(roundId, m);
      const run = decision ? await this.allocation.runForDecision(decision.id, m) : null;
      if (!decision || !run) throw GrantsException.noApprovedDecision();
      const award = run.awards.find((w) => w.applicationId === applicationId && w.outcome === 'reserve');
      const [app] = isUuid(applicationId) ? await this.applications.assessable({ ids: [applicationId] }, m) : [];
      if (!award || !app || (await m.exists(Grant, { where: { applicationId } }))) throw GrantsException.notOnReserveList(app?.reference ?? null);
      const amount = Number(app.amountRequestedPence ?? 0);
      const budget = await this.allocation.budget(roundId, m);
      const fence = budget.ringFences.find(
        (f) => (f.category !== null ? f.category === app.category : f.areaOnsCode === app.areaOnsCode) && f.availablePence >= amount,
      );
      const grant = await this.offer(m, actor, run, app, {
        amountPence: amount,
        ringFenceCategory: fence?.category ?? null,
        ringFenceArea: fence?.areaOnsCode ?? null,
        ringFenceName: fence?.name ?? null,
        decisionId: decision.id,
        conditions: round.grantConditions,
        offerDays: round.offerPeriodDays,
        fromReserve: true,
      });
      await this.emailOffer(m, grant, app, round.name, this.decisions.numberOf(decision), '');
      return grant;
    });
  }

  /**
   * A small award under a budget decision's delegation ("Active Citizens Budget 2020/21"): an
   * eligible application in its round, no more than the decision's limit or the request, and
   * within what the decision has left (declined and lapsed grants give theirs back). Under the
   * decision's row lock, so awards made at once never overspend it; the money comes from the
   * application's ring-fence if that has room, otherwise the round's general pot, checked again
   * under the round's lock. The grant names the decision that authorised it.
   */
  async awardDelegated(actor: Principal, decisionId: string, input: { applicationId: string; amountPence: number }): Promise<Grant> {
    return this.dataSource.transaction(async (m) => {
      const d = await this.decisions.lockDelegating(m, decisionId);
      const roundId = d.delegatedRoundId!;
      const [app] = isUuid(input.applicationId) ? await this.applications.assessable({ ids: [input.applicationId] }, m) : [];
      if (!app || app.roundId !== roundId || app.status !== 'eligible') throw GrantsException.notAwardable(app?.reference ?? null);
      if (await m.exists(Grant, { where: { applicationId: app.id } })) throw GrantsException.alreadyAwarded(app.reference);
      const limit = Number(d.delegatedAwardLimitPence);
      const requested = Number(app.amountRequestedPence ?? 0);
      if (input.amountPence > limit)
        throw new ValidationFailedException([
          { field: 'amountPence', rule: 'withinLimit', message: `An award under this decision can be no more than ${formatPounds(limit)}` },
        ]);
      if (input.amountPence > requested)
        throw new ValidationFailedException([
          { field: 'amountPence', rule: 'withinRequest', message: `The award can be no more than the ${formatPounds(requested)} requested` },
        ]);
      const used = await this.delegatedUsed(m, d.id);
      const left = Number(d.delegatedBudgetPence) - used;
      if (input.amountPence > left) throw GrantsException.delegatedBudgetSpent(formatPounds(Math.max(left, 0)));
      const round = await this.rounds.get(roundId, { includeDrafts: true, manager: m });
      const budget = await this.allocation.budget(roundId, m);
      const fence = budget.ringFences.find(
        (f) => (f.category !== null ? f.category === app.category : f.areaOnsCode === app.areaOnsCode) && f.availablePence >= input.amountPence,
      );
      const grant = await this.offer(m, actor, { roundId, unspentRingFences: 'hold' }, app, {
        amountPence: input.amountPence,
        ringFenceCategory: fence?.category ?? null,
        ringFenceArea: fence?.areaOnsCode ?? null,
        ringFenceName: fence?.name ?? null,
        decisionId: d.id,
        conditions: round.grantConditions,
        offerDays: round.offerPeriodDays,
        fromReserve: false,
      });
      await this.emailOffer(
        m,
        grant,
        app,
        round.name,
        this.decisions.numberOf(d),
        input.amountPence < requested ? 'the award was set under the Commissioner’s delegated budget' : '',
      );
      return grant;
    });
  }

  /** What a finance list shows of each grant: its application's reference, the organisation and the round. */
  async summaries(grantIds: string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, GrantSummary>> {
    const out = new Map<string, GrantSummary>();
    if (!grantIds.length) return out;
    const grants = await m.find(Grant, { where: { id: In(grantIds) } });
    const apps = new Map((await this.applications.assessable({ ids: grants.map((g) => g.applicationId) }, m)).map((a) => [a.id, a]));
    const rounds = new Map<string, FundingRound>();
    for (const g of grants) {
      if (!rounds.has(g.roundId)) rounds.set(g.roundId, await this.rounds.get(g.roundId, { includeDrafts: true, manager: m }));
      const app = apps.get(g.applicationId);
      const round = rounds.get(g.roundId)!;
      out.set(g.id, {
        grantId: g.id,
        reference: app?.reference ?? null,
        organisationId: app?.organisationId ?? '',
        organisationName: app?.organisationName ?? '',
        roundId: g.roundId,
        roundName: round.name,
        costCentre: round.programme?.costCentre ?? null,
        amountPence: Number(g.amountPence),
        ringFence: g.ringFence,
        status: g.status,
      });
    }
    return out;
  }

  /**
   * Every grant open data may show (accepted, under a published decision that is not
   * confidential), in batches read by keyset: see PublishedGrantsService.batches.
   */
  publishable(batchSize = 500): AsyncGenerator<PublishableGrant[]> {
    return this.published.batches(batchSize);
  }

  /** "016-2020": a decision's number, from the decisions module. */
  numberOf(d: PccDecision): string {
    return this.decisions.numberOf(d);
  }

  /** What a budget decision's delegated awards hold now: offered and accepted grants (declined and lapsed ones gave theirs back). */
  private async delegatedUsed(m: EntityManager, decisionId: string): Promise<number> {
    const [{ used }] = await m.query<{ used: string }[]>(
      `SELECT coalesce(sum(amount_pence), 0)::bigint AS used FROM "grant" WHERE decision_id = $1 AND status IN ('offered', 'accepted')`,
      [decisionId],
    );
    return Number(used);
  }

  /** A budget decision's delegated awards, newest first, a page at a time, with what is left of its budget. */
  async delegatedAwards(
    decisionId: string,
    limit: number,
    page: number,
  ): Promise<{ items: GrantView[]; total: number; usedPence: number; decision: PccDecision }> {
    const decision = await this.decisions.get(decisionId);
    const m = this.dataSource.manager;
    const [grants, total] = await m.findAndCount(Grant, {
      where: { decisionId },
      order: { offeredAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    const apps = new Map((await this.applications.assessable({ ids: grants.map((g) => g.applicationId) }, m)).map((a) => [a.id, a]));
    const items = await this.views(m, grants, apps, () => false);
    return { items, total, usedPence: await this.delegatedUsed(m, decisionId), decision };
  }

  /**
   * A round's grants, a page at a time (offers first to see what is open), and the reserve list of
   * its approved decision still without an offer, in order: for the fund manager's page.
   */
  async forRound(
    roundId: string,
    limit: number,
    page: number,
  ): Promise<{
    items: GrantView[];
    total: number;
    reserve: { applicationId: string; reference: string; position: number; reason: string }[];
    decision: PccDecision | null;
  }> {
    const m = this.dataSource.manager;
    await this.rounds.get(roundId, { includeDrafts: true });
    const [grants, total] = await m.findAndCount(Grant, { where: { roundId }, order: { offeredAt: 'DESC', id: 'ASC' }, skip: (page - 1) * limit, take: limit });
    const apps = new Map((await this.applications.assessable({ ids: grants.map((g) => g.applicationId) }, m)).map((a) => [a.id, a]));
    const items = await this.views(m, grants, apps, () => false);
    const decision = await this.decisions.awardingDecision(roundId);
    const run = decision ? await this.allocation.runForDecision(decision.id) : null;
    const offered = new Set((await m.find(Grant, { where: { roundId }, select: { applicationId: true } })).map((g) => g.applicationId));
    const reserve = (run?.awards ?? [])
      .filter((w) => w.outcome === 'reserve' && !offered.has(w.applicationId))
      .map((w) => ({ applicationId: w.applicationId, reference: w.reference, position: w.reservePosition ?? 0, reason: w.reason }))
      .sort((x, y) => x.position - y.position);
    return { items, total, reserve, decision };
  }

  /**
   * A round's grants for a staff download (organisations and the money offered them), recorded in
   * the audit trail as it starts: the round is checked (404), the download audited, and the
   * grants then read a batch at a time.
   */
  async downloadRoundGrants(roundId: string, format: string, batchSize?: number): Promise<AsyncGenerator<RoundGrantRow[]>> {
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    await this.dataSource.transaction((m) =>
      writeAudit(m, { action: 'grant.round_table_downloaded', entityType: 'funding_round', entityId: round.id, after: { format } }),
    );
    return this.roundGrantBatches(round.id, batchSize);
  }

  /**
   * Every grant offered in a round, newest offer first as its page lists them (the id breaks
   * ties), a batch at a time by keyset, each with its application and its decision's number.
   */
  async *roundGrantBatches(roundId: string, batchSize?: number): AsyncGenerator<RoundGrantRow[]> {
    const numbers = new Map<string, string>();
    const query = () => this.dataSource.getRepository(Grant).createQueryBuilder('g').where('g.round_id = :roundId', { roundId });
    for await (const { entities } of keysetBatches(
      query,
      [
        { expr: 'g.offered_at', dir: 'DESC' },
        { expr: 'g.id', dir: 'ASC' },
      ],
      batchSize,
    )) {
      const apps = new Map((await this.applications.assessable({ ids: entities.map((g) => g.applicationId) })).map((a) => [a.id, a]));
      // A round's grants come under one decision, or a few delegated ones: each read once.
      for (const id of new Set(entities.map((g) => g.decisionId))) if (!numbers.has(id)) numbers.set(id, this.decisions.numberOf(await this.decisions.get(id)));
      yield entities.map((grant) => ({ grant, application: apps.get(grant.applicationId)!, decisionNumber: numbers.get(grant.decisionId) ?? '' }));
    }
  }
}

/** A grant as a round's download lists it: the grant, its application, and the number of the decision that made it. */
export interface RoundGrantRow {
  grant: Grant;
  application: AssessableApplication;
  decisionNumber: string;
}

/**
 * Which ring-fence of the round an award's pot is, by what qualifies for it (ids change when a round
 * is edited). A run from before pots recorded that is matched to the round's ring-fence by name.
 */
function fenceOf(
  pot: { name: string; category?: string | null; areaOnsCode?: string | null } | undefined,
  roundFences: { name: string; category: string | null; areaOnsCode: string | null }[],
): { ringFenceCategory: string | null; ringFenceArea: string | null } {
  if (!pot) return { ringFenceCategory: null, ringFenceArea: null };
  if (pot.category || pot.areaOnsCode) return { ringFenceCategory: pot.category ?? null, ringFenceArea: pot.areaOnsCode ?? null };
  const byName = roundFences.find((f) => f.name === pot.name);
  return { ringFenceCategory: byName?.category ?? pot.name, ringFenceArea: byName?.areaOnsCode ?? null };
}

/**
 * Grants summed for the staff insights: one row per round, category, ring-fence and organisation's
 * area. `awarded*` counts the awards that stand (offered or accepted: a declined or lapsed offer
 * gave its money back); `offered` counts every offer made, for success rates (an offer declined
 * was still a successful application).
 */
export interface AwardTotal {
  roundId: string;
  /** The application's category code, and its name as the grant's round lists it. */
  category: string | null;
  categoryName: string | null;
  /** The ring-fence the grant is paid from, by name, or null for the general pot. */
  ringFence: string | null;
  /** Where the organisation is based (ONS code), or null when it has not said. */
  areaOnsCode: string | null;
  offered: number;
  awarded: number;
  awardedPence: number;
}
