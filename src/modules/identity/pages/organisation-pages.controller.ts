import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { AreasService } from '../../areas';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type FieldError, ValidationFailedException } from '../../../platform/errors/app-exception';
import { errorView, readForm, str } from '../../../platform/web/forms';
import { CurrentUser, OrganisationRole, Permission, type Principal, Public, RequirePermission, SignedIn } from '../../../platform/access';
import { InviteMemberDto, OrganisationDto, RaiseDisputeDto } from '../dto/identity.dto';
import { OrganisationDisputesService } from '../organisation-disputes.service';
import { ORGANISATION_TYPE_NAMES } from '../entities/organisation.entity';
import { renderEmailLimit } from './auth-pages.controller';
import { IdentityErrorCode, IdentityException } from '../identity.exceptions';
import { OrganisationsService } from '../organisations.service';
import { OUTSIDE_AREA } from '../../areas';
import { IdPipe } from '../../../platform/http/id.pipe';

@ApiExcludeController()
@Controller()
export class OrganisationPagesController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly areas: AreasService,
    private readonly disputes: OrganisationDisputesService,
  ) {}

  @RequirePermission(Permission.OrganisationsCreate)
  @Get('organisations/new')
  async newPage(@CurrentUser() me: Principal, @Res() res: Response) {
    if (!me.emailVerified) return res.render('identity/views/organisation-new-unconfirmed.njk', { email: me.email });
    return res.render('identity/views/organisation-new.njk', await this.formView({}));
  }

  @RequirePermission(Permission.OrganisationsCreate)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisations')
  async create(@CurrentUser() me: Principal, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    // Explained, with a way to get the confirmation email again, rather than a bare "forbidden".
    if (!me.emailVerified) return res.status(403).render('identity/views/organisation-new-unconfirmed.njk', { email: me.email });
    const { value, errors } = await readForm(OrganisationDto, body);
    const values: Record<string, unknown> = { ...body, _csrf: undefined };
    if (errors.length) return res.status(400).render('identity/views/organisation-new.njk', { ...(await this.formView(values)), ...errorView(errors) });
    try {
      const org = await this.organisations.create(me, value);
      return res.redirect(303, `/organisations/${org.id}`);
    } catch (err) {
      if ((err instanceof ValidationFailedException || err instanceof IdentityException) && err.details) {
        // Already registered by someone else: not a dead end, the page offers the dispute form.
        const taken = err instanceof IdentityException && err.code === IdentityErrorCode.Conflict;
        const disputeNumber = taken ? (str(values.charityNumber) || str(values.companyNumber)).trim() : undefined;
        return res
          .status(err.status)
          .render('identity/views/organisation-new.njk', { ...(await this.formView(values)), ...errorView(err.details), disputeNumber });
      }
      throw err;
    }
  }

  // ---- "this organisation is ours": disputes (declared before organisations/:id) -------------

  @RequirePermission(Permission.OrganisationsCreate)
  @Get('organisations/disputes/new')
  disputePage(@CurrentUser() me: Principal, @Query('number') number: string | undefined, @Res() res: Response) {
    if (!me.emailVerified) return res.render('identity/views/organisation-new-unconfirmed.njk', { email: me.email });
    return res.render('identity/views/organisation-dispute-new.njk', { values: { registrationNumber: typeof number === 'string' ? number.slice(0, 20) : '' } });
  }

  @RequirePermission(Permission.OrganisationsCreate)
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisations/disputes')
  async raiseDispute(@CurrentUser() me: Principal, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    if (!me.emailVerified) return res.status(403).render('identity/views/organisation-new-unconfirmed.njk', { email: me.email });
    const { value, errors } = await readForm(RaiseDisputeDto, body);
    const values: Record<string, unknown> = { ...body, _csrf: undefined };
    const rerender = (status: number, errs: FieldError[]) =>
      res.status(status).render('identity/views/organisation-dispute-new.njk', { values, ...errorView(errs) });
    if (errors.length) return rerender(400, errors);
    try {
      const dispute = await this.disputes.raise(me, value);
      return res.status(200).render('identity/views/organisation-dispute-sent.njk', { dispute });
    } catch (err) {
      if ((err instanceof ValidationFailedException || err instanceof IdentityException) && err.details) return rerender(err.status, err.details);
      throw err;
    }
  }

  @SignedIn()
  @Get('organisations/:id')
  async show(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Query('invited') invited: string | undefined, @Res() res: Response) {
    return res.render('identity/views/organisation.njk', { ...(await this.pageView(me, id)), invited });
  }

  @SignedIn()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisations/:id/invitations')
  async invite(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(InviteMemberDto, body);
    if (errors.length) {
      return res
        .status(400)
        .render('identity/views/organisation.njk', { ...(await this.pageView(me, id)), inviteEmail: str(body.email), ...errorView(errors) });
    }
    try {
      await this.organisations.invite(me, id, value.email);
    } catch (err) {
      if (!(err instanceof IdentityException && err.code === IdentityErrorCode.TooManyEmails)) throw err;
      return renderEmailLimit(res, err, 'identity/views/organisation.njk', { ...(await this.pageView(me, id)), inviteEmail: value.email });
    }
    return res.redirect(303, `/organisations/${id}?invited=${encodeURIComponent(value.email)}`);
  }

  @Public()
  @Get('organisation-invitation')
  async invitationPage(@Query('token') token: string | undefined, @Req() req: Request, @Res() res: Response) {
    try {
      const details = await this.organisations.invitationDetails(String(token ?? ''));
      return res.render('identity/views/organisation-invitation.njk', { ...details, token, signedIn: !!req.principal });
    } catch (err) {
      if (err instanceof IdentityException) return res.status(400).render('identity/views/link-invalid.njk', { what: 'invitation' });
      throw err;
    }
  }

  @SignedIn()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('organisation-invitation')
  async accept(@CurrentUser() me: Principal, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const org = await this.organisations.acceptInvitation(me, str(body.token));
    return res.redirect(303, `/organisations/${org.id}`);
  }

  /** The organisation page, the same whether shown on its own or again with an invitation error. */
  private async pageView(me: Principal, id: string) {
    const org = await this.organisations.getFor(me, id);
    const [role, areas] = await Promise.all([this.organisations.roleIn(me.id, id), this.areas.list()]);
    return {
      org,
      typeName: ORGANISATION_TYPE_NAMES[org.type],
      areaName: areas.find((a) => a.onsCode === org.areaOnsCode)?.name,
      isOwner: role === OrganisationRole.Owner,
      // Staff see whether anyone has checked the organisation; administrators can mark it.
      showVerification: me.isStaff,
      canVerify: me.permissions.has(Permission.OrganisationsManage),
    };
  }

  private async formView(values: Record<string, unknown>) {
    const areas = await this.areas.list();
    return {
      values,
      types: Object.entries(ORGANISATION_TYPE_NAMES).map(([value, text]) => ({ value, text, checked: values.type === value })),
      areaItems: [
        { value: '', text: 'Select an area' },
        ...areas.map((a) => ({ value: a.onsCode, text: a.name, selected: values.area === a.onsCode })),
        { value: OUTSIDE_AREA, text: 'Outside the West Midlands', selected: values.area === OUTSIDE_AREA },
      ],
    };
  }
}
