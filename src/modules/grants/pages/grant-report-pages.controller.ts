import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, errorView, refusedOnForm } from '../../../platform/web/forms';
import { MonitoringReportsService } from '../monitoring-reports.service';
import { readReportForm, reportFormField, reportFormValues } from './monitoring-report-form';
import { reportPageView } from './monitoring-report-views';

const PAGE = 'grants/views/report.njk';

/** A grant's monitoring report for its organisation: read it, and submit it (again, after changes were asked for). */
@ApiExcludeController()
@Controller('grants/:id/reports')
export class GrantReportPagesController {
  constructor(private readonly reports: MonitoringReportsService) {}

  @SignedIn()
  @Get(':reportId')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('reportId', IdPipe) reportId: string, @Res() res: Response) {
    return res.render(PAGE, reportPageView(await this.reports.oneOfGrant(me, id, reportId)));
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':reportId')
  async submit(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Param('reportId', IdPipe) reportId: string,
    @Body() body: Record<string, unknown> = {},
    @Res() res: Response,
  ) {
    const { value, errors } = await readReportForm(body, reportId);
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render(PAGE, { ...reportPageView(await this.reports.oneOfGrant(me, id, reportId), reportFormValues(body)), ...errorView(errs) });
    if (errors.length) return rerender(errors);
    try {
      await this.reports.submit(me, id, value);
      return res.redirect(303, `/grants/${id}/reports/${reportId}`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return rerender(
        (err.details ?? [{ field: 'outcomes', message: err.message }]).map((e) => ({
          ...e,
          field: reportFormField(e.field === 'reportId' ? 'outcomes' : e.field),
        })),
        err.status,
      );
    }
  }
}
