import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { safeReturnTo } from '../../../platform/http/paging';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm } from '../../../platform/web/forms';
import { MonitoringReportsQueryDto, RequestReportChangesDto } from '../dto/monitoring-reports.dto';
import { MonitoringReportsService } from '../monitoring-reports.service';
import { reviewPageView, staffFilterItems, staffReportsView } from './monitoring-report-views';

const LIST = 'grants/views/staff-reports.njk';
const REVIEW = 'grants/views/staff-report.njk';
const LIST_PATH = '/staff/monitoring-reports';

/** Fund managers' monitoring reports: every grant's, filtered and sorted, and one to approve or send back with comments. */
@ApiExcludeController()
@Controller('staff/monitoring-reports')
export class StaffReportPagesController {
  constructor(private readonly reports: MonitoringReportsService) {}

  /** As GET /api/v1/monitoring-reports; a mistake in the query re-shows the filters with it (400). */
  @RequirePermission(Permission.AllocationsManage)
  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const typed = firstQueryValues(req.query, ['q', 'status', 'overdue', 'sort', 'limit', 'page']);
    const { value, errors } = await readForm(MonitoringReportsQueryDto, { ...typed, status: typed.status || undefined, overdue: typed.overdue || undefined });
    const counts = await this.reports.counts();
    if (errors.length) return res.status(400).render(LIST, { q: typed.q ?? '', rows: [], total: 0, ...staffFilterItems(typed), ...errorView(errors) });
    const result = await this.reports.listForStaff({ ...value, overdue: value.overdue === undefined ? undefined : value.overdue === 'true' });
    return res.render(LIST, staffReportsView(result, value, counts));
  }

  @RequirePermission(Permission.AllocationsManage)
  @Get(':id')
  async show(@Param('id', IdPipe) id: string, @Query('returnTo') returnTo: unknown, @Res() res: Response) {
    return res.render(REVIEW, reviewPageView(await this.reports.forReview(id), {}, safeReturnTo(returnTo, LIST_PATH, LIST_PATH)));
  }

  @RequirePermission(Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK)
  @Post(':id/approve')
  async approve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    try {
      await this.reports.approve(me, id);
      return res.redirect(303, `${LIST_PATH}/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.rerender(res, id, {}, [{ field: 'decision', message: err.message }], err.status);
    }
  }

  @RequirePermission(Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK)
  @Post(':id/changes')
  async changes(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(RequestReportChangesDto, body);
    if (errors.length) return this.rerender(res, id, body, errors);
    try {
      await this.reports.requestChanges(me, id, value.comments);
      return res.redirect(303, `${LIST_PATH}/${id}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return this.rerender(res, id, body, err.details ?? [{ field: 'comments', message: err.message }], err.status);
    }
  }

  private async rerender(res: Response, id: string, body: Record<string, unknown>, errs: FormError[], status = 400) {
    return res.status(status).render(REVIEW, { ...reviewPageView(await this.reports.forReview(id), body), ...errorView(errs) });
  }
}
