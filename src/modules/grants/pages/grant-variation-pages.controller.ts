import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Permission, type Principal, RequireAnyPermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { type FormError, errorView, refusedOnForm } from '../../../platform/web/forms';
import { GrantVariationsService } from '../grant-variations.service';
import { GrantsException } from '../grants.exceptions';
import { readVariationForm, variationFormField, variationFormValues } from './variation-form';
import { proposePageView } from './variation-views';

const PAGE = 'grants/views/variation-form.njk';

/** "Ask to change this grant": the grant's organisation (or a fund manager) proposes a new amount, end date or purpose. */
@ApiExcludeController()
@Controller('grants/:id/variations')
export class GrantVariationPagesController {
  constructor(private readonly variations: GrantVariationsService) {}

  @RequireAnyPermission(Permission.ApplicationsApply, Permission.AllocationsManage)
  @Get('new')
  async form(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    const g = await this.variations.grantForProposal(me, id);
    if (g.grant.status !== 'accepted') throw GrantsException.notAccepted(g.grant.status);
    return res.render(PAGE, proposePageView(g));
  }

  @RequireAnyPermission(Permission.ApplicationsApply, Permission.AllocationsManage)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post()
  async propose(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readVariationForm(body);
    const rerender = async (errs: FormError[], status = 400) =>
      res.status(status).render(PAGE, { ...proposePageView(await this.variations.grantForProposal(me, id), variationFormValues(body)), ...errorView(errs) });
    if (errors.length) return rerender(errors);
    try {
      await this.variations.propose(me, id, value);
      return res.redirect(303, `/grants/${id}#variations`);
    } catch (err) {
      if (!refusedOnForm(err)) throw err;
      return rerender(
        (err.details ?? [{ field: 'reason', message: err.message }]).map((e) => ({ ...e, field: variationFormField(e.field) })),
        err.status,
      );
    }
  }
}
