import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, pence, type Pence } from '@pcc/money';
import { DataSource, type EntityManager, In, IsNull, Not } from 'typeorm';
import { Permission, type Principal, StaffRole } from '../../platform/access';
import { Clock } from '../../platform/clock';
import { type FieldError, ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { keysetBatches } from '../../platform/database/keyset';
import { type Answers, type ApplicationAttachment, type AssessableApplication, ApplicationsService } from '../applications';
import { type FundingRound, RoundsService } from '../funds';
import { OrganisationsService, type StaffAccount, UsersService } from '../identity';
import { NotificationsService } from '../notifications';
import { AssessmentException } from './assessment.exceptions';
import type { QueueSortKey } from './dto/assessment.dto';
import { AssessmentScore } from './entities/assessment-score.entity';
import { Assessment, type AssessmentStatus, type Recommendation } from './entities/assessment.entity';
import { DeclaredInterest } from './entities/declared-interest.entity';
import { Moderation } from './entities/moderation.entity';
import {
  type Calibration,
  type CriterionScale,
  type Fraction,
  type Ranked,
  type RankCandidate,
  type ScoreOf,
  assessmentPercent,
  calibrate,
  divergent,
  fromHundredths,
  mean,
  normalised,
  planAssignments,
  rankApplications,
  tieBreakCriterion,
} from './scoring';

export type AssignmentRequest = { mode: 'auto' } | { mode?: 'manual'; applicationId?: string; assessorIds?: string[] };

export interface ScoresInput {
  scores: { criterionId: string; score: number; comment?: string }[];
  recommendation?: Recommendation;
  recommendedAmountPence?: number;
  comment?: string;
}

/** An assessment with what its assessor may see of the application at this point. */
export interface AssessmentView {
  assessment: Assessment;
  scores: AssessmentScore[];
  application: AssessableApplication;
  round: FundingRound;
  /** Only after "no conflict" has been declared. */
  content: { answers: Answers; attachments: ApplicationAttachment[] } | null;
  percent: Fraction | null;
}

export interface QueueItem {
  assessment: Assessment;
  application: AssessableApplication;
  dueAt: Date | null;
}

export interface ApplicationAssessments {
  application: AssessableApplication;
  assessments: { assessment: Assessment; assessor: StaffAccount | undefined; scores: AssessmentScore[]; percent: Fraction | null }[];
  moderation: Moderation | null;
  divergent: boolean;
}

export interface RankingRow extends RankCandidate {
  application: AssessableApplication;
  rawScores: Fraction[];
  raw: Fraction | null;
  moderated: Fraction | null;
  divergent: boolean;
  recommendations: Record<Recommendation, number>;
  submittedAssessments: number;
  qualifiesForRingFence: string | null;
}

export interface Ranking {
  ready: boolean;
  required: number;
  outstanding: { application: AssessableApplication; submitted: number; required: number }[];
  rows: Ranked<RankingRow>[];
}

export interface RoundProgress {
  dueAt: Date | null;
  /** The scoring deadline has passed: anything not submitted is overdue. */
  pastDeadline: boolean;
  totals: Record<AssessmentStatus, number>;
  assessors: { assessor: StaffAccount | undefined; counts: Record<AssessmentStatus, number> }[];
}

export interface DeclarationRow {
  applicationId: string | null;
  organisationId: string;
  reference: string | null;
  organisationName: string;
  assessor: StaffAccount | undefined;
  conflict: boolean;
  reason: string | null;
  declaredAt: Date;
  /** A standing interest in the organisation rather than a declaration on one application. */
  standing: boolean;
}

/** One assessment as a round's download lists it: draft scores stay the assessor's own business until submitted. */
export interface AssessmentExportRow {
  assessment: Assessment;
  application: AssessableApplication;
  assessor: StaffAccount | undefined;
  /** Submitted assessments only: each criterion's score by the criterion's id. */
  scores: Map<string, number>;
  percent: Fraction | null;
  /** The application's moderated score, if a fund manager has given one. */
  moderation: Moderation | null;
}

/** A reason, comment or other free text: trimmed, and required where the rule says so. */
const trimmed = (v: string | undefined | null) => (v ?? '').trim();

/**
 * Assessment: assigning eligible applications to assessors, their declarations of interest,
 * scoring, moderation and the ranking. Who sees what is decided here, on the server: an assessor
 * reads an application only after declaring no conflict, and other assessors' scores only after
 * submitting their own.
 */
@Injectable()
export class AssessmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  // ---- assignment -------------------------------------------------------------------------------

  /**
   * Assigns assessors to a closed round's eligible applications, by hand or automatically. Runs
   * under a per-round lock, so two fund managers assigning at once queue rather than both filling
   * the same places: an application never gets more than the round's number of assessors.
   */
  async assign(actor: Principal, roundId: string, request: AssignmentRequest): Promise<Assessment[]> {
    if (request.mode !== 'auto') {
      const missing: FieldError[] = [];
      if (!request.applicationId) missing.push({ field: 'applicationId', rule: 'requiredUnlessAuto', message: 'Select the application to assign' });
      if (!request.assessorIds) missing.push({ field: 'assessorIds', rule: 'requiredUnlessAuto', message: 'Select at least one assessor' });
      if (missing.length) throw new ValidationFailedException(missing);
    }
    return this.dataSource.transaction(async (m) => {
      const round = await this.rounds.get(roundId, { manager: m });
      if (this.rounds.statusOf(round) !== 'closed') throw AssessmentException.roundNotClosed();
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('assessment-assignment'), hashtext($1))`, [roundId]);
      const existing = await m.find(Assessment, { where: { roundId } });
      const interests = await m.find(DeclaredInterest);
      const interestKeys = new Set(interests.map((i) => `${i.userId}:${i.organisationId}`));
      let pairs: { applicationId: string; assessorId: string }[];
      let applications: AssessableApplication[];
      if (request.mode === 'auto') {
        applications = await this.applications.assessable({ roundId }, m);
        const assessors = await this.users.activeWithRole(StaffRole.Assessor, m);
        pairs = planAssignments({
          applications: applications.map((a) => ({ id: a.id, organisationId: a.organisationId, reference: a.reference ?? a.id })),
          assessors: assessors.map((a) => a.id),
          existing: existing.map((e) => ({ applicationId: e.applicationId, assessorId: e.assessorId, counts: e.status !== 'conflicted' })),
          required: round.assessorsPerApplication,
          interests: interestKeys,
        }).assign;
      } else {
        const assessorIds = request.assessorIds!;
        applications = await this.applications.assessable({ ids: [request.applicationId!] }, m);
        const app = applications[0];
        if (!app || app.roundId !== roundId)
          throw new ValidationFailedException([{ field: 'applicationId', rule: 'inRound', message: 'Select an application in this round' }]);
        if (app.status !== 'eligible') throw AssessmentException.notAssessable(app.reference, app.status);
        await this.checkAssessors(m, assessorIds, app, existing, interestKeys);
        const counting = existing.filter((e) => e.applicationId === app.id && e.status !== 'conflicted').length;
        if (counting + assessorIds.length > round.assessorsPerApplication) throw AssessmentException.enoughAssessors(round.assessorsPerApplication);
        pairs = assessorIds.map((assessorId) => ({ applicationId: app.id, assessorId }));
      }
      const byId = new Map(applications.map((a) => [a.id, a]));
      const assessorsById = await this.users.staffByIds(
        pairs.map((p) => p.assessorId),
        m,
      );
      const created: Assessment[] = [];
      for (const p of pairs) {
        const saved = await m.save(m.create(Assessment, { roundId, applicationId: p.applicationId, assessorId: p.assessorId, assignedBy: actor.id }));
        created.push(saved);
        const app = byId.get(p.applicationId)!;
        await writeAudit(m, {
          action: 'assessment.assigned',
          entityType: 'application',
          entityId: p.applicationId,
          after: { assessmentId: saved.id, assessorId: p.assessorId, mode: request.mode === 'auto' ? 'auto' : 'manual' },
        });
        const assessor = assessorsById.get(p.assessorId)!;
        await this.notifications.enqueue(m, {
          idempotencyKey: `assessment-assigned:${saved.id}`,
          to: assessor.email,
          template: 'assessment-assigned',
          data: {
            name: assessor.fullName,
            reference: app.reference ?? '',
            organisation: app.organisationName,
            round: round.name,
            due: round.scoringClosesAt ? formatLondonDateTime(round.scoringClosesAt) : 'the date the fund manager sets',
          },
        });
      }
      return created;
    });
  }

  /** Each person named must be an active assessor, not already on it, with no declared interest. */
  private async checkAssessors(m: EntityManager, ids: string[], app: AssessableApplication, existing: Assessment[], interests: Set<string>) {
    const accounts = await this.users.staffByIds(ids, m);
    const notAssessor: FieldError[] = [];
    const assigned: FieldError[] = [];
    const interested: FieldError[] = [];
    ids.forEach((id, i) => {
      const field = `assessorIds.${i}`;
      const a = accounts.get(id);
      if (!a || !a.roles.includes(StaffRole.Assessor)) notAssessor.push({ field, rule: 'assessor', message: 'Select someone with the assessor role' });
      else if (!a.active) notAssessor.push({ field, rule: 'active', message: `${a.fullName}’s account is deactivated` });
      else if (existing.some((e) => e.applicationId === app.id && e.assessorId === id))
        assigned.push({ field, rule: 'notAlreadyAssigned', message: `${a.fullName} is already assigned to ${app.reference} (or declared a conflict with it)` });
      else if (interests.has(`${id}:${app.organisationId}`))
        interested.push({ field, rule: 'noDeclaredInterest', message: `${a.fullName} has declared an interest in ${app.organisationName}` });
    });
    if (notAssessor.length) throw AssessmentException.notAnAssessor(notAssessor);
    if (assigned.length) throw AssessmentException.alreadyAssigned(assigned);
    if (interested.length) throw AssessmentException.interestDeclared(interested);
  }

  /** Takes an assessor off an application. A submitted assessment, or a declared conflict (the record), stays. */
  async unassign(actor: Principal, assessmentId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, assessmentId);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('assessment-assignment'), hashtext($1))`, [a.roundId]);
      if (a.status === 'submitted') throw AssessmentException.submitted();
      if (a.status === 'conflicted') throw AssessmentException.conflicted();
      await m.delete(AssessmentScore, { assessmentId });
      await m.delete(Assessment, { id: assessmentId });
      await writeAudit(m, {
        action: 'assessment.unassigned',
        entityType: 'application',
        entityId: a.applicationId,
        before: { assessmentId, assessorId: a.assessorId, status: a.status },
      });
    });
  }

  // ---- the assessor's side ------------------------------------------------------------------------

  /** My assessments a page at a time: sorted (newest assignment first by default), searched by reference, filtered by status. */
  async queue(
    me: Principal,
    q: { limit: number; page: number; sort: string; q?: string; status?: AssessmentStatus },
  ): Promise<{ items: QueueItem[]; total: number }> {
    const { key, direction } = parseSort<QueueSortKey>(q.sort);
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    // The application is joined through this module's own foreign key, only to sort and search by its reference.
    const qb = this.dataSource.getRepository(Assessment).createQueryBuilder('a').innerJoin('a.application', 'app').where('a.assessor_id = :me', { me: me.id });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (q.q) qb.andWhere(`app.reference ILIKE '%' || :q || '%'`, { q: likeEscape(q.q) });
    if (key === 'reference') qb.orderBy('app.reference', dir, 'NULLS LAST');
    else if (key === 'status') qb.orderBy('a.status', dir);
    else qb.orderBy('a.created_at', dir);
    const [rows, total] = await qb
      .addOrderBy('a.id', 'ASC')
      // offset/limit, not skip/take: the join is many-to-one, so rows are not multiplied, and
      // TypeORM's skip/take subquery cannot order by a column of a join that is not selected.
      .offset((q.page - 1) * q.limit)
      .limit(q.limit)
      .getManyAndCount();
    const apps = new Map((await this.applications.assessable({ ids: rows.map((r) => r.applicationId) })).map((a) => [a.id, a]));
    const due = new Map<string, Date | null>();
    for (const id of new Set(rows.map((r) => r.roundId))) due.set(id, (await this.rounds.get(id, { includeDrafts: true })).scoringClosesAt);
    return { items: rows.map((a) => ({ assessment: a, application: apps.get(a.applicationId)!, dueAt: due.get(a.roundId) ?? null })), total };
  }

  /** Active assessors by name: whom a fund manager can choose on an application's assessments page. */
  activeAssessors(): Promise<StaffAccount[]> {
    return this.users.activeWithRole(StaffRole.Assessor);
  }

  /** Counts of my assessments by status (the "My assessments" panel). */
  async myCounts(me: Principal): Promise<Record<AssessmentStatus, number>> {
    const rows = await this.dataSource.query<{ status: AssessmentStatus; n: string }[]>(
      `SELECT status, count(*) AS n FROM assessment WHERE assessor_id = $1 GROUP BY status`,
      [me.id],
    );
    const counts: Record<AssessmentStatus, number> = { awaiting_declaration: 0, in_progress: 0, submitted: 0, conflicted: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** One of my assessments; the application's answers only once I have declared no conflict. */
  async view(me: Principal, id: string): Promise<AssessmentView> {
    const m = this.dataSource.manager;
    const assessment = await this.mine(m, me, id);
    const [application] = await this.applications.assessable({ ids: [assessment.applicationId] }, m);
    const round = await this.rounds.get(assessment.roundId, { manager: m, includeDrafts: true });
    const scores = await m.find(AssessmentScore, { where: { assessmentId: id } });
    const cleared = assessment.status === 'in_progress' || assessment.status === 'submitted';
    const content = cleared ? await this.applications.contentForAssessment(assessment.applicationId, m) : null;
    return { assessment, scores, application, round, content, percent: assessmentPercent(criteriaOf(round), scores) };
  }

  /** A file of the application, for its assessor after "no conflict". */
  async attachment(me: Principal, id: string, attachmentId: string): Promise<ApplicationAttachment> {
    const assessment = await this.mine(this.dataSource.manager, me, id);
    this.assertCleared(assessment);
    return this.applications.attachmentForAssessment(assessment.applicationId, attachmentId);
  }

  /**
   * The declaration before anything of the application is shown. A conflict ends the assignment
   * (the row stays as the record), and the fund managers are told so they can reassign it.
   */
  async declare(me: Principal, id: string, input: { conflict: boolean; reason?: string }): Promise<Assessment> {
    const reason = trimmed(input.reason);
    if (input.conflict && !reason)
      throw new ValidationFailedException([{ field: 'reason', rule: 'requiredWithConflict', message: 'Say what your conflict of interest is' }]);
    return this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, id, me);
      if (a.status !== 'awaiting_declaration') throw AssessmentException.alreadyDeclared();
      const now = this.clock.now();
      Object.assign(a, input.conflict ? { status: 'conflicted', conflictReason: reason, declaredAt: now } : { status: 'in_progress', declaredAt: now });
      await m.save(a);
      const after = { assessmentId: a.id, assessorId: me.id };
      if (input.conflict) {
        await writeAudit(m, { action: 'assessment.conflict_declared', entityType: 'application', entityId: a.applicationId, after: { ...after, reason } });
        await this.tellFundManagersOfConflict(m, a, me, reason);
      } else {
        await writeAudit(m, { action: 'assessment.no_conflict_declared', entityType: 'application', entityId: a.applicationId, after });
      }
      return a;
    });
  }

  private async tellFundManagersOfConflict(m: EntityManager, a: Assessment, assessor: { fullName: string }, reason: string) {
    const [app] = await this.applications.assessable({ ids: [a.applicationId] }, m);
    const round = await this.rounds.get(a.roundId, { manager: m, includeDrafts: true });
    for (const fm of await this.users.activeWithRole(StaffRole.FundManager, m)) {
      await this.notifications.enqueue(m, {
        idempotencyKey: `assessment-conflict:${a.id}:${fm.id}`,
        to: fm.email,
        template: 'assessment-conflict-declared',
        data: { name: fm.fullName, assessor: assessor.fullName, reference: app.reference ?? '', organisation: app.organisationName, round: round.name, reason },
      });
    }
  }

  /**
   * Saves the assessor's scores and recommendation as a draft (replacing the last draft). The
   * first score saved in a round freezes its criteria.
   */
  async saveScores(me: Principal, id: string, input: ScoresInput): Promise<AssessmentView> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, id, me);
      this.assertCleared(a);
      if (a.status === 'submitted') throw AssessmentException.submitted();
      const round = await this.rounds.get(a.roundId, { manager: m, includeDrafts: true });
      this.assertBeforeDeadline(round);
      const [app] = await this.applications.assessable({ ids: [a.applicationId] }, m);
      const problems = scoreProblems(criteriaOf(round), input, app.amountRequestedPence);
      if (problems.length) throw new ValidationFailedException(problems);
      await m.delete(AssessmentScore, { assessmentId: id });
      for (const s of input.scores)
        await m.insert(AssessmentScore, { assessmentId: id, criterionId: s.criterionId, score: s.score, comment: trimmed(s.comment) });
      if (input.scores.length) await this.rounds.freezeCriteria(m, a.roundId);
      a.recommendation = input.recommendation ?? null;
      a.recommendedAmountPence =
        input.recommendation === 'fund_in_part' && input.recommendedAmountPence !== undefined ? pence(input.recommendedAmountPence) : null;
      a.comment = trimmed(input.comment);
      await m.save(a);
      await writeAudit(m, {
        action: 'assessment.scores_saved',
        entityType: 'application',
        entityId: a.applicationId,
        after: { assessmentId: a.id, scores: input.scores.map((s) => ({ criterionId: s.criterionId, score: s.score })), recommendation: a.recommendation },
      });
    });
    return this.view(me, id);
  }

  /** Submits the assessment: every criterion scored, a recommendation and a comment. Final from then on. */
  async submit(me: Principal, id: string): Promise<AssessmentView> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, id, me);
      this.assertCleared(a);
      if (a.status === 'submitted') throw AssessmentException.submitted();
      const round = await this.rounds.get(a.roundId, { manager: m, includeDrafts: true });
      this.assertBeforeDeadline(round);
      const scores = await m.find(AssessmentScore, { where: { assessmentId: id } });
      const missing = incompleteParts(criteriaOf(round), scores, a);
      if (missing.length) throw AssessmentException.incomplete(missing);
      a.status = 'submitted';
      a.submittedAt = this.clock.now();
      await m.save(a);
      await writeAudit(m, {
        action: 'assessment.submitted',
        entityType: 'application',
        entityId: a.applicationId,
        after: { assessmentId: a.id, percent: assessmentPercent(criteriaOf(round), scores)?.toFraction() ?? null, recommendation: a.recommendation },
      });
    });
    return this.view(me, id);
  }

  /** A fund manager reopens a submitted assessment, with a reason, so its assessor can change it. */
  async reopen(actor: Principal, id: string, reason: string): Promise<Assessment> {
    const why = trimmed(reason);
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say why the assessment is being reopened' }]);
    return this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, id);
      if (a.status !== 'submitted') throw AssessmentException.notSubmitted();
      a.status = 'in_progress';
      a.submittedAt = null;
      await m.save(a);
      await writeAudit(m, {
        action: 'assessment.reopened',
        entityType: 'application',
        entityId: a.applicationId,
        after: { assessmentId: a.id, assessorId: a.assessorId, reason: why },
      });
      return a;
    });
  }

  /**
   * A fund manager releases (or withholds again) a submitted assessment's comment as feedback to
   * the applicant: released comments go with an unsuccessful outcome when the decision is approved.
   */
  async releaseFeedback(actor: Principal, id: string, released: boolean): Promise<Assessment> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.locked(m, id);
      if (a.status !== 'submitted') throw AssessmentException.notSubmitted();
      a.feedbackReleasedAt = released ? (a.feedbackReleasedAt ?? this.clock.now()) : null;
      await m.save(a);
      await writeAudit(m, {
        action: `assessment.feedback_${released ? 'released' : 'withheld'}`,
        entityType: 'application',
        entityId: a.applicationId,
        after: { assessmentId: a.id, by: actor.id },
      });
      return a;
    });
  }

  /** Assessors' "fund in part" amounts on each application (submitted assessments): suggestions for a partial award. */
  async partSuggestions(applicationIds: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (!applicationIds.length) return out;
    const rows = await this.dataSource.getRepository(Assessment).find({
      where: { applicationId: In(applicationIds), status: 'submitted', recommendation: 'fund_in_part' },
      order: { submittedAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows)
      if (r.recommendedAmountPence !== null) out.set(r.applicationId, [...(out.get(r.applicationId) ?? []), Number(r.recommendedAmountPence)]);
    return out;
  }

  /** The released comments on each application, in the order the assessments were submitted. */
  async releasedFeedback(applicationIds: string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!applicationIds.length) return out;
    const rows = await m.find(Assessment, {
      where: { applicationId: In(applicationIds), status: 'submitted', feedbackReleasedAt: Not(IsNull()) },
      order: { submittedAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) if (r.comment.trim()) out.set(r.applicationId, [...(out.get(r.applicationId) ?? []), r.comment.trim()]);
    return out;
  }

  // ---- interests ----------------------------------------------------------------------------------

  /**
   * A standing interest in an organisation. Any unsubmitted assessment of that organisation's
   * applications by this person ends as conflicted now; none is assigned to them later.
   */
  async declareInterest(me: Principal, organisationId: string, reason: string): Promise<DeclaredInterest> {
    const why = trimmed(reason);
    if (!why) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Say what your interest in the organisation is' }]);
    return this.dataSource.transaction(async (m) => {
      if (!(await this.organisations.find(organisationId, m)))
        throw new ValidationFailedException([{ field: 'organisationId', rule: 'exists', message: 'Organisation not found' }]);
      // ON CONFLICT DO NOTHING: declaring the same interest twice (even at the same moment) is one interest.
      const inserted = await m.createQueryBuilder().insert().into(DeclaredInterest).values({ userId: me.id, organisationId, reason: why }).orIgnore().execute();
      const saved = await m.findOneOrFail(DeclaredInterest, { where: { userId: me.id, organisationId } });
      if (!inserted.identifiers.some((x) => x)) return saved;
      await writeAudit(m, {
        action: 'assessment.interest_declared',
        entityType: 'organisation',
        entityId: organisationId,
        after: { userId: me.id, reason: why },
      });
      const mine = await m.find(Assessment, {
        where: { assessorId: me.id, status: In(['awaiting_declaration', 'in_progress']) },
        lock: { mode: 'pessimistic_write' },
      });
      const apps = await this.applications.assessable({ ids: mine.map((a) => a.applicationId) }, m);
      const ofOrganisation = new Set(apps.filter((a) => a.organisationId === organisationId).map((a) => a.id));
      for (const a of mine.filter((x) => ofOrganisation.has(x.applicationId))) {
        await m.delete(AssessmentScore, { assessmentId: a.id });
        Object.assign(a, {
          status: 'conflicted',
          conflictReason: `Standing interest: ${why}`,
          declaredAt: this.clock.now(),
          recommendation: null,
          recommendedAmountPence: null,
        });
        await m.save(a);
        await writeAudit(m, {
          action: 'assessment.conflict_declared',
          entityType: 'application',
          entityId: a.applicationId,
          after: { assessmentId: a.id, assessorId: me.id, reason: a.conflictReason },
        });
        await this.tellFundManagersOfConflict(m, a, me, a.conflictReason!);
      }
      return saved;
    });
  }

  // ---- fund managers: reading, moderation, ranking --------------------------------------------------

  /**
   * An application's assessments. Fund managers who may moderate see all of them; an assessor
   * sees them only once they have submitted their own, so nobody is steered by another's scores.
   */
  async forApplication(actor: Principal, applicationId: string): Promise<ApplicationAssessments> {
    const m = this.dataSource.manager;
    const [application] = isUuid(applicationId) ? await this.applications.assessable({ ids: [applicationId] }, m) : [];
    if (!application) throw AssessmentException.notFound();
    const all = await m.find(Assessment, { where: { applicationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (!actor.permissions.has(Permission.ModerationManage)) {
      const own = all.find((a) => a.assessorId === actor.id);
      if (!own) throw AssessmentException.notFound();
      if (own.status === 'conflicted') throw AssessmentException.conflicted();
      if (own.status !== 'submitted') throw AssessmentException.notSubmitted();
    }
    const round = await this.rounds.get(application.roundId, { manager: m, includeDrafts: true });
    const criteria = criteriaOf(round);
    const scores = await this.scoresOf(
      m,
      all.map((a) => a.id),
    );
    const people = await this.users.staffByIds(
      all.map((a) => a.assessorId),
      m,
    );
    const moderation = await m.findOne(Moderation, { where: { applicationId } });
    const rows = all.map((a) => {
      const s = scores.get(a.id) ?? [];
      return { assessment: a, assessor: people.get(a.assessorId), scores: s, percent: a.status === 'submitted' ? assessmentPercent(criteria, s) : null };
    });
    // Drafts are the assessor's own business until submitted.
    const visible = rows.map((r) => (r.assessment.status === 'submitted' || r.assessment.assessorId === actor.id ? r : { ...r, scores: [], percent: null }));
    const submitted = rows.filter((r) => r.percent !== null).map((r) => r.percent!);
    return { application, assessments: visible, moderation, divergent: divergent(submitted, round.moderationThreshold) };
  }

  /**
   * A fund manager's moderated score, with a reason; the raw scores stay beside it. Someone with
   * a conflict on the application (declared on it, or a standing interest in the organisation)
   * cannot moderate it.
   */
  async moderate(actor: Principal, applicationId: string, input: { scoreHundredths: number; reason: string }): Promise<Moderation> {
    const reason = trimmed(input.reason);
    if (!reason) throw new ValidationFailedException([{ field: 'reason', rule: 'required', message: 'Give the reason for the moderated score' }]);
    return this.dataSource.transaction(async (m) => {
      const [app] = await this.applications.assessable({ ids: [applicationId] }, m);
      if (!app) throw AssessmentException.notFound();
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('assessment-moderation'), hashtext($1))`, [applicationId]);
      const conflicted =
        (await m.exists(Assessment, { where: { applicationId, assessorId: actor.id, status: 'conflicted' } })) ||
        (await m.exists(DeclaredInterest, { where: { userId: actor.id, organisationId: app.organisationId } }));
      if (conflicted) throw AssessmentException.conflicted();
      if (!(await m.exists(Assessment, { where: { applicationId, status: 'submitted' } }))) throw AssessmentException.nothingToModerate();
      const before = await m.findOne(Moderation, { where: { applicationId } });
      const saved = await m.save(
        m.create(Moderation, {
          applicationId,
          roundId: app.roundId,
          scoreHundredths: input.scoreHundredths,
          reason,
          moderatedBy: actor.id,
          moderatedAt: this.clock.now(),
        }),
      );
      await writeAudit(m, {
        action: 'assessment.moderated',
        entityType: 'application',
        entityId: applicationId,
        before: before ? { scoreHundredths: before.scoreHundredths, reason: before.reason } : undefined,
        after: { scoreHundredths: saved.scoreHundredths, reason },
      });
      return saved;
    });
  }

  /** The round's ranking: ready only when every eligible application has its assessments (or a moderated score). */
  async ranking(roundId: string): Promise<Ranking> {
    const m = this.dataSource.manager;
    const round = await this.rounds.get(roundId, { manager: m, includeDrafts: true });
    const criteria = criteriaOf(round);
    const top = tieBreakCriterion(criteria);
    const applications = await this.applications.assessable({ roundId }, m);
    const { submitted, scores } = await this.submittedIn(m, roundId);
    const moderations = new Map((await m.find(Moderation, { where: { roundId } })).map((x) => [x.applicationId, x]));
    const byApplication = new Map<string, (typeof submitted)[number][]>();
    for (const a of submitted) {
      const list = byApplication.get(a.applicationId);
      if (list) list.push(a);
      else byApplication.set(a.applicationId, [a]);
    }
    const fences = round.ringFences ?? [];
    // The first ring-fence the application qualifies for: by its category, or by its organisation's area.
    const fenceFor = (a: { category: string | null; areaOnsCode: string | null }) =>
      fences.find((f) => (f.category ? f.category === a.category : f.areaOnsCode === a.areaOnsCode))?.name ?? null;

    const rows: RankingRow[] = applications.map((app) => {
      const mine = byApplication.get(app.id) ?? [];
      const rawScores = mine.map((a) => assessmentPercent(criteria, scores.get(a.id) ?? [])).filter((p): p is Fraction => p !== null);
      const raw = mean(rawScores);
      const moderation = moderations.get(app.id);
      const moderated = moderation ? fromHundredths(moderation.scoreHundredths) : null;
      const topScores = top
        ? mine
            .map((a) => (scores.get(a.id) ?? []).find((s) => s.criterionId === top.id))
            .filter((s): s is ScoreOf => !!s)
            .map((s) => normalised(top, s.score))
        : [];
      const recommendations: Record<Recommendation, number> = { fund: 0, fund_in_part: 0, do_not_fund: 0 };
      for (const a of mine) if (a.recommendation) recommendations[a.recommendation]++;
      return {
        applicationId: app.id,
        reference: app.reference ?? '',
        submittedAt: app.submittedAt ?? new Date(0),
        final: moderated ?? raw,
        topCriterion: mean(topScores),
        application: app,
        rawScores,
        raw,
        moderated,
        divergent: divergent(rawScores, round.moderationThreshold),
        recommendations,
        submittedAssessments: mine.length,
        qualifiesForRingFence: fenceFor(app),
      };
    });
    const outstanding = rows
      .filter((r) => r.moderated === null && r.submittedAssessments < round.assessorsPerApplication)
      .map((r) => ({ application: r.application, submitted: r.submittedAssessments, required: round.assessorsPerApplication }));
    return { ready: applications.length > 0 && outstanding.length === 0, required: round.assessorsPerApplication, outstanding, rows: rankApplications(rows) };
  }

  /** Every declaration in the round (no conflict and conflict) and standing interests in its applicants. */
  async declarations(roundId: string): Promise<DeclarationRow[]> {
    const m = this.dataSource.manager;
    await this.rounds.get(roundId, { manager: m, includeDrafts: true });
    const declared = await m.find(Assessment, { where: { roundId }, order: { declaredAt: 'ASC', id: 'ASC' } });
    const made = declared.filter((a) => a.declaredAt !== null);
    const apps = new Map((await this.applications.assessable({ ids: made.map((a) => a.applicationId) }, m)).map((a) => [a.id, a]));
    const inRound = await this.applications.assessable({ roundId }, m);
    const organisations = new Map(inRound.map((a) => [a.organisationId, a]));
    const standing = organisations.size
      ? await m.find(DeclaredInterest, { where: { organisationId: In([...organisations.keys()]) }, order: { declaredAt: 'ASC' } })
      : [];
    const people = await this.users.staffByIds([...made.map((a) => a.assessorId), ...standing.map((s) => s.userId)], m);
    return [
      ...made.map((a) => {
        const app = apps.get(a.applicationId)!;
        return {
          applicationId: a.applicationId,
          organisationId: app.organisationId,
          reference: app.reference,
          organisationName: app.organisationName,
          assessor: people.get(a.assessorId),
          conflict: a.status === 'conflicted',
          reason: a.conflictReason,
          declaredAt: a.declaredAt!,
          standing: false,
        };
      }),
      ...standing.map((s) => ({
        applicationId: null,
        organisationId: s.organisationId,
        reference: null,
        organisationName: organisations.get(s.organisationId)!.organisationName,
        assessor: people.get(s.userId),
        conflict: true,
        reason: s.reason,
        declaredAt: s.declaredAt,
        standing: true,
      })),
    ];
  }

  /** How far the round's assessment has got: assessments by status, overall and per assessor (by name). */
  async progress(roundId: string): Promise<RoundProgress> {
    const m = this.dataSource.manager;
    const round = await this.rounds.get(roundId, { manager: m, includeDrafts: true });
    const rows = await m.query<{ assessor_id: string; status: AssessmentStatus; n: number }[]>(
      `SELECT assessor_id, status, count(*)::int AS n FROM assessment WHERE round_id = $1 GROUP BY assessor_id, status`,
      [roundId],
    );
    const people = await this.users.staffByIds(
      rows.map((r) => r.assessor_id),
      m,
    );
    const empty = (): Record<AssessmentStatus, number> => ({ awaiting_declaration: 0, in_progress: 0, submitted: 0, conflicted: 0 });
    const totals = empty();
    const byAssessor = new Map<string, Record<AssessmentStatus, number>>();
    for (const r of rows) {
      totals[r.status] += r.n;
      const counts = byAssessor.get(r.assessor_id) ?? empty();
      counts[r.status] += r.n;
      byAssessor.set(r.assessor_id, counts);
    }
    const dueAt = round.scoringClosesAt;
    return {
      dueAt,
      pastDeadline: dueAt !== null && this.clock.now() > dueAt,
      totals,
      assessors: [...byAssessor]
        .map(([id, counts]) => ({ assessor: people.get(id), counts }))
        .sort((a, b) => (a.assessor?.fullName ?? '').localeCompare(b.assessor?.fullName ?? '')),
    };
  }

  /** Each assessor's mean against the panel's on the same applications, harshest first. */
  async calibration(roundId: string): Promise<{ calibration: Calibration; assessor: StaffAccount | undefined }[]> {
    const m = this.dataSource.manager;
    const round = await this.rounds.get(roundId, { manager: m, includeDrafts: true });
    const criteria = criteriaOf(round);
    const { submitted, scores } = await this.submittedIn(m, roundId);
    const rows = submitted
      .map((a) => ({ assessorId: a.assessorId, applicationId: a.applicationId, percent: assessmentPercent(criteria, scores.get(a.id) ?? []) }))
      .filter((r): r is { assessorId: string; applicationId: string; percent: Fraction } => r.percent !== null);
    const result = calibrate(rows);
    const people = await this.users.staffByIds(
      result.map((r) => r.assessorId),
      m,
    );
    return result.map((c) => ({ calibration: c, assessor: people.get(c.assessorId) }));
  }

  /**
   * A round's assessments for a staff download (who assessed what, their scores and comments),
   * recorded in the audit trail as it starts: the round is checked (404), the download audited,
   * and the assessments then read a batch at a time.
   */
  async downloadRoundAssessments(roundId: string, format: string, batchSize?: number): Promise<AsyncGenerator<AssessmentExportRow[]>> {
    const round = await this.rounds.get(roundId, { includeDrafts: true });
    await this.dataSource.transaction((m) =>
      writeAudit(m, { action: 'assessment.round_table_downloaded', entityType: 'funding_round', entityId: round.id, after: { format } }),
    );
    return this.roundAssessmentBatches(round, batchSize);
  }

  /**
   * Every assessment in a round, in its application's reference order and then the order they
   * were assigned, a batch at a time by keyset. Scores, the percentage, the recommendation and the comment only once submitted, as
   * on the application's assessments page; each application's moderated score beside it.
   */
  async *roundAssessmentBatches(round: FundingRound, batchSize?: number): AsyncGenerator<AssessmentExportRow[]> {
    const criteria = criteriaOf(round);
    const m = this.dataSource.manager;
    // The application is joined through this module's own foreign key, only to order by its reference.
    const query = () =>
      m.getRepository(Assessment).createQueryBuilder('a').innerJoin('a.application', 'app').where('a.round_id = :roundId', { roundId: round.id });
    for await (const { entities } of keysetBatches(
      query,
      [
        { expr: 'app.reference_seq', dir: 'ASC', nullable: true },
        { expr: 'a.created_at', dir: 'ASC' },
        { expr: 'a.id', dir: 'ASC' },
      ],
      batchSize,
    )) {
      const applicationIds = [...new Set(entities.map((a) => a.applicationId))];
      const apps = new Map((await this.applications.assessable({ ids: applicationIds }, m)).map((a) => [a.id, a]));
      const people = await this.users.staffByIds(
        entities.map((a) => a.assessorId),
        m,
      );
      const submitted = entities.filter((a) => a.status === 'submitted');
      const scores = await this.scoresOf(
        m,
        submitted.map((a) => a.id),
      );
      const moderations = new Map((await m.find(Moderation, { where: { applicationId: In(applicationIds) } })).map((x) => [x.applicationId, x]));
      yield entities.map((a) => {
        const own = a.status === 'submitted' ? (scores.get(a.id) ?? []) : [];
        return {
          assessment: a,
          application: apps.get(a.applicationId)!,
          assessor: people.get(a.assessorId),
          scores: new Map(own.map((x) => [x.criterionId, x.score])),
          percent: a.status === 'submitted' ? assessmentPercent(criteria, own) : null,
          moderation: moderations.get(a.applicationId) ?? null,
        };
      });
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /**
   * A round's submitted assessments and their scores, as plain rows of only the columns the ranking
   * and calibration need, not entities: a round of 2,000 applications has 4,000 assessments and
   * 16,000 scores, and hydrating them was most of the ranking's time.
   */
  private async submittedIn(m: EntityManager, roundId: string) {
    const submitted = await m.query<{ id: string; applicationId: string; assessorId: string; recommendation: Recommendation | null }[]>(
      `SELECT id, application_id AS "applicationId", assessor_id AS "assessorId", recommendation FROM assessment WHERE round_id = $1 AND status = 'submitted'`,
      [roundId],
    );
    const scores = new Map<string, ScoreOf[]>();
    for (const s of await m.query<{ assessmentId: string; criterionId: string; score: number }[]>(
      `SELECT s.assessment_id AS "assessmentId", s.criterion_id AS "criterionId", s.score
         FROM assessment_score s JOIN assessment a ON a.id = s.assessment_id
        WHERE a.round_id = $1 AND a.status = 'submitted'`,
      [roundId],
    )) {
      const list = scores.get(s.assessmentId);
      if (list) list.push(s);
      else scores.set(s.assessmentId, [s]);
    }
    return { submitted, scores };
  }

  /** The assessment, locked for this transaction; with `owner`, only if it is theirs (else "not found"). */
  private async locked(m: EntityManager, id: string, owner?: Principal): Promise<Assessment> {
    const a = isUuid(id) ? await m.findOne(Assessment, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!a || (owner && a.assessorId !== owner.id)) throw AssessmentException.notFound();
    return a;
  }

  private async mine(m: EntityManager, me: Principal, id: string): Promise<Assessment> {
    const a = isUuid(id) ? await m.findOne(Assessment, { where: { id } }) : null;
    if (!a || a.assessorId !== me.id) throw AssessmentException.notFound();
    return a;
  }

  /** Before "no conflict", nothing but the reference and the organisation's name; after a conflict, nothing at all. */
  private assertCleared(a: Assessment) {
    if (a.status === 'conflicted') throw AssessmentException.conflicted();
    if (a.status === 'awaiting_declaration') throw AssessmentException.declarationRequired();
  }

  private assertBeforeDeadline(round: FundingRound) {
    if (round.scoringClosesAt && this.clock.now() > round.scoringClosesAt) throw AssessmentException.scoringClosed(formatLondonDateTime(round.scoringClosesAt));
  }

  private async scoresOf(m: EntityManager, assessmentIds: string[]): Promise<Map<string, AssessmentScore[]>> {
    const map = new Map<string, AssessmentScore[]>();
    if (!assessmentIds.length) return map;
    for (const s of await m.find(AssessmentScore, { where: { assessmentId: In(assessmentIds) } }))
      map.set(s.assessmentId, [...(map.get(s.assessmentId) ?? []), s]);
    return map;
  }
}

export function criteriaOf(round: FundingRound): CriterionScale[] {
  return (round.criteria ?? []).map((c) => ({ id: c.id, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMax, position: c.position }));
}

/**
 * What is wrong with a draft's scores, each naming its field: a criterion of another round (or
 * twice), a score off the scale, no comment on a score at either end of the scale, an amount for
 * "fund in part" that is missing or more than was asked for.
 */
export function scoreProblems(criteria: readonly (CriterionScale & { name?: string })[], input: ScoresInput, requested: Pence | null): FieldError[] {
  const problems: FieldError[] = [];
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const seen = new Set<string>();
  input.scores.forEach((s, i) => {
    const c = byId.get(s.criterionId);
    if (!c) return problems.push({ field: `scores.${i}.criterionId`, rule: 'roundCriterion', message: 'Score only this round’s criteria' });
    if (seen.has(s.criterionId)) return problems.push({ field: `scores.${i}.criterionId`, rule: 'unique', message: 'Score each criterion once' });
    seen.add(s.criterionId);
    if (s.score < c.scaleMin || s.score > c.scaleMax)
      return problems.push({ field: `scores.${i}.score`, rule: 'onScale', message: `Enter a score from ${c.scaleMin} to ${c.scaleMax}` });
    if ((s.score === c.scaleMin || s.score === c.scaleMax) && !trimmed(s.comment))
      problems.push({
        field: `scores.${i}.comment`,
        rule: 'requiredAtEnds',
        message: `Explain a score of ${s.score}: a comment is needed for the lowest and highest scores`,
      });
    return undefined;
  });
  if (input.recommendation === 'fund_in_part') {
    if (input.recommendedAmountPence === undefined)
      problems.push({ field: 'recommendedAmountPence', rule: 'requiredInPart', message: 'Enter the amount you would fund' });
    else if (requested !== null && input.recommendedAmountPence > requested)
      problems.push({
        field: 'recommendedAmountPence',
        rule: 'notAboveRequest',
        message: `The amount you would fund must be no more than the ${formatPounds(requested)} asked for`,
      });
    else if (requested !== null && input.recommendedAmountPence === requested)
      problems.push({
        field: 'recommendedAmountPence',
        rule: 'belowRequest',
        message: 'Funding in part is less than was asked for; choose “fund” for the full amount',
      });
  } else if (input.recommendedAmountPence !== undefined) {
    problems.push({ field: 'recommendedAmountPence', rule: 'onlyInPart', message: 'Give an amount only when you recommend funding in part' });
  }
  return problems;
}

/** What a submission still needs: a score for every criterion, the recommendation and its comment. */
function incompleteParts(criteria: readonly CriterionScale[], scores: readonly AssessmentScore[], a: Assessment): FieldError[] {
  const missing: FieldError[] = [];
  const scored = new Set(scores.map((s) => s.criterionId));
  criteria.forEach((c, i) => {
    if (!scored.has(c.id)) missing.push({ field: `scores.${i}.score`, rule: 'required', message: 'Score every criterion' });
  });
  if (!a.recommendation) missing.push({ field: 'recommendation', rule: 'required', message: 'Select your recommendation' });
  if (!a.comment.trim()) missing.push({ field: 'comment', rule: 'required', message: 'Enter a comment on your recommendation' });
  return missing;
}
