import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatLondonDate, londonIsoDate } from '@pcc/london-time';
import { formatPounds, pence } from '@pcc/money';
import { Brackets, DataSource, type EntityManager } from 'typeorm';
import { Permission, type Principal } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { ApplicationsService, type AssessableApplication } from '../applications';
import { RoundsService, type ScheduleStep } from '../funds';
import { OrganisationsService, UsersService } from '../identity';
import { NotificationsService } from '../notifications';
import { Grant } from './entities/grant.entity';
import { MonitoringReport, type MonitoringReportStatus } from './entities/monitoring-report.entity';
import { nextNumberForGrant } from './grant-numbers';
import { GRANT_PERIOD_MONTHS } from './grant-period';
import { GrantsException } from './grants.exceptions';

/** Work another module does inside a report's approval (payments: the instalment waiting on it falls due); throwing undoes the approval. */
export type ReportApprovedEffect = (m: EntityManager, report: MonitoringReport) => Promise<void>;

/** Statuses in which the grant holder still owes the report: it can be (re)submitted, and it can be overdue. */
export const OPEN_REPORT_STATUSES: readonly MonitoringReportStatus[] = ['due', 'changes_requested'];

/** Reminders: this many days before a report is due, and these many days after while it is still owed. */
export const REMINDER_DAYS_BEFORE = 14;
export const OVERDUE_REMINDER_DAYS = [1, 7] as const;

/** A report with what its pages and API show beside it. */
export interface ReportView {
  report: MonitoringReport;
  /** Due before today (London) and not yet submitted or approved. */
  overdue: boolean;
}

/** A report in the fund managers' list, with the grant it belongs to. */
export interface StaffReportView extends ReportView {
  grantId: string;
  reference: string | null;
  organisationName: string;
  roundName: string;
  amountPence: number;
}

/** The grant a report belongs to, as the report's pages show it. */
export interface ReportGrant {
  grant: Grant;
  application: AssessableApplication;
  roundName: string;
  /** Whether the person asking belongs to the organisation (and so may submit its reports). */
  member: boolean;
}

/** One report with its grant and what the application promised, for the report's own page. */
export interface ReportPage extends ReportGrant, ReportView {
  /**
   * The application's answer on outcomes (the question the funds' forms call `outcomes`), for the
   * report to be written and read against; null when the round's form asked no such question.
   */
  promisedOutcomes: string | null;
}

export interface ReportSubmission {
  reportId: string;
  outcomes: string;
  spendToDatePence: number;
  caseStudy: string;
}

export interface StaffReportQuery {
  status?: MonitoringReportStatus;
  overdue?: boolean;
  q?: string;
  sort: string;
  limit: number;
  page: number;
}

/**
 * The months after the start at which a grant's reports are due: one for each monitoring report
 * its round's schedule pays against, and a final report at the end of the grant period unless the
 * schedule already waits on one there or later (a report at 12 months is the final report).
 */
export function reportMonthsFor(schedule: readonly ScheduleStep[]): number[] {
  const months = new Set(schedule.filter((s) => s.trigger === 'monitoring_report' && s.reportMonths).map((s) => s.reportMonths!));
  if (![...months].some((n) => n >= GRANT_PERIOD_MONTHS)) months.add(GRANT_PERIOD_MONTHS);
  return [...months].sort((a, b) => a - b);
}

/**
 * "2026-08-31" plus 6 months is "2027-02-28": the same day so many months on, or the month's last
 * day when it is shorter. Calendar arithmetic in UTC, where days have no clock changes.
 */
export function addMonths(isoDay: string, months: number): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  const lastOfMonth = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastOfMonth))).toISOString().slice(0, 10);
}

/** "2027-03-01" → "1 March 2027". */
export function formatDay(isoDay: string): string {
  return formatLondonDate(new Date(`${isoDay}T12:00:00Z`));
}

/**
 * Monitoring reports (issue 12): made when an offer is accepted, with due dates fixed then;
 * submitted by the organisation's members, approved or sent back with comments by a fund manager;
 * reminders before and after the due date. An approval runs the effects other modules registered
 * (payments makes the instalment that waits on the report due) in its own transaction.
 */
@Injectable()
export class MonitoringReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  private readonly approvedEffects: ReportApprovedEffect[] = [];

  onApproved(effect: ReportApprovedEffect): void {
    this.approvedEffects.push(effect);
  }

  /** Today in London, as an ISO day: what "overdue" is judged against. */
  today(): string {
    return londonIsoDate(this.clock.now());
  }

  private isOverdue(r: MonitoringReport, today = this.today()): boolean {
    return OPEN_REPORT_STATUSES.includes(r.status) && r.dueOn < today;
  }

  /** In the acceptance's transaction: the grant's reports, due so many months after the acceptance's London day. */
  async createAtAcceptance(m: EntityManager, grant: Grant): Promise<MonitoringReport[]> {
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    const acceptedOn = londonIsoDate(grant.respondedAt ?? this.clock.now());
    const reports = reportMonthsFor(round.paymentSchedule).map((months, i) =>
      m.create(MonitoringReport, { grantId: grant.id, seq: i + 1, months, dueOn: addMonths(acceptedOn, months), status: 'due' }),
    );
    return m.save(reports);
  }

  /**
   * Makes sure an accepted grant has a report due so many months after its acceptance (a changed
   * schedule may pay against a report the round's did not have), joining the caller's transaction.
   * An existing report is returned as it is, its due date untouched; null for a grant not accepted.
   */
  async ensureReport(m: EntityManager, grantId: string, months: number): Promise<MonitoringReport | null> {
    // The grant's row lock makes two callers at once take turns: over whether the report exists, and over the next seq.
    const grant = await m.findOne(Grant, { where: { id: grantId }, lock: { mode: 'pessimistic_write' } });
    if (!grant) throw GrantsException.notFound();
    if (grant.status !== 'accepted' || !grant.respondedAt) return null;
    const existing = await m.findOne(MonitoringReport, { where: { grantId, months } });
    if (existing) return existing;
    const seq = await nextNumberForGrant(m, grantId, 'monitoringReport');
    const report = await m.save(
      m.create(MonitoringReport, { grantId, seq, months, dueOn: addMonths(londonIsoDate(grant.respondedAt), months), status: 'due' }),
    );
    await writeAudit(m, {
      action: 'grant.report_added',
      entityType: 'application',
      entityId: grant.applicationId,
      after: { grantId, reportId: report.id, months, dueOn: report.dueOn },
    });
    return report;
  }

  /** The grant for the person asking: its organisation's members, or staff who may view all applications; anyone else "not found". */
  private async grantFor(actor: Principal, grantId: string, m: EntityManager): Promise<ReportGrant> {
    const grant = isUuid(grantId) ? await m.findOne(Grant, { where: { id: grantId } }) : null;
    if (!grant) throw GrantsException.notFound();
    const [application] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
    const member = !!(await this.organisations.roleIn(actor.id, application.organisationId, m));
    if (!member && !actor.permissions.has(Permission.ApplicationsViewAll)) throw GrantsException.notFound();
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    return { grant, application, roundName: round.name, member };
  }

  /** A grant's reports in order, for its organisation's members and staff who may view all applications. */
  async forGrant(actor: Principal, grantId: string): Promise<ReportGrant & { reports: ReportView[] }> {
    const m = this.dataSource.manager;
    const g = await this.grantFor(actor, grantId, m);
    const today = this.today();
    const reports = await m.find(MonitoringReport, { where: { grantId: g.grant.id }, order: { seq: 'ASC' } });
    return { ...g, reports: reports.map((report) => ({ report, overdue: this.isOverdue(report, today) })) };
  }

  /** One report of a grant, for the same people; a report of another grant is "not found". */
  async oneOfGrant(actor: Principal, grantId: string, reportId: string): Promise<ReportPage> {
    const m = this.dataSource.manager;
    const g = await this.grantFor(actor, grantId, m);
    const report = isUuid(reportId) ? await m.findOne(MonitoringReport, { where: { id: reportId, grantId: g.grant.id } }) : null;
    if (!report) throw GrantsException.reportNotFound();
    return { ...g, report, overdue: this.isOverdue(report), promisedOutcomes: await this.promisedOutcomes(g.application.id, m) };
  }

  private async promisedOutcomes(applicationId: string, m: EntityManager): Promise<string | null> {
    const { answers } = await this.applications.contentForAssessment(applicationId, m);
    return typeof answers.outcomes === 'string' && answers.outcomes.trim() ? answers.outcomes : null;
  }

  /** One report with its grant, for a fund manager's review. */
  async forReview(reportId: string): Promise<ReportPage> {
    const m = this.dataSource.manager;
    const report = isUuid(reportId) ? await m.findOne(MonitoringReport, { where: { id: reportId } }) : null;
    if (!report) throw GrantsException.reportNotFound();
    const grant = await m.findOneOrFail(Grant, { where: { id: report.grantId } });
    const [application] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
    const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
    return {
      grant,
      application,
      roundName: round.name,
      member: false,
      report,
      overdue: this.isOverdue(report),
      promisedOutcomes: await this.promisedOutcomes(application.id, m),
    };
  }

  /**
   * A member of the grant's organisation submits a report that is due, or submits it again after
   * a fund manager asked for changes. Under the report's row lock, with its audit row; someone else's
   * grant is "not found" and nothing changes.
   */
  async submit(actor: Principal, grantId: string, input: ReportSubmission): Promise<MonitoringReport> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const g = await this.grantFor(actor, grantId, m);
      if (!g.member) throw GrantsException.notFound(); // staff may read a grant's reports, never write them
      const report = isUuid(input.reportId)
        ? await m.findOne(MonitoringReport, { where: { id: input.reportId, grantId: g.grant.id }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!report) throw GrantsException.reportNotFound();
      if (!OPEN_REPORT_STATUSES.includes(report.status)) throw GrantsException.reportNotOpen(report.status);
      const problems: FieldError[] = [];
      const outcomes = input.outcomes.trim();
      const caseStudy = input.caseStudy.trim();
      if (!outcomes) problems.push({ field: 'outcomes', rule: 'required', message: 'Enter the outcomes so far' });
      if (!caseStudy) problems.push({ field: 'caseStudy', rule: 'required', message: 'Enter a short case study' });
      const award = Number(g.grant.amountPence);
      if (input.spendToDatePence > award)
        problems.push({
          field: 'spendToDatePence',
          rule: 'withinGrant',
          message: `Spend to date must be no more than the grant of ${formatPounds(award)}`,
        });
      if (problems.length) throw new ValidationFailedException(problems);
      const before = report.status;
      Object.assign(report, {
        status: 'submitted',
        outcomes,
        caseStudy,
        spendToDatePence: pence(input.spendToDatePence),
        submissions: report.submissions + 1,
        submittedBy: actor.id,
        submittedAt: now,
      });
      await m.save(report);
      await writeAudit(m, {
        action: 'grant.report_submitted',
        entityType: 'application',
        entityId: g.application.id,
        before: { status: before },
        after: {
          grantId: g.grant.id,
          reportId: report.id,
          months: report.months,
          dueOn: report.dueOn,
          spendToDatePence: input.spendToDatePence,
          submissions: report.submissions,
          late: londonIsoDate(now) > report.dueOn,
        },
      });
      return report;
    });
  }

  /** A fund manager approves a submitted report: the effects registered with onApproved run in the same transaction; the grant holder is told. */
  approve(actor: Principal, reportId: string): Promise<MonitoringReport> {
    return this.review(actor, reportId, { outcome: 'approved', action: 'grant.report_approved', template: 'report-approved' }, null);
  }

  /** A fund manager sends a submitted report back with comments, for the grant holder to change and submit again. */
  requestChanges(actor: Principal, reportId: string, comments: string): Promise<MonitoringReport> {
    const why = comments.trim();
    if (!why) throw new ValidationFailedException([{ field: 'comments', rule: 'required', message: 'Enter what needs to change' }]);
    return this.review(actor, reportId, { outcome: 'changes_requested', action: 'grant.report_changes_requested', template: 'report-changes-requested' }, why);
  }

  private review(
    actor: Principal,
    reportId: string,
    step: { outcome: 'approved' | 'changes_requested'; action: string; template: string },
    comments: string | null,
  ): Promise<MonitoringReport> {
    const { outcome } = step;
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const report = isUuid(reportId) ? await m.findOne(MonitoringReport, { where: { id: reportId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!report) throw GrantsException.reportNotFound();
      if (report.status !== 'submitted') throw GrantsException.reportNotSubmitted(report.status);
      Object.assign(report, { status: outcome, reviewedBy: actor.id, reviewedAt: now, reviewerComments: comments });
      await m.save(report);
      const grant = await m.findOneOrFail(Grant, { where: { id: report.grantId } });
      const [app] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
      await writeAudit(m, {
        action: step.action,
        entityType: 'application',
        entityId: app.id,
        before: { status: 'submitted' },
        after: { grantId: grant.id, reportId: report.id, months: report.months, submissions: report.submissions, ...(comments ? { comments } : {}) },
      });
      if (outcome === 'approved') for (const effect of this.approvedEffects) await effect(m, report);
      const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
      const submitter = report.submittedBy ? await this.users.findById(report.submittedBy, m) : null;
      const to = new Set([...(await this.organisations.ownerEmails(app.organisationId, m)), ...(submitter?.email ? [submitter.email] : [])]);
      for (const email of to)
        await this.notifications.enqueue(m, {
          // One review per submission, so the submission count keeps a second review's email distinct.
          idempotencyKey: `report-${outcome}:${report.id}:${report.submissions}:${email}`,
          to: email,
          template: step.template,
          data: {
            organisation: app.organisationName,
            round: round.name,
            reference: app.reference ?? '',
            months: String(report.months),
            comments: comments ?? '',
            link: `${this.config.publicBaseUrl}/grants/${grant.id}/reports/${report.id}`,
          },
        });
      return report;
    });
  }

  /** Every grant's reports for fund managers: by status and whether overdue, searched by reference, sorted by due date, a page at a time. */
  async listForStaff(q: StaffReportQuery): Promise<{ items: StaffReportView[]; total: number }> {
    const today = this.today();
    const qb = this.dataSource.getRepository(MonitoringReport).createQueryBuilder('r').innerJoinAndSelect('r.grant', 'g').innerJoin('g.application', 'a');
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.overdue !== undefined)
      qb.andWhere(
        new Brackets((w) =>
          q.overdue
            ? w.where('r.due_on < :today AND r.status IN (:...open)', { today, open: OPEN_REPORT_STATUSES })
            : w.where('r.due_on >= :today', { today }).orWhere('r.status NOT IN (:...open)', { open: OPEN_REPORT_STATUSES }),
        ),
      );
    if (q.q) qb.andWhere(`a.reference ILIKE '%' || :q || '%'`, { q: likeEscape(q.q) });
    const sort = parseSort<'due'>(q.sort);
    const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
    qb.orderBy('r.due_on', direction)
      .addOrderBy('r.id', 'ASC')
      .skip((q.page - 1) * q.limit)
      .take(q.limit);
    const [reports, total] = await qb.getManyAndCount();
    const m = this.dataSource.manager;
    const apps = new Map((await this.applications.assessable({ ids: reports.map((r) => r.grant!.applicationId) }, m)).map((a) => [a.id, a]));
    const roundNames = new Map<string, string>();
    const items: StaffReportView[] = [];
    for (const report of reports) {
      const grant = report.grant!;
      if (!roundNames.has(grant.roundId)) roundNames.set(grant.roundId, (await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m })).name);
      const app = apps.get(grant.applicationId);
      items.push({
        report,
        overdue: this.isOverdue(report, today),
        grantId: grant.id,
        reference: app?.reference ?? null,
        organisationName: app?.organisationName ?? '',
        roundName: roundNames.get(grant.roundId)!,
        amountPence: Number(grant.amountPence),
      });
    }
    return { items, total };
  }

  /** How many reports wait for a fund manager's review, and how many are overdue: for the dashboard and the list's heading. */
  async counts(): Promise<{ toReview: number; overdue: number }> {
    const [{ to_review, overdue }] = await this.dataSource.query<{ to_review: number; overdue: number }[]>(
      `SELECT count(*) FILTER (WHERE status = 'submitted')::int AS to_review,
              count(*) FILTER (WHERE status IN ('due', 'changes_requested') AND due_on < $1::date)::int AS overdue
         FROM monitoring_report`,
      [this.today()],
    );
    return { toReview: to_review, overdue };
  }

  /** Overdue reports (as `counts` reckons them) by the round of their grant. */
  async overdueByRound(): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ round_id: string; overdue: number }[]>(
      `SELECT g.round_id, count(*)::int AS overdue
         FROM monitoring_report mr JOIN "grant" g ON g.id = mr.grant_id
        WHERE mr.status IN ('due', 'changes_requested') AND mr.due_on < $1::date
        GROUP BY g.round_id`,
      [this.today()],
    );
    return new Map(rows.map((r) => [r.round_id, r.overdue]));
  }

  /**
   * Emails the organisation's contacts about each report still owed: REMINDER_DAYS_BEFORE days
   * before it is due, then OVERDUE_REMINDER_DAYS days after. Each reminder once: a row in
   * monitoring_report_reminder (its primary key the claim) is written in the email's transaction,
   * under the report's row lock, so two instances running at once send it once between them.
   * Returns how many reminders this call sent.
   */
  async sendReminders(): Promise<number> {
    const today = this.today();
    const [first, second] = OVERDUE_REMINDER_DAYS;
    const due: { id: string; kind: string }[] = await this.dataSource.query(
      `SELECT r.id, k.kind FROM monitoring_report r
        CROSS JOIN (VALUES ('before'), ('overdue_${first}'), ('overdue_${second}')) AS k(kind)
        WHERE r.status IN ('due', 'changes_requested')
          AND CASE k.kind
                WHEN 'before' THEN $1::date BETWEEN r.due_on - $2::int AND r.due_on
                WHEN 'overdue_${first}' THEN $1::date >= r.due_on + $3::int AND $1::date < r.due_on + $4::int
                ELSE $1::date >= r.due_on + $4::int
              END
          AND NOT EXISTS (SELECT 1 FROM monitoring_report_reminder x WHERE x.report_id = r.id AND x.kind = k.kind)
        ORDER BY r.due_on, r.id, k.kind`,
      [today, REMINDER_DAYS_BEFORE, first, second],
    );
    let sent = 0;
    for (const { id, kind } of due) {
      const done = await this.dataSource.transaction(async (m) => {
        const report = await m.findOne(MonitoringReport, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!report || !OPEN_REPORT_STATUSES.includes(report.status)) return false; // submitted meanwhile
        const claimed = await m.query<unknown[]>(
          `INSERT INTO monitoring_report_reminder (report_id, kind, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING report_id`,
          [id, kind, this.clock.now()],
        );
        if (!claimed.length) return false; // another instance sent it
        const grant = await m.findOneOrFail(Grant, { where: { id: report.grantId } });
        const [app] = await this.applications.assessable({ ids: [grant.applicationId] }, m);
        const round = await this.rounds.get(grant.roundId, { includeDrafts: true, manager: m });
        for (const email of await this.organisations.ownerEmails(app.organisationId, m))
          await this.notifications.enqueue(m, {
            idempotencyKey: `report-reminder:${id}:${kind}:${email}`,
            to: email,
            template: kind === 'before' ? 'report-due-soon' : 'report-overdue',
            data: {
              organisation: app.organisationName,
              round: round.name,
              reference: app.reference ?? '',
              months: String(report.months),
              due: formatDay(report.dueOn),
              link: `${this.config.publicBaseUrl}/grants/${grant.id}/reports/${report.id}`,
            },
          });
        await writeAudit(m, {
          action: 'grant.report_reminder_sent',
          entityType: 'application',
          entityId: app.id,
          actorLabel: 'system',
          after: { grantId: grant.id, reportId: id, months: report.months, dueOn: report.dueOn, kind },
        });
        return true;
      });
      if (done) sent++;
    }
    return sent;
  }
}
