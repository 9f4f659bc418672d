import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { Clock } from '../../../platform/clock';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { safeReturnTo } from '../../../platform/http/paging';
import { type FormError, refusedOnForm } from '../../../platform/web/forms';
import { sendTable, type TableFormat } from '../../../platform/web/table-export';
import { applicationsTable } from '../applications-csv';
import { ApplicationsService } from '../applications.service';
import { sendAttachment } from '../attachment-download';
import { extensionErrors, readExtensionForm } from './extension-form';
import type { FilterQuery } from './filters-form';
import { readScreeningForm, screeningErrors } from './screening-form';
import { type StaffApplicationForms, StaffApplicationPagesPresenter } from './staff-application-pages.presenter';

const APPLICATION = 'applications/views/staff/application.njk';

/**
 * The list an application page was opened from, posted back by its forms so that after screening
 * or an extension the page still goes back to (and steps through) the same list. Only a staff
 * list address is kept; the presenter checks it is this round's list.
 */
const listReturnTo = (body: unknown): string => safeReturnTo((body as Record<string, unknown> | undefined)?.returnTo, '/staff/rounds/', '');

/** Staff pages: applications by round with filters and CSV export, screening, extensions. */
@ApiExcludeController()
@Controller()
export class StaffApplicationPagesController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly pages: StaffApplicationPagesPresenter,
    private readonly clock: Clock,
  ) {}

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/rounds/:id/applications')
  async list(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query() query: FilterQuery & Record<string, unknown>, @Res() res: Response) {
    const { round, form, place } = await this.pages.filters(id, query);
    return res.status(form.errors.length ? 400 : 200).render('applications/views/staff/applications.njk', await this.pages.list(me, round, form, place));
  }

  /** The same builder as GET /api/v1/rounds/:id/applications.csv, with the page's filters, search and sort. */
  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/rounds/:id/applications.csv')
  csv(@Param('id', IdPipe) id: string, @Query() query: FilterQuery & Record<string, unknown>, @Res() res: Response) {
    return this.table(id, query, 'csv', res);
  }

  /** The same rows for Excel. */
  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/rounds/:id/applications.xlsx')
  xlsx(@Param('id', IdPipe) id: string, @Query() query: FilterQuery & Record<string, unknown>, @Res() res: Response) {
    return this.table(id, query, 'xlsx', res);
  }

  private async table(id: string, query: FilterQuery & Record<string, unknown>, format: TableFormat, res: Response) {
    const { round, form, place, areaNames } = await this.pages.filters(id, query);
    if (form.errors.length) throw new ValidationFailedException(form.errors.map((e) => ({ field: e.field, rule: 'filter', message: e.message })));
    // Every matching application, not one page: the filters, search and sort apply, the page does not.
    const batches = this.applications.batchesForRound(round.id, { filters: form.filters, q: place.q, sort: place.sort });
    return sendTable(res, format, applicationsTable({ round, areaNames, now: this.clock.now() }, batches));
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/applications/:id')
  async show(
    @CurrentUser() me: Principal,
    @Param('id', IdPipe) id: string,
    @Query('done') done: string | undefined,
    @Query('returnTo') returnTo: unknown,
    @Res() res: Response,
  ) {
    return res.render(APPLICATION, await this.pages.application(me, id, { done, returnTo }));
  }

  @RequirePermission(Permission.ApplicationsViewAll)
  @Get('staff/applications/:id/attachments/:attachmentId')
  async attachment(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Param('attachmentId', IdPipe) attachmentId: string, @Res() res: Response) {
    return sendAttachment(res, await this.applications.attachmentFile(me, id, attachmentId));
  }

  @RequirePermission(Permission.ApplicationsScreen)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/applications/:id/screening')
  async screen(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const { value, entered, errors } = await readScreeningForm(req.body);
    const returnTo = listReturnTo(req.body);
    const again = async (errs: FormError[], status = 400) =>
      res.status(status).render(APPLICATION, await this.pages.application(me, id, { screening: entered, errors: errs, returnTo }));
    if (errors.length) return again(errors);
    try {
      await this.applications.screen(me, id, value.decision, value.reason);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return again(err.details?.length ? screeningErrors(err.details) : [{ field: 'decision', message: err.message }], err.status);
    }
    return res.redirect(303, `/staff/applications/${id}?done=screened${returnTo ? `&${new URLSearchParams({ returnTo }).toString()}` : ''}`);
  }

  @RequirePermission(Permission.RoundsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff/applications/:id/extension')
  async extend(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const app = await this.applications.getFor(me, id);
    const { value, entered, errors } = await readExtensionForm(req.body, app.organisationId);
    const returnTo = listReturnTo(req.body);
    const again = async (forms: StaffApplicationForms, status = 400) =>
      res.status(status).render(APPLICATION, await this.pages.application(me, id, { ...forms, returnTo }));
    if (errors.length) return again({ extension: entered, errors });
    try {
      await this.applications.grantExtension(me, app.roundId, value.organisationId, new Date(value.closesAt), value.reason);
    } catch (err) {
      if (!refusedOnForm(err) || !err.details?.length) throw err;
      return again({ extension: entered, errors: extensionErrors(err.details) }, err.status);
    }
    return res.redirect(303, `/staff/applications/${id}?done=extended${returnTo ? `&${new URLSearchParams({ returnTo }).toString()}` : ''}`);
  }
}
