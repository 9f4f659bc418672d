import { createHash } from 'node:crypto';
import { OUTSIDE_AREA } from '../areas';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { exclusiveCloseInstant, formatLondonDateTime } from '@pcc/london-time';
import { formatPounds, pence, type Pence } from '@pcc/money';
import { DataSource, type EntityManager, In, Not, QueryFailedError, type SelectQueryBuilder } from 'typeorm';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { AMOUNT_QUESTION, CATEGORY_QUESTION, type FundingRound, type Question, RoundsService, allQuestions, refusedAnswers } from '../funds';
import { type Organisation, OrganisationsService } from '../identity';
import { Permission, type Principal } from '../../platform/access';
import { NotificationsService } from '../notifications';
import { checkAnswers, missingRequired, questionName } from './answers';
import { ApplicationsException } from './applications.exceptions';
import { ApplicationAttachment } from './entities/application-attachment.entity';
import { ApplicationSnapshot } from './entities/application-snapshot.entity';
import { type Answers, Application, APPLICATION_STATUSES, type ApplicationStatus } from './entities/application.entity';
import { DeadlineExtension } from './entities/deadline-extension.entity';
import { MAX_UPLOAD_BYTES, sniffFile, storedFilename } from './file-sniffing';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { keysetBatches, type KeysetTerm, orderByTerms } from '../../platform/database/keyset';
import { type ApplicationSortKey, DEFAULT_APPLICATION_SORT } from './application-filters';

export interface ApplicationFilters {
  status?: ApplicationStatus;
  area?: string;
  category?: string;
  minAmountPence?: number;
  maxAmountPence?: number;
}

/**
 * Most files one application may hold: one per file question, plus a small margin for the moment
 * between an upload and the deletion of the file it replaces. Uploading again to a question
 * replaces its file, so an applicant never needs more.
 */
export const ATTACHMENT_MARGIN = 2;

export interface ApplicationPage {
  items: Application[];
  total: number;
  limit: number;
  page: number;
}

export interface ApplicationRow {
  application: Application;
  organisation: Organisation;
}

/** The SQL each sort key orders by, before the tiebreaks. */
const SORT_SQL: Record<ApplicationSortKey, string> = {
  reference: 'a.reference_seq',
  organisation: 'lower(o.name)',
  amount: 'a.amount_requested_pence',
  status: 'a.status',
  submitted: 'a.submitted_at',
};

/** A reference as people type it ("vf7-12" is not one; "VF7-0012" and "vf7-0012" are). */
const REFERENCE_SEARCH = /^[A-Za-z0-9]+-\d+$/;

/** Where a round's list is: its filters, search, sort and page. */
export interface ApplicationListQuery {
  filters?: ApplicationFilters;
  q?: string;
  /** A sort key, "-" first for descending (see APPLICATION_SORT_KEYS). */
  sort?: string;
  page?: number;
  limit?: number;
}

/** What a list of applications shows of each organisation: its name, whether it is verified, its area. */
const LIST_ORGANISATION_COLUMNS = ['id', 'name', 'verifiedAt', 'areaOnsCode', 'outsideForceArea', 'areaDescription'] as const;

/** A row of a list page: the application, and what the list shows of its organisation. */
export interface ApplicationListRow {
  application: Application;
  organisation: Pick<Organisation, (typeof LIST_ORGANISATION_COLUMNS)[number]>;
}

/** A batch of an export: its rows, and the references of the applications they are flagged as duplicates of (id → reference). */
export interface ApplicationExportBatch {
  rows: ApplicationRow[];
  references: Map<string, string | null>;
}

export interface ApplicationRowPage {
  rows: ApplicationListRow[];
  total: number;
  limit: number;
  page: number;
}

/** Statuses whose amount counts as requested: submitted and screened, not drafts or withdrawn bids. */
export const REQUESTED_STATUSES: readonly ApplicationStatus[] = ['submitted', 'eligible', 'ineligible'];

/** A round's counts and sums, for its list page and the staff dashboard. */
export interface RoundTotals {
  countsByStatus: Record<ApplicationStatus, number>;
  /** Requested by submitted applications (submitted, eligible or ineligible). */
  submittedRequestedPence: number;
  /** Requested so far by drafts, which may still change or never be submitted. */
  draftRequestedPence: number;
  /** Submitted applications per category code (for the ring-fences, which qualify by category). */
  byCategory: Record<string, { submittedRequestedPence: number; count: number }>;
  /** Submitted applications per organisation's area (ONS code), for ring-fences by area. */
  byArea: Record<string, { submittedRequestedPence: number; count: number }>;
  /** Submitted and not yet screened. */
  screeningOutstanding: number;
}

/** Where one application sits in a list: its neighbours and its position. */
/** What assessment needs of an application besides its answers: who, how much, for what, where. */
export interface AssessableApplication {
  id: string;
  roundId: string;
  organisationId: string;
  organisationName: string;
  areaOnsCode: string | null;
  reference: string | null;
  status: ApplicationStatus;
  amountRequestedPence: Pence | null;
  category: string | null;
  submittedAt: Date | null;
}

export interface ListNeighbours {
  previousId: string | null;
  nextId: string | null;
  position: number;
  total: number;
}

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

function assertAnswersObject(answers: Answers): void {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw new ValidationFailedException([{ field: 'answers', rule: 'isObject', message: 'answers must be an object of question ids to answers' }]);
  }
}

/** The file's type, from its content; refuses one too large, of a type not taken, or of two types at once. */
function checkedFileType(file: UploadedFile): string {
  if (file.size > MAX_UPLOAD_BYTES) throw ApplicationsException.tooLarge();
  const sniffed = sniffFile(file.buffer);
  if (!sniffed.ok) throw sniffed.reason === 'polyglot' ? ApplicationsException.polyglot(sniffed.detail) : ApplicationsException.wrongType();
  return sniffed.type;
}

@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  // ---- reading, with object-level access ----------------------------------------------------

  /**
   * Members of the applying organisation see its application; staff who may view all
   * applications see any. Everyone else gets "not found", which reveals nothing.
   */
  async getFor(actor: Principal, id: string, m: EntityManager = this.dataSource.manager): Promise<Application> {
    const app = isUuid(id) ? await m.findOne(Application, { where: { id }, relations: { organisation: true } }) : null;
    if (!app) throw ApplicationsException.notFound();
    if (actor.permissions.has(Permission.ApplicationsViewAll)) return app;
    if (await this.isMember(m, actor.id, app.organisationId)) return app;
    throw ApplicationsException.notFound();
  }

  async forOrganisationsOf(actor: Principal): Promise<Application[]> {
    const organisationIds = await this.organisations.organisationIdsOf(actor.id);
    if (!organisationIds.length) return [];
    return this.dataSource
      .getRepository(Application)
      .createQueryBuilder('a')
      .where('a.organisation_id IN (:...organisationIds)', { organisationIds })
      .leftJoinAndSelect('a.round', 'r')
      .leftJoinAndSelect('a.organisation', 'o')
      .orderBy('a.created_at', 'DESC')
      .getMany();
  }

  /** One page of the applications of every organisation the person belongs to, newest first. */
  async pageForOrganisationsOf(actor: Principal, limit: number, page: number): Promise<ApplicationPage> {
    const organisationIds = await this.organisations.organisationIdsOf(actor.id);
    if (!organisationIds.length) return { items: [], total: 0, limit, page };
    const [items, total] = await this.dataSource
      .getRepository(Application)
      .createQueryBuilder('a')
      .where('a.organisation_id IN (:...organisationIds)', { organisationIds })
      .leftJoinAndSelect('a.organisation', 'o')
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .skip((page - 1) * limit)
      .take(limit)
      .getManyAndCount();
    return { items, total, limit, page };
  }

  /**
   * The access check for an upload, made before the body is read: the application exists, the
   * person belongs to its organisation and it is still a draft. Anything else is refused without
   * reading (or holding) a byte of the upload.
   */
  async ownDraftForUpload(actor: Principal, id: string): Promise<Application> {
    const m = this.dataSource.manager;
    const app = isUuid(id) ? await m.findOne(Application, { where: { id } }) : null;
    if (!app || !(await this.isMember(m, actor.id, app.organisationId))) throw ApplicationsException.notFound();
    if (app.status !== 'draft') throw ApplicationsException.notDraft(app.status);
    return app;
  }

  async attachments(applicationId: string): Promise<ApplicationAttachment[]> {
    return this.dataSource.getRepository(ApplicationAttachment).find({ where: { applicationId }, order: { createdAt: 'ASC' } });
  }

  async attachmentFile(actor: Principal, applicationId: string, attachmentId: string): Promise<ApplicationAttachment> {
    await this.getFor(actor, applicationId);
    const file = await this.dataSource
      .getRepository(ApplicationAttachment)
      .createQueryBuilder('f')
      .addSelect('f.data')
      .where('f.id = :id AND f.application_id = :a', { id: attachmentId, a: applicationId })
      .getOne();
    if (!file) throw ApplicationsException.notFound();
    return file;
  }

  async snapshot(applicationId: string): Promise<ApplicationSnapshot | null> {
    return this.dataSource.getRepository(ApplicationSnapshot).findOne({ where: { applicationId } });
  }

  /** When this organisation's submissions stop being accepted: the round's close or its extension. */
  async closingMinuteFor(round: FundingRound, organisationId: string, m: EntityManager = this.dataSource.manager): Promise<Date> {
    const ext = await m.findOne(DeadlineExtension, { where: { roundId: round.id, organisationId } });
    return ext && ext.closesAt > round.closesAt ? ext.closesAt : round.closesAt;
  }

  // ---- applying -------------------------------------------------------------------------------

  async start(actor: Principal, roundId: string, organisationId: string): Promise<Application> {
    const now = this.clock.now();
    const round = await this.rounds.get(roundId);
    const role = await this.organisations.roleIn(actor.id, organisationId);
    if (!role) throw ApplicationsException.notMember();
    const org = await this.organisation(organisationId);
    const status = this.rounds.statusOf(round, now);
    if (status !== 'open') {
      const closing = await this.closingMinuteFor(round, organisationId);
      if (status !== 'closed' || now >= exclusiveCloseInstant(closing)) throw ApplicationsException.roundNotOpen(status);
    }
    const problems = this.rounds.eligibilityProblems(round, {
      organisationType: org.type,
      areaOnsCode: org.areaOnsCode,
      outsideForceArea: org.outsideForceArea,
    });
    if (problems.length) throw ApplicationsException.ineligible(problems);
    return this.dataSource.transaction(async (m) => {
      const existing = await m.findOne(Application, { where: { roundId, organisationId }, order: { createdAt: 'DESC' } });
      if (existing && existing.status !== 'withdrawn') throw ApplicationsException.alreadyApplied(existing.reference);
      let app: Application;
      try {
        app = await m.save(m.create(Application, { roundId, organisationId, createdBy: actor.id, status: 'draft', answers: {} }));
      } catch (err) {
        // Two people in one organisation pressing "Start" at once: the unique index decides.
        if (err instanceof QueryFailedError && (err as QueryFailedError & { code?: string }).code === '23505') throw ApplicationsException.alreadyApplied(null);
        throw err;
      }
      app.duplicateFlags = await this.findDuplicates(m, app, org);
      if (app.duplicateFlags.length) await m.update(Application, { id: app.id }, { duplicateFlags: app.duplicateFlags });
      await writeAudit(m, { action: 'application.started', entityType: 'application', entityId: app.id, after: { roundId, organisationId } });
      return app;
    });
  }

  /**
   * Saves some answers. All of them are checked first and either all are saved or none: a page
   * never half-saves. Saving does not need the answers to be complete.
   */
  async saveAnswers(actor: Principal, id: string, answers: Answers): Promise<Application> {
    assertAnswersObject(answers);
    return this.dataSource.transaction(async (m) => {
      const app = await this.lockedOwnDraft(m, actor, id);
      const round = await this.rounds.get(app.roundId, { manager: m });
      await this.applyAnswers(m, app, round, answers);
      return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
    });
  }

  async uploadAttachment(actor: Principal, id: string, questionId: string, file: UploadedFile): Promise<ApplicationAttachment> {
    const type = checkedFileType(file);
    return this.dataSource.transaction(async (m) => {
      const app = await this.lockedOwnDraft(m, actor, id);
      const round = await this.rounds.get(app.roundId, { manager: m });
      return this.storeFile(m, actor, app, round, questionId, file, type);
    });
  }

  /**
   * Saves one question page: its uploaded files and its answers, in one transaction. Everything
   * is checked, and either all of it is saved or none of it: a page with a problem saves nothing,
   * not even a file that was fine on its own.
   */
  async saveSection(actor: Principal, id: string, files: (UploadedFile & { fieldname: string })[], answers: Answers): Promise<Application> {
    assertAnswersObject(answers);
    const typed = files.map((f) => ({ file: f, type: checkedFileType(f) }));
    return this.dataSource.transaction(async (m) => {
      const app = await this.lockedOwnDraft(m, actor, id);
      const round = await this.rounds.get(app.roundId, { manager: m });
      for (const { file, type } of typed) await this.storeFile(m, actor, app, round, file.fieldname, file, type);
      await this.applyAnswers(m, app, round, answers);
      return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
    });
  }

  /** Checks and saves answers on the locked draft `app` (whose `answers` it keeps up to date). */
  private async applyAnswers(m: EntityManager, app: Application, round: FundingRound, answers: Answers): Promise<void> {
    const id = app.id;
    // With the round: its grant limits and the answers it refuses are checked here, on the page, not only at submit.
    const errors = checkAnswers(round.form, answers, round);
    // A file answer must be a file uploaded to that very question: pointing question A at B's
    // file would let clearing B delete a file A (perhaps already submitted) still names.
    const questionOfFile = new Map(
      (await m.find(ApplicationAttachment, { where: { applicationId: id }, select: { id: true, questionId: true } })).map((a) => [a.id, a.questionId]),
    );
    for (const q of allQuestions(round.form).filter((q) => q.type === 'file')) {
      const v: unknown = answers[q.id];
      if (typeof v === 'string' && v && questionOfFile.get(v) !== q.id)
        errors.push({ field: `answers.${q.id}`, rule: 'isFile', message: `Upload ${questionName(q)} to this question first` });
    }
    if (errors.length) throw new ValidationFailedException(errors);
    const merged: Answers = { ...app.answers };
    for (const [k, v] of Object.entries(answers) as [string, unknown][]) {
      if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete merged[k];
      else merged[k] = v;
    }
    // A file question answered with another file, or cleared, lets go of its old file.
    const released = allQuestions(round.form)
      .filter((q) => q.type === 'file' && q.id in answers && app.answers[q.id] !== merged[q.id])
      .map((q) => q.id);
    let deletedFiles: string[] = [];
    if (released.length) {
      const keep = released.map((q): unknown => merged[q]).filter((v): v is string => typeof v === 'string');
      const gone = await m.find(ApplicationAttachment, {
        where: { applicationId: id, questionId: In(released), ...(keep.length ? { id: Not(In(keep)) } : {}) },
        select: { id: true },
      });
      deletedFiles = gone.map((f) => f.id);
      if (deletedFiles.length) await m.delete(ApplicationAttachment, { id: In(deletedFiles) });
    }
    const amount: unknown = merged[AMOUNT_QUESTION];
    const category: unknown = merged[CATEGORY_QUESTION];
    await m.update(
      Application,
      { id },
      {
        answers: merged,
        amountRequestedPence: typeof amount === 'number' ? pence(amount) : null,
        category: typeof category === 'string' ? category : null,
      },
    );
    app.answers = merged;
    await writeAudit(m, {
      action: 'application.answers_saved',
      entityType: 'application',
      entityId: id,
      after: { questions: Object.keys(answers), ...(deletedFiles.length ? { deletedAttachments: deletedFiles } : {}) },
    });
  }

  /** Stores one file as the answer to its question on the locked draft `app` (keeping `app.answers` up to date). */
  private async storeFile(
    m: EntityManager,
    actor: Principal,
    app: Application,
    round: FundingRound,
    questionId: string,
    file: UploadedFile,
    type: string,
  ): Promise<ApplicationAttachment> {
    const id = app.id;
    const fileQuestions = allQuestions(round.form).filter((x) => x.type === 'file');
    const q = fileQuestions.find((x) => x.id === questionId);
    if (!q) throw new ValidationFailedException([{ field: 'questionId', rule: 'isFileQuestion', message: 'Choose which question this file answers' }]);
    // The new file replaces the question's earlier ones (the application row is locked, so two
    // uploads to one draft take turns); then the cap catches anything left over from elsewhere.
    const replaced = await m.find(ApplicationAttachment, { where: { applicationId: id, questionId }, select: { id: true, filename: true } });
    if (replaced.length) await m.delete(ApplicationAttachment, { id: In(replaced.map((r) => r.id)) });
    const max = fileQuestions.length + ATTACHMENT_MARGIN;
    if ((await m.count(ApplicationAttachment, { where: { applicationId: id } })) >= max) throw ApplicationsException.tooManyAttachments(max);
    const saved = await m.save(
      m.create(ApplicationAttachment, {
        applicationId: id,
        questionId,
        filename: storedFilename(file.originalname, type),
        contentType: type,
        sizeBytes: file.size,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        data: file.buffer,
        uploadedBy: actor.id,
      }),
    );
    // The upload answers its question: the newest file replaces any earlier one.
    app.answers = { ...app.answers, [questionId]: saved.id };
    await m.update(Application, { id }, { answers: app.answers });
    await writeAudit(m, {
      action: 'application.attachment_uploaded',
      entityType: 'application',
      entityId: id,
      after: { attachmentId: saved.id, questionId, filename: saved.filename, contentType: type, sizeBytes: file.size, replaced: replaced.map((r) => r.id) },
    });
    return saved;
  }

  /**
   * Submits: checks the deadline against the moment the request arrived, every required answer
   * and the round's eligibility rules; then, in one transaction, gives the next gap-free reference,
   * freezes the answers in a snapshot, writes the audit row and queues the receipt email.
   */
  async submit(actor: Principal, id: string, arrivedAt: Date = this.clock.requestArrival()): Promise<Application> {
    if (!actor.emailVerified) throw ApplicationsException.emailNotVerified();
    return this.dataSource.transaction(async (m) => {
      const app = await this.lockedOwn(m, actor, id);
      // Submitting is idempotent: a client that lost the response to a successful submit and
      // asks again (or sends two at once: the row lock makes the second wait for the first) gets
      // the same receipt — no second reference, receipt email or audit row, and no error.
      if (app.reference && app.status !== 'withdrawn') return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
      if (app.status !== 'draft') throw ApplicationsException.notDraft(app.status);
      const round = await this.rounds.get(app.roundId, { manager: m });
      const closing = await this.closingMinuteFor(round, app.organisationId, m);
      if (arrivedAt < round.opensAt) throw ApplicationsException.roundNotOpen('upcoming');
      if (arrivedAt >= exclusiveCloseInstant(closing)) throw ApplicationsException.deadlinePassed(formatLondonDateTime(closing));
      const missing = missingRequired(round.form, app.answers);
      if (missing.length) throw ApplicationsException.incomplete(missing);
      const invalid = checkAnswers(round.form, app.answers);
      if (invalid.length) throw new ValidationFailedException(invalid);
      const org = await this.organisation(app.organisationId, m);
      const problems = [
        ...this.rounds.eligibilityProblems(round, {
          organisationType: org.type,
          areaOnsCode: org.areaOnsCode,
          outsideForceArea: org.outsideForceArea,
          amountPence: app.amountRequestedPence,
        }),
        ...refusedAnswers(round.form, app.answers),
      ];
      if (problems.length) throw ApplicationsException.ineligible(problems);

      // Everything that does not need the reference happens before the counter is taken, so the
      // counter's row lock — which makes a round's submitters take turns — is held only briefly.
      const duplicateFlags = await this.findDuplicates(m, app, org);
      const form = round.form;
      await m.insert(ApplicationSnapshot, {
        applicationId: id,
        answers: app.answers,
        form,
        sha256: createHash('sha256')
          .update(canonicalJson({ answers: app.answers, form }))
          .digest('hex'),
      });

      // The counter row is the queue: concurrent submitters in a round take turns here, and a
      // rollback hands the number back, so references never skip.
      await m.query(`INSERT INTO application_reference_counter (round_id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [round.id]);
      const [[counter]] = await m.query<[{ last_seq: number }[], number]>(
        `UPDATE application_reference_counter SET last_seq = last_seq + 1 WHERE round_id = $1 RETURNING last_seq`,
        [round.id],
      );
      const seq = counter.last_seq;
      const reference = `${round.referencePrefix}-${String(seq).padStart(4, '0')}`;
      await m.update(Application, { id }, { status: 'submitted', reference, referenceSeq: seq, submittedAt: arrivedAt, duplicateFlags });
      await writeAudit(m, {
        action: 'application.submitted',
        entityType: 'application',
        entityId: id,
        after: { reference, amountRequestedPence: app.amountRequestedPence, category: app.category },
      });
      const recipients = new Set([actor.email, org.contactEmail]);
      for (const to of recipients) {
        await this.notifications.enqueue(m, {
          idempotencyKey: `application-submitted:${id}:${to}`,
          to,
          template: 'application-received',
          data: {
            organisation: org.name,
            round: round.name,
            reference,
            amount: app.amountRequestedPence !== null ? formatPounds(app.amountRequestedPence) : 'not given',
            submittedAt: formatLondonDateTime(arrivedAt),
            link: `${this.config.publicBaseUrl}/applications/${id}`,
          },
        });
      }
      return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
    });
  }

  async withdraw(actor: Principal, id: string): Promise<Application> {
    const now = this.clock.requestArrival();
    return this.dataSource.transaction(async (m) => {
      const app = await m.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!app || !(await this.isMember(m, actor.id, app.organisationId))) throw ApplicationsException.notFound();
      if (app.status !== 'draft' && app.status !== 'submitted') throw ApplicationsException.cannotWithdraw(app.status);
      const round = await this.rounds.get(app.roundId, { manager: m });
      const closing = await this.closingMinuteFor(round, app.organisationId, m);
      if (now >= exclusiveCloseInstant(closing)) throw ApplicationsException.deadlinePassed(formatLondonDateTime(closing));
      await m.update(Application, { id }, { status: 'withdrawn', withdrawnAt: now });
      await writeAudit(m, {
        action: 'application.withdrawn',
        entityType: 'application',
        entityId: id,
        before: { status: app.status },
        after: { status: 'withdrawn' },
      });
      if (app.reference) {
        await this.notifications.enqueue(m, {
          idempotencyKey: `application-withdrawn:${id}`,
          to: actor.email,
          template: 'application-withdrawn',
          data: { reference: app.reference, round: round.name },
        });
      }
      return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
    });
  }

  // ---- staff ----------------------------------------------------------------------------------

  /** Every application in a round matching the filters, in reference order (for the demo loader; the exports read batchesForRound). */
  async listForRound(roundId: string, f: ApplicationFilters = {}, q?: string): Promise<ApplicationRow[]> {
    await this.rounds.get(roundId, { includeDrafts: true });
    const qb = this.filteredForRound(roundId, f, q);
    this.orderList(qb, DEFAULT_APPLICATION_SORT);
    return (await qb.getMany()).map((a) => ({ application: a, organisation: a.organisation! }));
  }

  /**
   * Every application in a round matching the filters and search, in the list's sort, a batch at a
   * time (by keyset on the sort's terms), each batch with the references of the applications its
   * rows are flagged as possible duplicates of: the exports, which never hold the round whole. The
   * caller has found the round and checked the filters against it.
   */
  async *batchesForRound(
    roundId: string,
    list: Pick<ApplicationListQuery, 'filters' | 'q' | 'sort'> = {},
    batchSize?: number,
  ): AsyncGenerator<ApplicationExportBatch> {
    const terms = this.orderTerms(list.sort ?? DEFAULT_APPLICATION_SORT);
    for await (const { entities } of keysetBatches(() => this.filteredForRound(roundId, list.filters ?? {}, list.q), terms, batchSize)) {
      const rows = entities.map((a) => ({ application: a, organisation: a.organisation! }));
      yield { rows, references: await this.duplicateReferences(rows) };
    }
  }

  /** The references of the applications these rows are flagged as possible duplicates of, by id. */
  async duplicateReferences(rows: { application: Application }[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(rows.flatMap((r) => (r.application.duplicateFlags ?? []).map((d) => d.applicationId)).filter(isUuid))];
    if (!ids.length) return new Map();
    const found = await this.dataSource.getRepository(Application).find({ where: { id: In(ids) }, select: { id: true, reference: true } });
    return new Map(found.map((a) => [a.id, a.reference]));
  }

  /**
   * One page of a round's applications, filtered, searched (a reference, or part of an
   * organisation's name or reference) and sorted in the database, with the number matching.
   */
  async pageForRound(roundId: string, list: ApplicationListQuery = {}): Promise<ApplicationRowPage> {
    // The caller has already found the round (a 404 for an unknown one) to check the filters against it.
    const limit = list.limit ?? 50;
    const page = list.page ?? 1;
    const filters = list.filters ?? {};
    // The number matching rides along as an uncorrelated subquery, which PostgreSQL runs once: one
    // round trip for the page and its total (every page of the list API and the staff list pays
    // for each query's round trip). Its count skips the join unless a filter needs the organisation.
    const count = this.filteredForRound(roundId, filters, list.q, false).select('count(*)::int');
    const qb = this.filteredForRound(roundId, filters, list.q, 'summary').addSelect(`(${count.getQuery()})`, 'list_total');
    this.orderList(qb, list.sort ?? DEFAULT_APPLICATION_SORT);
    // limit/offset, not take/skip: the join is many-to-one, so rows never multiply, and TypeORM
    // would otherwise run a second DISTINCT query to page by ids.
    const { entities, raw } = await qb
      .limit(limit)
      .offset((page - 1) * limit)
      .getRawAndEntities<{ list_total: number }>();
    // A page past the end has no row to carry the total: count on its own.
    const total = raw.length ? raw[0].list_total : ((await count.getRawOne<{ count: number }>())?.count ?? 0);
    return { rows: entities.map((a) => ({ application: a, organisation: a.organisation! })), total, limit, page };
  }

  /**
   * The applications either side of one in its list (same filters, search and sort), for the
   * application page's previous and next. Null when the application is not in that list.
   */
  async neighboursInList(roundId: string, id: string, list: ApplicationListQuery = {}): Promise<ListNeighbours | null> {
    if (!isUuid(id)) return null;
    const qb = this.filteredForRound(roundId, list.filters ?? {}, list.q);
    const order = this.orderTerms(list.sort ?? DEFAULT_APPLICATION_SORT)
      .map((t) => `${t.expr} ${t.dir} NULLS LAST`)
      .join(', ');
    qb.select('a.id', 'id')
      .addSelect(`lag(a.id) OVER (ORDER BY ${order})`, 'previous_id')
      .addSelect(`lead(a.id) OVER (ORDER BY ${order})`, 'next_id')
      .addSelect(`row_number() OVER (ORDER BY ${order})`, 'position')
      .addSelect('count(*) OVER ()', 'total');
    const [sql, params] = qb.getQueryAndParameters();
    const rows: { id: string; previous_id: string | null; next_id: string | null; position: string; total: string }[] = await this.dataSource.query(
      `SELECT * FROM (${sql}) AS list WHERE list.id = $${params.length + 1}`,
      [...(params as unknown[]), id],
    );
    const row = rows[0];
    return row ? { previousId: row.previous_id, nextId: row.next_id, position: Number(row.position), total: Number(row.total) } : null;
  }

  /**
   * How long a round's decided applications waited: every application submitted (and not
   * withdrawn) by the moment its round was decided, and the median of the London calendar days from
   * its submission to that moment — for the staff insights' success rate and time to decision.
   */
  async decisionTimes(roundId: string, decidedAt: Date): Promise<{ decided: number; medianDays: number | null }> {
    if (!isUuid(roundId)) return { decided: 0, medianDays: null };
    const [row] = await this.dataSource.query<{ decided: number; median_days: number | null }[]>(
      `SELECT count(*)::int AS decided,
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY (($2::timestamptz AT TIME ZONE 'Europe/London')::date - (submitted_at AT TIME ZONE 'Europe/London')::date)
              ) AS median_days
         FROM application
        WHERE round_id = $1 AND status = ANY($3::text[]) AND submitted_at <= $2`,
      [roundId, decidedAt, REQUESTED_STATUSES],
    );
    return { decided: row.decided, medianDays: row.median_days === null ? null : Number(row.median_days) };
  }

  /**
   * Counts and sums for each round, in one grouped query: by status, requested by submitted
   * applications and by drafts, submitted per category (ring-fences qualify by category), and
   * how many wait for screening. A round with no applications gets zeros.
   */
  async roundTotals(roundIds: string[]): Promise<Map<string, RoundTotals>> {
    const ids = [...new Set(roundIds.filter(isUuid))];
    const totals = new Map<string, RoundTotals>();
    for (const id of roundIds) {
      totals.set(id, {
        countsByStatus: Object.fromEntries(APPLICATION_STATUSES.map((st) => [st, 0])) as Record<ApplicationStatus, number>,
        submittedRequestedPence: 0,
        draftRequestedPence: 0,
        byCategory: {},
        byArea: {},
        screeningOutstanding: 0,
      });
    }
    if (!ids.length) return totals;
    // The organisation's area comes through the application's own foreign key (for ring-fences by area).
    const rows = await this.dataSource
      .getRepository(Application)
      .createQueryBuilder('a')
      .innerJoin('a.organisation', 'o')
      .select('a.round_id', 'round_id')
      .addSelect('a.status', 'status')
      .addSelect('a.category', 'category')
      .addSelect('o.area_ons_code', 'area')
      .addSelect('count(*)::int', 'n')
      .addSelect('coalesce(sum(a.amount_requested_pence), 0)::text', 'requested')
      .where('a.round_id IN (:...ids)', { ids })
      .groupBy('a.round_id')
      .addGroupBy('a.status')
      .addGroupBy('a.category')
      .addGroupBy('o.area_ons_code')
      .getRawMany<{ round_id: string; status: ApplicationStatus; category: string | null; area: string | null; n: number; requested: string }>();
    for (const r of rows) {
      const t = totals.get(r.round_id)!;
      const requested = Number(r.requested);
      t.countsByStatus[r.status] += r.n;
      if (r.status === 'draft') t.draftRequestedPence += requested;
      if (r.status === 'submitted') t.screeningOutstanding += r.n;
      if (REQUESTED_STATUSES.includes(r.status)) {
        t.submittedRequestedPence += requested;
        if (r.category !== null) {
          const c = (t.byCategory[r.category] ??= { submittedRequestedPence: 0, count: 0 });
          c.submittedRequestedPence += requested;
          c.count += r.n;
        }
        if (r.area !== null) {
          const a = (t.byArea[r.area] ??= { submittedRequestedPence: 0, count: 0 });
          a.submittedRequestedPence += requested;
          a.count += r.n;
        }
      }
    }
    return totals;
  }

  /** A round's applications with the list's filters and search applied, organisation joined. */
  private filteredForRound(roundId: string, f: ApplicationFilters, q?: string, withOrganisation: boolean | 'summary' = true) {
    const qb = this.dataSource.getRepository(Application).createQueryBuilder('a');
    if (withOrganisation === 'summary') {
      // What a list row shows of the organisation (LIST_ORGANISATION_COLUMNS), not all of it.
      qb.innerJoin('a.organisation', 'o').addSelect(LIST_ORGANISATION_COLUMNS.map((c) => `o.${c}`));
    } else if (withOrganisation) qb.innerJoinAndSelect('a.organisation', 'o');
    else if (f.area || q?.trim()) qb.innerJoin('a.organisation', 'o');
    qb.where('a.round_id = :roundId', { roundId });
    if (f.status) qb.andWhere('a.status = :status', { status: f.status });
    if (f.area === OUTSIDE_AREA) qb.andWhere('o.outside_force_area');
    else if (f.area) qb.andWhere('o.area_ons_code = :area', { area: f.area });
    if (f.category) qb.andWhere('a.category = :category', { category: f.category });
    if (f.minAmountPence !== undefined) qb.andWhere('a.amount_requested_pence >= :min', { min: f.minAmountPence });
    if (f.maxAmountPence !== undefined) qb.andWhere('a.amount_requested_pence <= :max', { max: f.maxAmountPence });
    const search = q?.trim();
    if (search) {
      // A whole reference is found through its unique index; anything else is part of a name or reference.
      if (REFERENCE_SEARCH.test(search)) qb.andWhere('a.reference = :reference', { reference: search.toUpperCase() });
      else qb.andWhere(`(o.name ILIKE :like OR a.reference ILIKE :like)`, { like: `%${likeEscape(search)}%` });
    }
    return qb;
  }

  /**
   * ORDER BY for a sort value: the column, then reference order, then the id, so the order is
   * total and a row never appears on two pages. Drafts (no reference, amount or date) come last
   * either way. The same terms page the list and read its exports by keyset.
   */
  private orderTerms(sort: string): KeysetTerm[] {
    const { key, direction } = parseSort<ApplicationSortKey>(sort);
    const terms: KeysetTerm[] = [{ expr: SORT_SQL[key] ?? SORT_SQL.reference, dir: direction === 'desc' ? 'DESC' : 'ASC', nullable: true }];
    if (key !== 'reference') terms.push({ expr: 'a.reference_seq', dir: 'ASC', nullable: true });
    terms.push({ expr: 'a.created_at', dir: 'ASC' }, { expr: 'a.id', dir: 'ASC' });
    return terms;
  }

  private orderList(qb: SelectQueryBuilder<Application>, sort: string): void {
    orderByTerms(qb, this.orderTerms(sort));
  }

  /** Eligibility screening: audited, and the applicant is told either way. */
  async screen(actor: Principal, id: string, decision: 'eligible' | 'ineligible', reason?: string): Promise<Application> {
    if (decision === 'ineligible' && !reason?.trim()) {
      throw new ValidationFailedException([
        { field: 'reason', rule: 'requiredWhenIneligible', message: 'Give the reason the application is not eligible; the applicant will see it' },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const app = await m.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!app) throw ApplicationsException.notFound();
      if (app.status !== 'submitted') throw ApplicationsException.notScreenable(app.status);
      const round = await this.rounds.get(app.roundId, { manager: m, includeDrafts: true });
      await m.update(Application, { id }, { status: decision, screeningReason: reason?.trim() || null, screenedBy: actor.id, screenedAt: this.clock.now() });
      await writeAudit(m, {
        action: `application.screened_${decision}`,
        entityType: 'application',
        entityId: id,
        before: { status: app.status },
        after: { status: decision, reason: reason?.trim() || null },
      });
      const org = await this.organisation(app.organisationId, m);
      await this.notifications.enqueue(m, {
        idempotencyKey: `application-screened:${id}`,
        to: org.contactEmail,
        template: decision === 'eligible' ? 'application-eligible' : 'application-ineligible',
        data: { organisation: org.name, reference: app.reference, round: round.name, reason: reason?.trim() ?? '' },
      });
      return m.findOneOrFail(Application, { where: { id }, relations: { organisation: true } });
    });
  }

  /** `reason` is already checked (ExtensionDto, for the API and the page): not blank, 2,000 characters at most. */
  async grantExtension(actor: Principal, roundId: string, organisationId: string, closesAt: Date, reason: string): Promise<DeadlineExtension> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.rounds.get(roundId, { manager: m });
      if (closesAt <= round.closesAt)
        throw new ValidationFailedException([{ field: 'closesAt', rule: 'afterClose', message: 'An extension must end after the round closes' }]);
      if (!(await this.organisations.find(organisationId, m)))
        throw new ValidationFailedException([{ field: 'organisationId', rule: 'exists', message: 'Organisation not found' }]);
      const existing = await m.findOne(DeadlineExtension, { where: { roundId, organisationId } });
      const saved = await m.save(
        existing
          ? Object.assign(existing, { closesAt, reason: reason.trim(), grantedBy: actor.id })
          : m.create(DeadlineExtension, { roundId, organisationId, closesAt, reason: reason.trim(), grantedBy: actor.id }),
      );
      await writeAudit(m, {
        action: 'application.deadline_extended',
        entityType: 'deadline_extension',
        entityId: saved.id,
        before: existing ? { closesAt: existing.closesAt } : undefined,
        after: { roundId, organisationId, closesAt, reason: reason.trim() },
      });
      return saved;
    });
  }

  // ---- for assessment ---------------------------------------------------------------------------
  // The assessment module decides who may see what (an assessor only after declaring no conflict);
  // these read without a person, on the caller's connection when given.

  /** A round's eligible applications (screened in), or, with `ids`, those applications in any status. */
  async assessable(where: { roundId: string } | { ids: readonly string[] }, m: EntityManager = this.dataSource.manager): Promise<AssessableApplication[]> {
    const qb = m
      .getRepository(Application)
      .createQueryBuilder('a')
      .innerJoin('a.organisation', 'o')
      .select([
        'a.id',
        'a.roundId',
        'a.organisationId',
        'a.reference',
        'a.status',
        'a.amountRequestedPence',
        'a.category',
        'a.submittedAt',
        'o.id',
        'o.name',
        'o.areaOnsCode',
      ])
      .orderBy('a.reference', 'ASC')
      .addOrderBy('a.id', 'ASC');
    if ('roundId' in where) qb.where('a.round_id = :roundId AND a.status = :eligible', { roundId: where.roundId, eligible: 'eligible' });
    else if (!where.ids.length) return [];
    else qb.where('a.id IN (:...ids)', { ids: [...where.ids] });
    const rows = await qb.getMany();
    return rows.map((a) => ({
      id: a.id,
      roundId: a.roundId,
      organisationId: a.organisationId,
      organisationName: a.organisation!.name,
      areaOnsCode: a.organisation!.areaOnsCode,
      reference: a.reference,
      status: a.status,
      amountRequestedPence: a.amountRequestedPence,
      category: a.category,
      submittedAt: a.submittedAt,
    }));
  }

  /** The answers as submitted and the files' details (not their bytes), for an assessor cleared to read them. */
  async contentForAssessment(id: string, m: EntityManager = this.dataSource.manager): Promise<{ answers: Answers; attachments: ApplicationAttachment[] }> {
    const app = await m.findOne(Application, { where: { id }, select: { id: true, answers: true } });
    if (!app) throw ApplicationsException.notFound();
    const attachments = await m.getRepository(ApplicationAttachment).find({ where: { applicationId: id }, order: { createdAt: 'ASC' } });
    return { answers: app.answers, attachments };
  }

  /**
   * The project start date each application gave (its `projectStart` answer, as answered: a
   * "2027-05-01" string, or absent), by application id, in one query reading only that answer:
   * for a page of grants, whose periods run from it.
   */
  async projectStarts(ids: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, unknown>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await m
      .getRepository(Application)
      .createQueryBuilder('a')
      .select('a.id', 'id')
      // `->` keeps the answer's JSON type, as reading the whole answers would.
      .addSelect(`a.answers -> 'projectStart'`, 'project_start')
      .where('a.id = ANY(CAST(:ids AS uuid[]))', { ids: wanted })
      .getRawMany<{ id: string; project_start: unknown }>();
    return new Map(rows.map((r) => [r.id, r.project_start ?? undefined]));
  }

  /** One file with its bytes, for an assessor cleared to read the application. */
  async attachmentForAssessment(applicationId: string, attachmentId: string): Promise<ApplicationAttachment> {
    const file = await this.dataSource
      .getRepository(ApplicationAttachment)
      .createQueryBuilder('f')
      .addSelect('f.data')
      .where('f.id = :id AND f.application_id = :a', { id: attachmentId, a: applicationId })
      .getOne();
    if (!file) throw ApplicationsException.notFound();
    return file;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private async lockedOwnDraft(m: EntityManager, actor: Principal, id: string): Promise<Application> {
    const app = await this.lockedOwn(m, actor, id);
    if (app.status !== 'draft') throw ApplicationsException.notDraft(app.status);
    return app;
  }

  /** The application, locked for this transaction, if the person belongs to its organisation. */
  private async lockedOwn(m: EntityManager, actor: Principal, id: string): Promise<Application> {
    const app = isUuid(id) ? await m.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!app || !(await this.isMember(m, actor.id, app.organisationId))) throw ApplicationsException.notFound();
    return app;
  }

  /** The applying organisation, read through identity's service (on the caller's connection when given). */
  private async organisation(id: string, m?: EntityManager): Promise<Organisation> {
    const org = await this.organisations.find(id, m);
    if (!org) throw new Error(`Organisation ${id} is missing`); // a foreign key makes this unreachable
    return org;
  }

  /**
   * Membership, asked on the caller's connection. Inside a transaction this must not borrow a
   * second connection from the pool: with as many transactions open as the pool has connections
   * (a deadline surge), each would wait for another's connection and none would ever finish.
   */
  private async isMember(m: EntityManager, userId: string, organisationId: string): Promise<boolean> {
    return !!(await this.organisations.roleIn(userId, organisationId, m));
  }

  /**
   * The same applicant under another account: another live application in the round from an
   * organisation with the same charity number, company number or organisation identifier.
   * Flagged for screening, not refused — a group can legitimately share a registered parent.
   */
  private async findDuplicates(m: EntityManager, app: Application, org: Organisation): Promise<{ applicationId: string; reason: string }[]> {
    const lookalikes = new Map((await this.organisations.lookalikes(org, m)).map((o) => [o.id, o]));
    if (!lookalikes.size) return [];
    const rows: { id: string; organisation_id: string }[] = await m.query(
      `SELECT id, organisation_id FROM application
        WHERE round_id = $1 AND id <> $2 AND status <> 'withdrawn' AND organisation_id = ANY($3::uuid[])`,
      [app.roundId, app.id, [...lookalikes.keys()]],
    );
    return rows.map((r) => {
      const other = lookalikes.get(r.organisation_id)!;
      return {
        applicationId: r.id,
        reason:
          other.orgId === org.orgId
            ? 'same organisation identifier'
            : other.charityNumber && other.charityNumber === org.charityNumber
              ? 'same charity number'
              : 'same company number',
      };
    });
  }
}

/**
 * JSON with every object's keys sorted, so a snapshot's hash can be recomputed from the stored row:
 * PostgreSQL's jsonb keeps keys in its own order, not the order they were written in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export type { Question };
