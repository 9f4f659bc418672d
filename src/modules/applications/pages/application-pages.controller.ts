import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { Clock } from '../../../platform/clock';
import { AppException } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, str } from '../../../platform/web/forms';
import { RoundsService } from '../../funds';
import { ApplicationsException, ApplicationsErrorCode } from '../applications.exceptions';
import { ApplicationsService } from '../applications.service';
import { sendAttachment } from '../attachment-download';
import { ApplicationPagesPresenter } from './application-pages.presenter';
import { chosenOrganisation, DECLARATION_MISSING, startErrors, submitErrors } from './application-views';
import { postedPage, QuestionPageUploads, type UploadRequest } from './question-page-uploads';
import { emptyPageError, type FormValues, readSectionPost, refusalOnPage, unreadBodyErrors, valuesFromAnswers, withFilesToChooseAgain } from './section-form';

const VIEWS = 'applications/views';

/** Changed meanwhile (submitted in another tab): the page sends the person to their application. */
const notDraft = (err: unknown) => err instanceof ApplicationsException && err.code === ApplicationsErrorCode.NotDraft;

/** The applicant's pages: start, task list, question pages, uploads, check answers, submit, withdraw. */
@ApiExcludeController()
@Controller()
export class ApplicationPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
    private readonly pages: ApplicationPagesPresenter,
    private readonly clock: Clock,
  ) {}

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications')
  async list(@CurrentUser() me: Principal, @Res() res: Response) {
    return res.render(`${VIEWS}/list.njk`, await this.pages.list(me));
  }

  /** Reached from the round page when signed out (sign-in brings them back here), or with several organisations. */
  @RequirePermission(Permission.ApplicationsApply)
  @Get('funds/:roundId/apply')
  async startPage(@CurrentUser() me: Principal, @Param('roundId', IdPipe) roundId: string, @Res() res: Response) {
    const [round, memberships] = await Promise.all([this.rounds.get(roundId), this.pages.memberships(me)]);
    if (!memberships.length) return res.redirect(303, '/organisations/new');
    return res.render(`${VIEWS}/start.njk`, await this.pages.start(me, round, memberships, ''));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('funds/:roundId/applications')
  async start(@CurrentUser() me: Principal, @Param('roundId', IdPipe) roundId: string, @Req() req: Request, @Res() res: Response) {
    const [round, memberships] = await Promise.all([this.rounds.get(roundId), this.pages.memberships(me)]);
    if (!memberships.length) return res.redirect(303, '/organisations/new');
    const { organisationId, errors } = chosenOrganisation((req.body ?? {}) as Record<string, unknown>, memberships);
    if (!memberships.some((m) => m.organisation.id === organisationId)) {
      return res.status(errors.length ? 400 : 200).render(`${VIEWS}/start.njk`, await this.pages.start(me, round, memberships, organisationId, errors));
    }
    try {
      const app = await this.applications.start(me, round.id, organisationId);
      return res.redirect(303, `/applications/${app.id}`);
    } catch (err) {
      if (!(err instanceof ApplicationsException)) throw err;
      const view = await this.pages.start(me, round, memberships, organisationId);
      return res.status(err.status).render(`${VIEWS}/start.njk`, { ...view, errorList: startErrors(err), startError: err.code });
    }
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id')
  async taskList(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Query('saved') saved: string | undefined,
    @Query('withdrawn') withdrawn: string | undefined,
    @Res() res: Response,
  ) {
    return res.render(`${VIEWS}/task-list.njk`, await this.pages.taskList(me, id, { saved, withdrawn }));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/sections/:sectionId')
  async sectionPage(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('sectionId') sectionId: string,
    @Query('returnTo') returnTo: string | undefined,
    @Res() res: Response,
  ) {
    const { app, round, section } = await this.pages.loadSection(me, id, sectionId);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    const page = { values: valuesFromAnswers(section, app.answers), errors: [], toCheckAnswers: returnTo === 'check-answers' };
    return res.render(`${VIEWS}/section.njk`, await this.pages.section(app, round, section, page));
  }

  /**
   * Saves one page: its files and answers in one transaction, so a page with a problem saves
   * nothing. What cannot be read (letters in an amount, a file of a type not taken) is refused
   * here; every other rule is the service's, and its refusal is shown at the questions.
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
    const { app, round, section } = await this.pages.loadSection(me, id, sectionId);
    if (app.status !== 'draft' || (req.bodyUnread && !req.uploadError)) return res.redirect(303, `/applications/${app.id}`);
    const again = async (status: number, values: FormValues, errors: FormError[], toCheckAnswers = false) =>
      res.status(status).render(`${VIEWS}/section.njk`, await this.pages.section(app, round, section, { values, errors, toCheckAnswers }));
    // Declared over the limit, so not read: the saved answers again, and the reason.
    if (req.bodyUnread) return again(HttpStatus.PAYLOAD_TOO_LARGE, valuesFromAnswers(section, app.answers), unreadBodyErrors(section, req.uploadError));
    const post = readSectionPost(section, postedPage(req));
    if (post.errors.length) return again(post.status, post.values, withFilesToChooseAgain(section, post.files, post.errors), post.toCheckAnswers);
    const empty = emptyPageError(section, post, app.answers);
    if (empty) return again(HttpStatus.BAD_REQUEST, post.values, [empty], post.toCheckAnswers);
    try {
      await this.applications.saveSection(me, app.id, post.files, post.answers);
    } catch (err) {
      if (notDraft(err)) return res.redirect(303, `/applications/${app.id}`);
      const refused = refusalOnPage(section, post.files, err);
      if (refused) return again(refused.status, post.values, refused.errors, post.toCheckAnswers);
      throw err;
    }
    const next = round.form.sections[round.form.sections.indexOf(section) + 1];
    if (post.later) return res.redirect(303, `/applications/${app.id}?saved=${encodeURIComponent(section.id)}`);
    if (post.toCheckAnswers) return res.redirect(303, `/applications/${app.id}/check-answers`);
    return res.redirect(303, next ? `/applications/${app.id}/sections/${next.id}` : `/applications/${app.id}`);
  }

  /** A file as uploaded, for the organisation's members (and staff who may view all applications). */
  @SignedIn()
  @Get('applications/:id/attachments/:attachmentId')
  async download(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @Res() res: Response) {
    return sendAttachment(res, await this.applications.attachmentFile(me, id, attachmentId));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/check-answers')
  async checkAnswersPage(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.pages.load(me, id);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    return res.render(`${VIEWS}/check-answers.njk`, await this.pages.checkAnswers(me, app, round));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/check-answers')
  async submit(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    // The deadline is judged at the request's arrival (before any waiting), as the API does.
    const arrivedAt = this.clock.requestArrival();
    const { app, round } = await this.pages.load(me, id);
    // Sent twice (a double click, or a lost response): the receipt, as the first one would have shown.
    if (app.status === 'submitted') return res.redirect(303, `/applications/${app.id}/submitted`);
    if (app.status !== 'draft') return res.redirect(303, `/applications/${app.id}`);
    if (str((req.body as Record<string, unknown> | undefined)?.declaration) !== 'yes') {
      return res.status(400).render(`${VIEWS}/check-answers.njk`, await this.pages.checkAnswers(me, app, round, [DECLARATION_MISSING]));
    }
    try {
      await this.applications.submit(me, app.id, arrivedAt);
    } catch (err) {
      if (notDraft(err)) return res.redirect(303, `/applications/${app.id}`);
      if (!(err instanceof AppException) || err.status >= HttpStatus.INTERNAL_SERVER_ERROR) throw err;
      const view = await this.pages.checkAnswers(me, app, round, submitErrors(err, app, round, me.email));
      return res.status(err.status).render(`${VIEWS}/check-answers.njk`, { ...view, declared: true, submitError: err.code });
    }
    return res.redirect(303, `/applications/${app.id}/submitted`);
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/submitted')
  async submitted(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.pages.load(me, id);
    if (app.status !== 'submitted' || !app.reference) return res.redirect(303, `/applications/${app.id}`);
    return res.render(`${VIEWS}/submitted.njk`, this.pages.submitted(me, app, round));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @Get('applications/:id/withdraw')
  async withdrawPage(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const { app, round } = await this.pages.load(me, id);
    if (app.status !== 'draft' && app.status !== 'submitted') return res.redirect(303, `/applications/${app.id}`);
    return res.render(`${VIEWS}/withdraw.njk`, await this.pages.withdraw(app, round));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/withdraw')
  async withdraw(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const app = await this.applications.withdraw(me, id);
    return res.redirect(303, `/applications/${app.id}?withdrawn=1`);
  }
}
