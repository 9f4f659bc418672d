import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PageQueryDto } from '../../../platform/http/paging';
import { CurrentUser, Permission, type Principal, RequirePermission, SignedIn } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, errorView, firstQueryValues, readForm, refusedOnForm } from '../../../platform/web/forms';
import { AcceptOfferDto, DeclineOfferDto } from '../dto/grants.dto';
import { GrantsService } from '../grants.service';
import { MonitoringReportsService } from '../monitoring-reports.service';
import { acceptBody, grantPageView, grantsListView } from './grant-views';
import { grantReportsView } from './monitoring-report-views';
import { GrantVariationsService } from '../grant-variations.service';
import { grantVariationsView } from './variation-views';

/** The offer of grant for the organisation: read it, then an owner accepts (signing with their name) or declines. */
@ApiExcludeController()
@Controller('grants')
export class GrantPagesController {
  constructor(
    private readonly grants: GrantsService,
    private readonly reports: MonitoringReportsService,
    private readonly variations: GrantVariationsService,
  ) {}

  /** The grants of the person's organisations: offers to answer first in mind, newest first, paged. */
  @SignedIn()
  @Get()
  async list(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = await readForm(PageQueryDto, firstQueryValues(req.query, ['page', 'limit']));
    const at = errors.length ? { page: 1, limit: 50 } : value;
    const result = await this.grants.pageForOrganisationsOf(me, at.limit, at.page);
    return res.status(errors.length ? 400 : 200).render('grants/views/grants.njk', { ...grantsListView(result, at), ...errorView(errors) });
  }

  @SignedIn()
  @Get(':id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const view = grantPageView(await this.grants.getFor(me, id), {});
    const { reports, member } = await this.reports.forGrant(me, id);
    const { variations } = await this.variations.forGrant(me, id);
    // The organisation's members and fund managers may ask to change an accepted grant.
    const canPropose = view.g.status === 'accepted' && (member || me.permissions.has(Permission.AllocationsManage));
    return res.render('grants/views/grant.njk', {
      ...view,
      reports: grantReportsView(id, reports, member),
      variations: grantVariationsView(id, variations, canPropose),
    });
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post(':id/accept')
  async accept(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(AcceptOfferDto, acceptBody(body));
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render('grants/views/grant.njk', { ...grantPageView(await this.grants.getFor(me, id), body), ...errorView(errs) });
    if (errors.length) return rerender(errors);
    try {
      await this.grants.accept(me, id, value);
      return res.redirect(303, `/grants/${id}`);
    } catch (err) {
      if (refusedOnForm(err)) return rerender(err.details ?? [{ field: 'declaration', message: err.message }], err.status);
      throw err;
    }
  }

  @RequirePermission(Permission.ApplicationsApply)
  @HttpCode(HttpStatus.OK)
  @Post(':id/decline')
  async decline(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(DeclineOfferDto, body);
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render('grants/views/grant.njk', { ...grantPageView(await this.grants.getFor(me, id), body), ...errorView(errs) });
    if (errors.length) return rerender(errors);
    try {
      await this.grants.decline(me, id, value);
      return res.redirect(303, `/grants/${id}`);
    } catch (err) {
      if (refusedOnForm(err)) return rerender(err.details ?? [{ field: 'reason', message: err.message }], err.status);
      throw err;
    }
  }
}
