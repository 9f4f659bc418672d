import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { safeReturnTo } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm, str } from '../../../platform/web/forms';
import { DecisionsService } from '../../decisions';
import { ApproveVariationDto, RejectVariationDto, VariationsQueryDto } from '../dto/variations.dto';
import { GrantVariationsService } from '../grant-variations.service';
import { reviewVariationView, staffVariationsView, variationStatusItems } from './variation-views';

const LIST = 'grants/views/staff-variations.njk';
const REVIEW = 'grants/views/staff-variation.njk';
const LIST_PATH = '/staff/variations';

/** Fund managers' grant variations: every grant's, filtered and sorted, and one to approve or reject with comments. */
@ApiExcludeController()
@Controller('staff/variations')
export class StaffVariationPagesController {
  constructor(
    private readonly variations: GrantVariationsService,
    private readonly decisions: DecisionsService,
  ) {}

  /** As GET /api/v1/variations; a mistake in the query re-shows the filters with it (400). */
  @RequirePermission(Permission.AllocationsManage)
  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['q', 'status', 'sort', 'limit', 'page']);
    const { value, errors } = await readForm(VariationsQueryDto, { ...typed, status: typed.status || undefined });
    const waiting = await this.variations.countProposed();
    if (errors.length)
      return res
        .status(400)
        .render(LIST, { q: typed.q ?? '', rows: [], total: 0, waiting, statusItems: variationStatusItems(typed.status), ...errorView(errors) });
    return res.render(LIST, staffVariationsView(await this.variations.listForStaff(value), value, waiting));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get(':id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    return res.render(REVIEW, await this.view(me, id, {}, safeReturnTo(returnTo, LIST_PATH, LIST_PATH)));
  }

  @RequirePermission(Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK)
  @Post(':id/approve')
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(ApproveVariationDto, {
      ...(str(body.decisionId) ? { decisionId: str(body.decisionId) } : {}),
      ...(str(body.comments).trim() ? { comments: str(body.comments) } : {}),
    });
    if (errors.length) return this.rerender(res, me, id, body, errors);
    try {
      await this.variations.approve(me, id, value);
      return res.redirect(303, `${LIST_PATH}/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      // A refusal about the amount (budget, payments) is shown beside the decision to approve.
      const errs = (err.details ?? [{ field: 'decisionId', message: err.message }]).map((e) => ({
        ...e,
        field: e.field === 'comments' ? 'comments' : 'decisionId',
      }));
      return this.rerender(res, me, id, body, errs, err.status);
    }
  }

  @RequirePermission(Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK)
  @Post(':id/reject')
  async reject(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(RejectVariationDto, { comments: str(body.rejectComments) });
    const onForm = (errs: FormError[]) => errs.map((e) => ({ ...e, field: 'rejectComments' }));
    if (errors.length) return this.rerender(res, me, id, body, onForm(errors));
    try {
      await this.variations.reject(me, id, value.comments);
      return res.redirect(303, `${LIST_PATH}/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.rerender(res, me, id, body, onForm(err.details ?? [{ field: 'rejectComments', message: err.message }]), err.status);
    }
  }

  private async view(me: Principal, id: string, values: Record<string, unknown>, returnTo?: string) {
    const [r, decisions] = await Promise.all([this.variations.forReview(id), this.variations.citableDecisions()]);
    return reviewVariationView(r, {
      thresholdPence: this.variations.thresholdPence,
      decisions,
      numberOf: (d) => this.decisions.numberOf(d),
      meId: me.id,
      values,
      returnTo,
    });
  }

  private async rerender(res: Response, me: Principal, id: string, body: Record<string, unknown>, errs: FormError[], status = 400) {
    return res.status(status).render(REVIEW, { ...(await this.view(me, id, body)), ...errorView(errs) });
  }
}
