import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { exclusiveCloseInstant, formatLondonDateTime } from '@pcc/london-time';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { Clock } from '../../platform/clock';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { type FormSection, type FundingRound, RoundsService } from '../funds';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../platform/access';
import { OrganisationsService } from '../identity';
import {
  answerHtml,
  answersFromValues,
  anchorFor,
  errorSummary,
  fieldViews,
  type FormValues,
  pickValues,
  type QuestionError,
  questionErrors,
  valuesFromAnswers,
} from './application-form-fields';
import { checkAnswer, sectionStatus } from './answers';
import { ApplicationsException } from './applications.exceptions';
import { ApplicationsService } from './applications.service';
import type { Application, ApplicationStatus } from './entities/application.entity';
import { sendAttachment } from './attachment-download';
import { MAX_UPLOAD_BYTES, sniffFile } from './file-sniffing';
import {
  closeIfBodyUnread,
  declaredTooLarge,
  type GatedRequest,
  limitMessage,
  maxBodyBytes,
  pageUploadLimits,
  routeId,
  type UploadLimits,
} from './upload-gates';
import { assertSafeText } from '../../platform/http/safe-input';
import { IdPipe } from '../../platform/http/id.pipe';

/** The status of an application as a GOV.UK tag. */
export const STATUS_TAGS: Record<ApplicationStatus, { text: string; classes?: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--orange' },
  eligible: { text: 'Eligible', classes: 'govuk-tag--green' },
  ineligible: { text: 'Not eligible', classes: 'govuk-tag--red' },
};

const SECTION_STATUS = {
  not_started: { tag: { text: 'Not started' } },
  in_progress: { tag: { text: 'In progress', classes: 'govuk-tag--yellow' } },
  completed: { text: 'Completed' },
} as const;

type UploadRequest = GatedRequest & { uploadError?: unknown; uploadLimits?: UploadLimits; bodyUnread?: boolean; files?: Express.Multer.File[] };

/**
 * Multer for the question pages, behind the same gate as the API: the application must be the
 * person's own draft and the section must exist before a byte of the body is read, and the body
 * is read under limits worked out from the section (one file per file question, the page's own
 * fields). A limit broken (a file over 10 MB, a field too long, too many parts) does not end the
 * request: it is kept on the request so the page can say so next to the question, with what the
 * person typed. A body declared over the limit is not read at all: the page is shown again with
 * the saved answers and the connection closed. Multer reads multipart bodies only; a page with
 * no file question posts an ordinary urlencoded form, which it leaves alone.
 */
@Injectable()
export class QuestionPageUploads implements NestInterceptor {
  private readonly multer = new (AnyFilesInterceptor({
    limits: (req: UploadRequest) => req.uploadLimits ?? { files: 0, fields: 0, parts: 0 },
    // Browsers send a file's name as UTF-8; read as latin1 (multer's default) "é" would become "Ã©".
    defParamCharset: 'utf8',
  }))();

  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<UploadRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    let limits: UploadLimits;
    try {
      const app = await this.applications.ownDraftForUpload(req.principal!, routeId(req));
      const round = await this.rounds.get(app.roundId, { includeDrafts: true });
      const section = round.form.sections.find((s) => s.id === req.params.sectionId);
      if (!section) throw ApplicationsException.notFound();
      limits = pageUploadLimits(section);
    } catch (err) {
      closeIfBodyUnread(req, res);
      // Submitted meanwhile: the page sends the person to their application, body unread.
      if (err instanceof ApplicationsException && err.code === 'applications.not_draft') {
        req.bodyUnread = true;
        return next.handle();
      }
      throw err;
    }
    req.uploadLimits = limits;
    if (!req.is('multipart/form-data')) return next.handle();
    if (declaredTooLarge(req, maxBodyBytes(limits))) {
      closeIfBodyUnread(req, res);
      req.bodyUnread = true;
      req.uploadError = ApplicationsException.uploadTooLarge(
        `The page must be ${Math.floor(maxBodyBytes(limits) / (1024 * 1024))} MB or smaller in all: each file up to ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`,
      );
      return next.handle();
    }
    try {
      const handled = await this.multer.intercept(context, next);
      // Multipart text fields are checked here: the global check ran before they were parsed.
      assertSafeText(req.body ?? {});
      return handled;
    } catch (err) {
      if (err instanceof ValidationFailedException) throw err;
      req.uploadError = err;
      return next.handle();
    }
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The applicant's pages: start, task list, question pages, uploads, check answers, submit, withdraw. */
@ApiExcludeController()
@Controller()
export class ApplicationPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly clock: Clock,
  ) {}

  // ---- your applications ----------------------------------------------------------------------

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications')
  async list(@CurrentUser() me: Principal, @Res() res: Response) {
    const [apps, memberships] = await Promise.all([this.applications.forOrganisationsOf(me), this.organisations.forUser(me.id)]);
    return res.render('applications/views/list.njk', {
      pageTitle: 'Your applications',
      hasOrganisations: memberships.length > 0,
      rows: apps.map((a) => ({
        id: a.id,
        round: a.round?.name ?? '',
        organisation: a.organisation?.name ?? '',
        reference: a.reference,
        tag: STATUS_TAGS[a.status],
        closes: a.round ? formatLondonDateTime(a.round.closesAt) : '',
        draft: a.status === 'draft',
      })),
    });
  }

  // ---- starting -------------------------------------------------------------------------------

  /** Reached from the round page when signed out (sign-in brings them back here), or with several organisations. */
  @RequirePermission(Permission.ApplicationsApply)
  @Get('funds/:roundId/apply')
  async startPage(@CurrentUser() me: Principal, @Param('roundId', IdPipe) roundId: string, @Res() res: Response) {
    const round = await this.rounds.get(roundId);
    const memberships = await this.organisations.forUser(me.id);
    if (!memberships.length) return res.redirect(303, '/organisations/new');
    return res.render('applications/views/start.njk', await this.startView(me, round, memberships, ''));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('funds/:roundId/applications')
  async start(@CurrentUser() me: Principal, @Param('roundId', IdPipe) roundId: string, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(roundId);
    const memberships = await this.organisations.forUser(me.id);
    if (!memberships.length) return res.redirect(303, '/organisations/new');
    let organisationId = str(req.body?.organisationId);
    if (!organisationId && memberships.length === 1) organisationId = memberships[0].organisation.id;
    if (!memberships.some((m) => m.organisation.id === organisationId)) {
      // Several organisations and none chosen yet (the round page's button), or not one of theirs.
      const chose = str(req.body?.choosing) === 'organisation' || 'organisationId' in (req.body ?? {});
      const errorList = chose ? [{ text: 'Select the organisation you are applying for', href: '#organisationId' }] : [];
      return res.status(chose ? 400 : 200).render('applications/views/start.njk', {
        ...(await this.startView(me, round, memberships, organisationId)),
        errorList,
        errorFor: errorList.length ? { organisationId: { text: errorList[0].text } } : {},
      });
    }
    try {
      const app = await this.applications.start(me, round.id, organisationId);
      return res.redirect(303, `/applications/${app.id}`);
    } catch (err) {
      if (!(err instanceof ApplicationsException)) throw err;
      const errorList = err.code === 'applications.ineligible' && err.details?.length ? err.details.map((d) => ({ text: d.message })) : [{ text: err.message }];
      return res
        .status(err.status)
        .render('applications/views/start.njk', { ...(await this.startView(me, round, memberships, organisationId)), errorList, startError: err.code });
    }
  }

  private async startView(me: Principal, round: FundingRound, memberships: { organisation: { id: string; name: string } }[], chosen: string) {
    const existing = (await this.applications.forOrganisationsOf(me)).filter((a) => a.roundId === round.id && a.status !== 'withdrawn');
    return {
      pageTitle: `Start your application to ${round.name}`,
      round,
      status: this.rounds.statusOf(round),
      closes: formatLondonDateTime(round.closesAt),
      opens: formatLondonDateTime(round.opensAt),
      existing: existing.map((a) => ({ id: a.id, organisation: a.organisation?.name, reference: a.reference, tag: STATUS_TAGS[a.status] })),
      single: memberships.length === 1 ? memberships[0].organisation : null,
      orgItems: memberships.map((m) => ({ value: m.organisation.id, text: m.organisation.name, checked: m.organisation.id === chosen })),
    };
  }

  // ---- the task list --------------------------------------------------------------------------

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id')
  async taskList(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Query('saved') saved: string | undefined,
    @Query('withdrawn') withdrawn: string | undefined,
    @Res() res: Response,
  ) {
    const { app, round } = await this.load(me, id);
    const closing = await this.applications.closingMinuteFor(round, app.organisationId);
    const now = this.clock.now();
    const deadlinePassed = now >= exclusiveCloseInstant(closing);
    const sections = round.form.sections.map((s) => ({ section: s, status: sectionStatus(s, app.answers) }));
    const completed = sections.filter((s) => s.status === 'completed').length;
    const allDone = completed === sections.length;
    const items = [
      ...sections.map(({ section, status }) => ({
        title: { text: section.title },
        href: app.status === 'draft' ? `/applications/${app.id}/sections/${section.id}` : undefined,
        status: SECTION_STATUS[status],
      })),
      {
        title: { text: 'Check answers and submit' },
        href: app.status === 'draft' && allDone ? `/applications/${app.id}/check-answers` : undefined,
        hint: allDone ? undefined : { text: 'You can do this once every section is completed' },
        status: allDone ? SECTION_STATUS.not_started : { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' },
      },
    ];
    const attachments = app.status === 'draft' ? [] : await this.applications.attachments(app.id);
    return res.render('applications/views/task-list.njk', {
      pageTitle: `${round.name}: your application`,
      app,
      round,
      tag: STATUS_TAGS[app.status],
      closes: formatLondonDateTime(closing),
      extended: closing.getTime() !== round.closesAt.getTime(),
      deadlinePassed,
      canWithdraw: (app.status === 'draft' || app.status === 'submitted') && !deadlinePassed,
      completed,
      total: sections.length,
      items,
      savedSection: round.form.sections.find((s) => s.id === saved)?.title,
      withdrawn: withdrawn === '1' && app.status === 'withdrawn',
      submittedAt: app.submittedAt ? formatLondonDateTime(app.submittedAt) : null,
      answers: app.status === 'draft' ? [] : this.answerCards(app, round, attachments, false),
    });
  }

  // ---- one section of questions per page ------------------------------------------------------

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/sections/:sectionId')
  async sectionPage(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Query('returnTo') returnTo: string | undefined,
    @Res() res: Response,
  ) {
    const { app, round, section, index } = await this.loadSection(me, id, sectionId);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    return res.render(
      'applications/views/section.njk',
      await this.sectionView(app, round, section, index, valuesFromAnswers(section, app.answers), [], returnTo === 'check-answers'),
    );
  }

  /**
   * Saves one page. Everything the person sent is checked first — amounts and dates as typed,
   * every answer against its question, every file by its content — and only then are the files
   * stored and the answers saved, so a page with a problem saves nothing.
   */
  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/sections/:sectionId')
  @UseInterceptors(QuestionPageUploads)
  async saveSection(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Req() req: UploadRequest,
    @Res() res: Response,
  ) {
    const { app, round, section, index } = await this.loadSection(me, id, sectionId);
    if (app.status !== 'draft' || (req.bodyUnread && !req.uploadError)) return res.redirect(303, `/applications/${app.id}`);
    if (req.bodyUnread) {
      // Declared over the limit, so not read: the saved answers again, and the reason.
      const q = section.questions.find((x) => x.type === 'file');
      const text = (req.uploadError as Error).message;
      const errors = [{ questionId: q?.id ?? '', text: q ? `${q.label}: ${lowerFirst(text)}` : text, anchor: q?.id ?? section.questions[0]?.id ?? '' }];
      return this.rerenderSection(res, HttpStatus.PAYLOAD_TOO_LARGE, app, round, section, index, valuesFromAnswers(section, app.answers), errors, false);
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const later = str(body.action) === 'later';
    const toCheckAnswers = str(body.returnTo) === 'check-answers';
    const values = pickValues(section, body);
    const fileQuestions = section.questions.filter((q) => q.type === 'file');
    const files = (Array.isArray(req.files) ? req.files : []).filter((f) => fileQuestions.some((q) => q.id === f.fieldname));
    const errors: QuestionError[] = [];
    let status: number = HttpStatus.BAD_REQUEST;

    if (req.uploadError) {
      // A limit broken while reading: named next to the file question (or the field) it concerns.
      const limit = req.uploadLimits ? limitMessage(req.uploadError, req.uploadLimits) : null;
      const q = section.questions.find((x) => x.id === limit?.field) ?? fileQuestions[0] ?? section.questions[0];
      status = limit ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
      const text = limit?.message ?? 'The file could not be uploaded. Try again.';
      errors.push({ questionId: q?.id ?? '', text: q ? `${q.label}: ${lowerFirst(text)}` : text, anchor: q?.id ?? '' });
    }
    const { answers, errors: unreadable } = answersFromValues(section, values);
    errors.push(...unreadable);
    for (const q of section.questions) {
      if (q.type === 'file' || unreadable.some((e) => e.questionId === q.id)) continue;
      const e = checkAnswer(q, answers[q.id]);
      if (e) errors.push({ questionId: q.id, text: e.message, anchor: anchorFor(q, e.rule, e.field) });
    }
    for (const f of files) {
      const q = fileQuestions.find((x) => x.id === f.fieldname)!;
      if (f.size > MAX_UPLOAD_BYTES) {
        status = HttpStatus.PAYLOAD_TOO_LARGE;
        errors.push({ questionId: q.id, text: `${q.label}: ${lowerFirst(ApplicationsException.tooLarge().message)}`, anchor: q.id });
      } else {
        const sniffed = sniffFile(f.buffer);
        if (!sniffed.ok) {
          status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
          const refusal = sniffed.reason === 'polyglot' ? ApplicationsException.polyglot(sniffed.detail) : ApplicationsException.wrongType();
          errors.push({ questionId: q.id, text: `${q.label}: ${lowerFirst(refusal.message)}`, anchor: q.id });
        }
      }
    }
    // A file chosen alongside a problem elsewhere was not stored; the browser cannot keep it.
    const chooseAgain = (found: QuestionError[]): QuestionError[] => [
      ...found,
      ...files
        .filter((f) => !found.some((e) => e.questionId === f.fieldname))
        .map((f) => fileQuestions.find((x) => x.id === f.fieldname)!)
        .map((q) => ({ questionId: q.id, text: `${q.label}: choose the file again – nothing on this page was saved`, anchor: q.id })),
    ];
    if (errors.length) return this.rerenderSection(res, status, app, round, section, index, values, chooseAgain(errors), toCheckAnswers);

    try {
      // The files and the answers in one transaction: a page with a problem saves nothing.
      await this.applications.saveSection(me, app.id, files, answers);
    } catch (err) {
      if (err instanceof ApplicationsException && err.code === 'applications.not_draft') return res.redirect(303, `/applications/${app.id}`);
      if (
        err instanceof ApplicationsException &&
        (err.status === HttpStatus.PAYLOAD_TOO_LARGE || err.status === HttpStatus.UNSUPPORTED_MEDIA_TYPE || err.code === 'applications.too_many_attachments')
      ) {
        const q = fileQuestions[0];
        return this.rerenderSection(
          res,
          err.status,
          app,
          round,
          section,
          index,
          values,
          [{ questionId: q?.id ?? '', text: err.message, anchor: q?.id ?? '' }],
          toCheckAnswers,
        );
      }
      if (err instanceof ValidationFailedException && err.details) {
        return this.rerenderSection(res, err.status, app, round, section, index, values, chooseAgain(questionErrors(section, err.details)), toCheckAnswers);
      }
      throw err;
    }

    if (later) return res.redirect(303, `/applications/${app.id}?saved=${encodeURIComponent(section.id)}`);
    if (toCheckAnswers) return res.redirect(303, `/applications/${app.id}/check-answers`);
    const next = round.form.sections[index + 1];
    return res.redirect(303, next ? `/applications/${app.id}/sections/${next.id}` : `/applications/${app.id}`);
  }

  private async rerenderSection(
    res: Response,
    status: number,
    app: Application,
    round: FundingRound,
    section: FormSection,
    index: number,
    values: FormValues,
    errors: QuestionError[],
    toCheckAnswers: boolean,
  ) {
    return res.status(status).render('applications/views/section.njk', await this.sectionView(app, round, section, index, values, errors, toCheckAnswers));
  }

  private async sectionView(
    app: Application,
    round: FundingRound,
    section: FormSection,
    index: number,
    values: FormValues,
    errors: QuestionError[],
    toCheckAnswers: boolean,
  ) {
    const { errorList, errorFor } = errorSummary(errors);
    const attachments = section.questions.some((q) => q.type === 'file') ? await this.applications.attachments(app.id) : [];
    const closing = await this.applications.closingMinuteFor(round, app.organisationId);
    return {
      pageTitle: `${section.title} – ${round.name}`,
      app,
      round,
      section,
      position: { index: index + 1, total: round.form.sections.length },
      multipart: section.questions.some((q) => q.type === 'file'),
      returnTo: toCheckAnswers ? 'check-answers' : '',
      backHref: toCheckAnswers ? `/applications/${app.id}/check-answers` : `/applications/${app.id}`,
      closes: formatLondonDateTime(closing),
      fields: fieldViews(section, values, errorFor, { applicationId: app.id, attachments, answers: app.answers }),
      errorList,
      errors: errorList,
    };
  }

  // ---- files ----------------------------------------------------------------------------------

  /** A file as uploaded, for the organisation's members (and staff who may view all applications). */
  @SignedIn()
  @Get('applications/:id/attachments/:attachmentId')
  async download(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @Res() res: Response) {
    return sendAttachment(res, await this.applications.attachmentFile(me, id, attachmentId));
  }

  // ---- check answers and submit ---------------------------------------------------------------

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/check-answers')
  async checkAnswersPage(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.load(me, id);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    return res.render('applications/views/check-answers.njk', await this.checkAnswersView(me, app, round, []));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/check-answers')
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    // The deadline is judged at the request's arrival (before any waiting), as the API does.
    const arrivedAt = this.clock.requestArrival();
    const { app, round } = await this.load(me, id);
    // Sent twice (a double click, or a lost response): the receipt, as the first one would have shown.
    if (app.status === 'submitted') return res.redirect(303, `/applications/${app.id}/submitted`);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    if (str(req.body?.declaration) !== 'yes') {
      const errorList = [{ text: 'Confirm that the information in your application is correct and complete', href: '#declaration' }];
      return res
        .status(400)
        .render('applications/views/check-answers.njk', await this.checkAnswersView(me, app, round, errorList, { declaration: { text: errorList[0].text } }));
    }
    try {
      await this.applications.submit(me, app.id, arrivedAt);
      return res.redirect(303, `/applications/${app.id}/submitted`);
    } catch (err) {
      if (err instanceof ApplicationsException && err.code === 'applications.not_draft') return res.redirect(303, `/applications/${app.id}`);
      if (!(err instanceof ApplicationsException) && !(err instanceof ValidationFailedException)) throw err;
      let errorList: { text: string; href?: string }[];
      if (err.details?.length) {
        // Each unanswered or wrong answer, linked to its question's page.
        errorList = err.details.map((d) => ({ text: d.message, href: this.questionHref(app, round, d.field) }));
        if (err.code === 'applications.incomplete') errorList.unshift({ text: err.message, href: undefined });
      } else if (err.code === 'applications.email_not_verified') {
        errorList = [{ text: `${err.message}. We sent a link to ${me.email}; you can ask for a new one on your account page.`, href: '/account' }];
      } else {
        errorList = [{ text: err.message }];
      }
      return res
        .status(err.status)
        .render('applications/views/check-answers.njk', { ...(await this.checkAnswersView(me, app, round, errorList)), declared: true, submitError: err.code });
    }
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/submitted')
  async submitted(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.load(me, id);
    if (app.status !== 'submitted' || !app.reference) return res.redirect(303, `/applications/${app.id}`);
    const recipients = [...new Set([me.email, app.organisation?.contactEmail].filter((e): e is string => !!e))];
    return res.render('applications/views/submitted.njk', {
      pageTitle: 'Application submitted',
      app,
      round,
      recipients,
      submittedAt: formatLondonDateTime(app.submittedAt!),
    });
  }

  // ---- withdrawing ----------------------------------------------------------------------------

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/withdraw')
  async withdrawPage(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.load(me, id);
    if (app.status !== 'draft' && app.status !== 'submitted') return res.redirect(303, `/applications/${app.id}`);
    const closing = await this.applications.closingMinuteFor(round, app.organisationId);
    return res.render('applications/views/withdraw.njk', { pageTitle: 'Withdraw your application', app, round, closes: formatLondonDateTime(closing) });
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/withdraw')
  async withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const app = await this.applications.withdraw(me, id);
    return res.redirect(303, `/applications/${app.id}?withdrawn=1`);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private async load(me: Principal, id: string) {
    const app = await this.applications.getFor(me, id);
    const round = await this.rounds.get(app.roundId, { includeDrafts: true });
    return { app, round };
  }

  private async loadSection(me: Principal, id: string, sectionId: string) {
    const { app, round } = await this.load(me, id);
    const index = round.form.sections.findIndex((s) => s.id === sectionId);
    if (index < 0) throw ApplicationsException.notFound();
    return { app, round, section: round.form.sections[index], index };
  }

  /** The question page for an `answers.<id>` field, at the question. */
  private questionHref(app: Application, round: FundingRound, field: string): string | undefined {
    const qid = field.startsWith('answers.') ? field.slice('answers.'.length) : field;
    const section = round.form.sections.find((s) => s.questions.some((q) => q.id === qid));
    if (!section) return undefined;
    const q = section.questions.find((x) => x.id === qid)!;
    return `/applications/${app.id}/sections/${section.id}?returnTo=check-answers#${anchorFor(q, '')}`;
  }

  private answerCards(app: Application, round: FundingRound, attachments: Awaited<ReturnType<ApplicationsService['attachments']>>, withChangeLinks: boolean) {
    return round.form.sections.map((s) => ({
      card: { title: { text: s.title } },
      rows: s.questions.map((q) => {
        const html = answerHtml(q, app.answers[q.id], app.id, attachments);
        return {
          key: { text: q.label },
          value: html === null ? { html: '<span class="govuk-hint govuk-!-margin-bottom-0">Not answered</span>' } : { html },
          actions: withChangeLinks
            ? {
                items: [
                  {
                    href: `/applications/${app.id}/sections/${s.id}?returnTo=check-answers#${anchorFor(q, '')}`,
                    text: 'Change',
                    visuallyHiddenText: q.label.replace(/\?$/, '').toLowerCase(),
                  },
                ],
              }
            : undefined,
        };
      }),
    }));
  }

  private async checkAnswersView(
    me: Principal,
    app: Application,
    round: FundingRound,
    errorList: { text: string; href?: string }[],
    errorFor: Record<string, { text: string }> = {},
  ) {
    const attachments = await this.applications.attachments(app.id);
    const closing = await this.applications.closingMinuteFor(round, app.organisationId);
    return {
      pageTitle: 'Check your answers before you submit your application',
      app,
      round,
      closes: formatLondonDateTime(closing),
      deadlinePassed: this.clock.now() >= exclusiveCloseInstant(closing),
      emailVerified: me.emailVerified,
      cards: this.answerCards(app, round, attachments, true),
      errorList,
      errors: errorList,
      errorFor,
    };
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
