import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { type FieldError } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { errorView, firstQueryValues, type FormError, readForm, refusedOnForm } from '../../../platform/web/forms';
import { sendTable, type TableFormat } from '../../../platform/web/table-export';
import { type FundingRound, RoundsService } from '../../funds';
import { AssessmentException } from '../assessment.exceptions';
import { AssessmentService } from '../assessment.service';
import { DeclarationsQueryDto, hundredthsOf, RankingQueryDto } from '../dto/assessment.dto';
import { type AssessmentPageForms, applicationAssessmentsView, declarationsView, rankingView, roundOverview } from './assessment-views';
import { assignmentErrors, moderationErrors, readAssignmentForm, readModerationForm, readReopenForm } from './decision-forms';
import { roundAssessmentsTable } from './round-assessments-table';

const RANKING = 'assessment/views/round-assessment.njk';
const APPLICATION = 'assessment/views/application-assessments.njk';
const DECLARATIONS = 'assessment/views/declarations.njk';

/** Fund managers' assessment pages: a round's ranking and automatic assignment; one application's assessments, assessors and moderation. */
@ApiExcludeController()
@Controller('staff')
export class ModerationPagesController {
  constructor(
    private readonly assessment: AssessmentService,
    private readonly rounds: RoundsService,
  ) {}

  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/assessment')
  async ranking(@Param('id', IdPipe) id: string, @Query('done') done: unknown, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const { value, errors } = await readForm(RankingQueryDto, firstQueryValues(req.query, ['sort', 'page', 'limit']));
    const at = errors.length ? { sort: 'rank', page: 1, limit: 50 } : value;
    return res
      .status(errors.length ? 400 : 200)
      .render(RANKING, { ...(await this.overview(round, at, typeof done === 'string' ? done : undefined)), ...errorView(errors) });
  }

  /** Every declaration of interest made in the round, a page at a time. */
  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/declarations')
  async declarations(@Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    const { value, errors } = await readForm(DeclarationsQueryDto, firstQueryValues(req.query, ['sort', 'page', 'limit']));
    const at = errors.length ? { sort: 'declared', page: 1, limit: 50 } : value;
    return res
      .status(errors.length ? 400 : 200)
      .render(DECLARATIONS, { ...declarationsView(round, await this.assessment.declarations(id), at), ...errorView(errors) });
  }

  /** Every assessment in the round with its scores, as CSV or for Excel; audited (assessors' names, scores and comments). */
  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/assessments.csv')
  csv(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.table(id, 'csv', res);
  }

  @RequirePermission(Permission.ModerationManage)
  @Get('rounds/:id/assessments.xlsx')
  xlsx(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return this.table(id, 'xlsx', res);
  }

  private async table(id: string, format: TableFormat, res: Response) {
    const round = await this.rounds.get(id, { includeDrafts: true });
    return sendTable(res, format, roundAssessmentsTable(round, await this.assessment.downloadRoundAssessments(round.id, format)));
  }

  /** The round's assessment page: progress, moderation queue, calibration and the ranking. */
  private async overview(round: FundingRound, at: { sort: string; page: number; limit: number }, done?: string) {
    const ranking = await this.assessment.ranking(round.id);
    return {
      ...rankingView(round, this.rounds.statusOf(round), ranking, at, done),
      ...roundOverview(ranking, await this.assessment.progress(round.id), await this.assessment.calibration(round.id)),
    };
  }

  /** Assigns the round's eligible applications automatically, balanced across the assessors. */
  @RequirePermission(Permission.AssessmentsAssign)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('rounds/:id/assignments')
  async assignAll(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    try {
      const made = await this.assessment.assign(me, id, { mode: 'auto' });
      return res.redirect(303, `/staff/rounds/${id}/assessment?done=assigned-${made.length}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      const round = await this.rounds.get(id, { includeDrafts: true });
      const view = await this.overview(round, { sort: 'rank', page: 1, limit: 50 });
      return res.status(err.status).render(RANKING, { ...view, ...errorView([{ field: 'assign', message: err.message }]) });
    }
  }

  @RequirePermission(Permission.ModerationManage)
  @Get('applications/:id/assessments')
  async application(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('done') done: unknown, @Res() res: Response) {
    return this.render(res, me, id, { done: typeof done === 'string' ? done : undefined });
  }

  @RequirePermission(Permission.ModerationManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/moderation')
  async moderate(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const { value, values, errors } = await readModerationForm(req.body);
    return this.act(
      res,
      me,
      id,
      { form: 'moderation', values, errors },
      () => this.assessment.moderate(me, id, { scoreHundredths: hundredthsOf(value.scorePercent), reason: value.reason }),
      'moderated',
      moderationErrors,
    );
  }

  @RequirePermission(Permission.AssessmentsAssign)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/assignments')
  async assign(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const { application } = await this.assessment.forApplication(me, id);
    const { value, values, errors } = await readAssignmentForm(req.body, id);
    return this.act(
      res,
      me,
      id,
      { form: 'assign', values, errors },
      () => this.assessment.assign(me, application.roundId, value),
      'assigned',
      assignmentErrors,
    );
  }

  /** Reopens a submitted assessment (from its application's page) with a reason. */
  @RequirePermission(Permission.ModerationManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/assessments/:assessmentId/reopen')
  async reopen(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('assessmentId', IdPipe) assessmentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.belongsTo(me, id, assessmentId);
    // Each submitted assessment has its own reopen form, so its reason has its own field.
    const field = `reopen-${assessmentId}`;
    const form = await readReopenForm(req.body);
    const onForm = (details: readonly { message: string }[]) => details.map((e) => ({ field, message: e.message }));
    return this.act(
      res,
      me,
      id,
      { form: field, values: { [field]: form.values.reason }, errors: onForm(form.errors) },
      () => this.assessment.reopen(me, assessmentId, form.value.reason),
      'reopened',
      onForm,
    );
  }

  /** Takes an assessor off an application before they have submitted. */
  @RequirePermission(Permission.AssessmentsAssign)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('applications/:id/assessments/:assessmentId/unassign')
  async unassign(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('assessmentId', IdPipe) assessmentId: string, @Res() res: Response) {
    await this.belongsTo(me, id, assessmentId);
    return this.act(res, me, id, { form: 'assign' }, () => this.assessment.unassign(me, assessmentId), 'unassigned', assignmentErrors);
  }

  /** The assessment is one of this application's, so a crafted address cannot act on another from this page. */
  private async belongsTo(me: Principal, applicationId: string, assessmentId: string) {
    const { assessments } = await this.assessment.forApplication(me, applicationId);
    if (!assessments.some((a) => a.assessment.id === assessmentId)) throw AssessmentException.notFound();
  }

  /** Re-shows the page with the form's problems, or does it and goes back to the page with what was done. */
  private async act(
    res: Response,
    me: Principal,
    id: string,
    forms: AssessmentPageForms & { form: string },
    action: () => Promise<unknown>,
    done: string,
    mapErrors: (details: readonly FieldError[]) => FormError[],
  ) {
    if (forms.errors?.length) return this.render(res, me, id, forms, 400);
    try {
      await action();
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      const field = forms.form === 'moderation' ? 'scorePercent' : forms.form === 'assign' ? 'assessorIds' : forms.form;
      const errors = err.details?.length ? mapErrors(err.details) : [{ field, message: err.message }];
      return this.render(res, me, id, { ...forms, errors }, err.status);
    }
    return res.redirect(303, `/staff/applications/${id}/assessments?done=${done}`);
  }

  private async render(res: Response, me: Principal, id: string, forms: AssessmentPageForms & { form?: string; done?: string }, status = 200) {
    const r = await this.assessment.forApplication(me, id);
    const round = await this.rounds.get(r.application.roundId, { includeDrafts: true });
    const canAssign = me.permissions.has(Permission.AssessmentsAssign) && this.rounds.statusOf(round) === 'closed';
    const assessors = canAssign ? await this.assessment.activeAssessors() : [];
    return res
      .status(status)
      .render(APPLICATION, { ...applicationAssessmentsView(round, r, assessors, { ...forms, canAssign }), ...errorView(forms.errors ?? []) });
  }
}
