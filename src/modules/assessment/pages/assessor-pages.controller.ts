import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { errorView, firstQueryValues, type FormError, readForm, refusedOnForm } from '../../../platform/web/forms';
import { sendAttachment } from '../../applications';
import { AssessmentException } from '../assessment.exceptions';
import { AssessmentService } from '../assessment.service';
import type { AssessmentStatus } from '../entities/assessment.entity';
import { AssessmentQueueQueryDto } from '../dto/assessment.dto';
import { type AssessmentPageForms, assessmentView, countsView, queueFilterItems, queueView, scoringCriteria } from './assessment-views';
import { declarationErrors, readDeclarationForm } from './decision-forms';
import { readScoresForm, scoresErrors, scoresFormValues } from './scores-form';

const LIST = 'assessment/views/my-assessments.njk';

/** Why an assessment in each state other than "in progress" cannot take scores. */
const NOT_SCORABLE: Partial<Record<AssessmentStatus, () => AssessmentException>> = {
  awaiting_declaration: () => AssessmentException.declarationRequired(),
  conflicted: () => AssessmentException.conflicted(),
  submitted: () => AssessmentException.submitted(),
};
const ASSESSMENT = 'assessment/views/assessment.njk';

/** An assessor's pages: my assessments, the declaration of interests, the application and its scoring. */
@ApiExcludeController()
@Controller('staff/assessments')
@RequirePermission(Permission.AssessmentsScore)
export class AssessorPagesController {
  constructor(private readonly assessment: AssessmentService) {}

  /** Paged, sorted and searched like GET /api/v1/assessments; a mistake in the query re-shows the filters with it (400). */
  @Get()
  async list(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['q', 'status', 'sort', 'limit', 'page']);
    const { value, errors } = await readForm(AssessmentQueueQueryDto, typed);
    const counts = await this.assessment.myCounts(me);
    if (errors.length)
      return res
        .status(400)
        .render(LIST, { q: typed.q ?? '', rows: [], total: 0, counts: countsView(counts), statusItems: queueFilterItems(typed.status), ...errorView(errors) });
    return res.render(LIST, queueView(await this.assessment.queue(me, value), value, counts));
  }

  @Get(':id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('saved') saved: string | undefined, @Res() res: Response) {
    return this.render(res, me, id, { saved: typeof saved === 'string' ? saved : undefined });
  }

  @Get(':id/attachments/:attachmentId')
  async attachment(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @Res() res: Response) {
    return sendAttachment(res, await this.assessment.attachment(me, id, attachmentId));
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/declaration')
  async declare(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const { value, values, errors } = await readDeclarationForm(req.body);
    if (errors.length) return this.render(res, me, id, { values, errors }, 400);
    try {
      await this.assessment.declare(me, id, value);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.render(
        res,
        me,
        id,
        { values, errors: err.details?.length ? declarationErrors(err.details) : [{ field: 'conflict', message: err.message }] },
        err.status,
      );
    }
    return res.redirect(303, `/staff/assessments/${id}?saved=${value.conflict ? 'conflict' : 'declared'}`);
  }

  /** "Save as draft" and "Submit" post the same form: the scores are saved, then submitted if asked. */
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/scores')
  async scores(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const view = await this.assessment.view(me, id);
    // Not being scored (no declaration yet, a conflict, already submitted): say so, not what the form lacks.
    const closed = NOT_SCORABLE[view.assessment.status];
    if (closed) {
      const err = closed();
      return this.render(res, me, id, { errors: [{ field: 'scores', message: err.message }] }, err.status);
    }
    const criteria = scoringCriteria(view.round);
    const form = await readScoresForm(req.body, criteria, view.content ? view.application.amountRequestedPence : null);
    if (form.errors.length) return this.render(res, me, id, { values: form.values, errors: form.errors }, 400);
    try {
      await this.assessment.saveScores(me, id, form.value);
      if (form.submit) await this.assessment.submit(me, id);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      const errors: FormError[] = err.details?.length ? scoresErrors(err.details, form.lines, criteria) : [{ field: 'scores', message: err.message }];
      return this.render(res, me, id, { values: form.values, errors }, err.status);
    }
    return res.redirect(303, `/staff/assessments/${id}?saved=${form.submit ? 'submitted' : 'draft'}`);
  }

  private async render(res: Response, me: Principal, id: string, forms: AssessmentPageForms & { saved?: string }, status = 200) {
    const view = await this.assessment.view(me, id);
    return res.status(status).render(ASSESSMENT, { ...assessmentView(view, forms, scoresFormValues(view)), ...errorView(forms.errors ?? []) });
  }
}
