import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { errorView, readForm, str } from '../../../platform/web/forms';
import { AllowDuringMfaSetup, CurrentUser, type Principal, STAFF_ROLE_NAMES, SignedIn } from '../../../platform/access';
import { NewTokenDto, OtpDto } from '../dto/identity.dto';
import { IdentityException } from '../identity.exceptions';
import { MfaService } from '../mfa.service';
import { OrganisationsService } from '../organisations.service';
import { TokensService } from '../tokens.service';
import { IdPipe } from '../../../platform/http/id.pipe';
import { Clock } from '../../../platform/clock';

@ApiExcludeController()
@Controller('account')
export class AccountPagesController {
  constructor(
    private readonly tokens: TokensService,
    private readonly mfa: MfaService,
    private readonly organisations: OrganisationsService,
    private readonly clock: Clock,
  ) {}

  @SignedIn()
  @AllowDuringMfaSetup()
  @Get()
  async account(@CurrentUser() me: Principal, @Res() res: Response) {
    return res.render('identity/views/account.njk', await this.accountView(me));
  }

  @SignedIn()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('tokens')
  async createToken(@CurrentUser() me: Principal, @Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const { value, errors } = await readForm(NewTokenDto, body);
    if (errors.length) {
      return res.status(400).render('identity/views/account.njk', { ...(await this.accountView(me)), tokenName: str(body.name), ...errorView(errors) });
    }
    const created = await this.tokens.create(me.id, value.name || 'API token');
    return res.render('identity/views/account.njk', { ...(await this.accountView(me)), newToken: created });
  }

  @SignedIn()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('tokens/:id/revoke')
  async revokeToken(@CurrentUser() me: Principal, @Param('id', IdPipe) id: string, @Res() res: Response) {
    await this.tokens.revoke(me.id, id);
    return res.redirect(303, '/account#api-tokens');
  }

  @SignedIn()
  @AllowDuringMfaSetup()
  @Get('mfa')
  mfaSetup(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    if (me.mfaEnabled) return res.redirect(303, '/account');
    const enrolment = this.mfa.newEnrolment(me.email);
    req.session.mfaEnrolmentSecret = this.mfa.sealEnrolmentSecret(enrolment.secret);
    return res.render('identity/views/mfa-setup.njk', { ...enrolment, required: me.isStaff });
  }

  @SignedIn()
  @AllowDuringMfaSetup()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('mfa')
  async confirmMfa(@CurrentUser() me: Principal, @Req() req: Request, @Res() res: Response) {
    const secret = this.mfa.openEnrolmentSecret(req.session.mfaEnrolmentSecret);
    if (!secret || me.mfaEnabled) return res.redirect(303, '/account/mfa');
    const { value, errors } = await readForm(OtpDto, req.body);
    const rerender = (text: string) =>
      res.status(400).render('identity/views/mfa-setup.njk', {
        secret,
        uri: this.mfa.newEnrolmentUri(me.email, secret),
        required: me.isStaff,
        errorList: [{ text, href: '#code' }],
        errorFor: { code: { text } },
      });
    if (errors.length) return rerender(errors[0].message);
    try {
      const codes = await this.mfa.confirmEnrolment(me.id, secret, value.code);
      delete req.session.mfaEnrolmentSecret;
      return res.render('identity/views/mfa-recovery-codes.njk', { codes });
    } catch (err) {
      if (err instanceof IdentityException) return rerender(err.message);
      throw err;
    }
  }

  private async accountView(me: Principal) {
    const [tokens, memberships] = await Promise.all([this.tokens.listFor(me.id), this.organisations.forUser(me.id)]);
    const now = this.clock.now().getTime();
    return {
      pageTitle: 'Your account',
      me,
      roleNames: me.roles.map((r) => STAFF_ROLE_NAMES[r]),
      tokens: tokens.map((t) => ({ ...t, active: !t.revokedAt && t.expiresAt.getTime() > now })),
      memberships,
      recoveryCodesLeft: me.mfaEnabled ? await this.mfa.remainingRecoveryCodes(me.id) : 0,
    };
  }
}
