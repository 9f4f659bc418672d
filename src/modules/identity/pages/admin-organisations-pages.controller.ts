import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { IdPipe } from '../../../platform/http/id.pipe';
import { PageQueryDto, pagerLinks } from '../../../platform/http/paging';
import { errorView, readForm } from '../../../platform/web/forms';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { ResolveDisputeDto } from '../dto/identity.dto';
import { IdentityException } from '../identity.exceptions';
import { OrganisationDisputesService } from '../organisation-disputes.service';
import { OrganisationsService } from '../organisations.service';

/** Administrators: which organisations are verified, and disputes over who manages one. */
@ApiExcludeController()
@Controller('admin')
@RequirePermission(Permission.OrganisationsManage)
export class AdminOrganisationsPagesController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly disputes: OrganisationDisputesService,
  ) {}

  @Get('organisations')
  async list(@Query() q: PageQueryDto, @Res() res: Response) {
    const [{ items, total }, openDisputes] = await Promise.all([this.organisations.listPage(q.limit, q.page), this.disputes.countOpen()]);
    return res.render('identity/views/admin-organisations.njk', {
      organisations: items,
      total,
      openDisputes,
      pager: pagerLinks('/admin/organisations', {}, { page: q.page, limit: q.limit, total }),
    });
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisations/:id/verify')
  async verify(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    await this.organisations.markVerified(me, id);
    // Back to the list (administrators are not members, and do not see organisation pages).
    return res.redirect(303, `/admin/organisations#org-${id}`);
  }

  @Get('organisation-disputes')
  async disputeList(@Res() res: Response) {
    return res.render('identity/views/admin-disputes.njk', { disputes: await this.disputes.listOpen() });
  }

  @Get('organisation-disputes/:id')
  async dispute(@Param('id', IdPipe) id: string, @Res() res: Response) {
    return res.render('identity/views/admin-dispute.njk', { dispute: await this.disputes.get(id), values: {} });
  }

  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisation-disputes/:id/resolve')
  async resolve(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(ResolveDisputeDto, body);
    const values = { ...body, _csrf: undefined };
    if (errors.length)
      return res.status(400).render('identity/views/admin-dispute.njk', { dispute: await this.disputes.get(id), values, ...errorView(errors) });
    try {
      await this.disputes.resolve(me, id, value.decision, value.note);
    } catch (err) {
      if ((err instanceof IdentityException || err instanceof ValidationFailedException) && err.details) {
        return res.status(err.status).render('identity/views/admin-dispute.njk', { dispute: await this.disputes.get(id), values, ...errorView(err.details) });
      }
      throw err;
    }
    return res.redirect(303, `/admin/organisation-disputes/${id}`);
  }
}
