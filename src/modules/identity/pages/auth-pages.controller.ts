import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Next, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config';
import { errorView, readForm, str } from '../../../platform/web/forms';
import {
  AllowDuringMfaSetup,
  APPLICANT_PERMISSIONS,
  CurrentUser,
  permissionsFor,
  type Principal,
  Public,
  SignedIn,
  type StaffRole,
} from '../../../platform/access';
import { Authenticator } from '../authenticator';
import type { UserAccount } from '../entities/user-account.entity';
import { ForgotPasswordDto, OtpDto, RegisterDto } from '../dto/identity.dto';
import { NewPasswordDto, withPasswordPolicy } from '../dto/new-password.dto';
import { IdentityErrorCode, IdentityException } from '../identity.exceptions';
import { MIN_PASSWORD_LENGTH } from '../password-policy';
import { UsersService } from '../users.service';

/** Only same-site paths: an open redirect after sign-in is a phishing tool. */
export function isSafeReturnTo(value: unknown): value is string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value);
}

/** A safe return path, or else `landing` (where this person goes when there is nothing to return to). */
export function safeReturnTo(value: unknown, landing = '/account'): string {
  return isSafeReturnTo(value) ? value : landing;
}

/**
 * Where someone lands after signing in with no page to return to: anyone holding a permission
 * beyond an applicant's (decided by permission, not role name) on the staff dashboard; applicants
 * on their applications. Account settings stay a link away under "Your account".
 */
export function landingPage(roles: readonly StaffRole[]): string {
  const staff = [...permissionsFor(roles)].some((p) => !APPLICANT_PERMISSIONS.includes(p));
  return staff ? '/staff' : '/applications';
}

/** The return path the sign-in form carries, or '' for "wherever this person lands". */
const returnToField = (value: unknown): string => (isSafeReturnTo(value) ? value : '');

/** The error passport and express-session hand their callbacks (typed `any`), as an Error. */
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

function login(req: Request, user: UserAccount): Promise<void> {
  // passport regenerates the session on login, so a session id planted before sign-in is useless.
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(asError(err)) : resolve())));
}

const isEmailLimit = (err: unknown): err is IdentityException => err instanceof IdentityException && err.code === IdentityErrorCode.TooManyEmails;

/** A form again, with the email limit as a GOV.UK error on its email field, and Retry-After. */
export function renderEmailLimit(res: Response, err: IdentityException, view: string, locals: Record<string, unknown>) {
  const seconds = err.retryAfterSeconds;
  if (seconds) res.setHeader('Retry-After', String(seconds));
  return res.status(429).render(view, { ...locals, errorList: [{ text: err.message, href: '#email' }], errorFor: { email: { text: err.message } } });
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(asError(err)) : resolve())));
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- register and verify ---------------------------------------------------------------

  @Public()
  @Get('register')
  @Render('identity/views/register.njk')
  registerPage() {
    return { values: {}, minLength: MIN_PASSWORD_LENGTH };
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('register')
  async register(@Body() body: unknown, @Res() res: Response) {
    const form = await readForm(RegisterDto, body);
    const { value } = form;
    const errors = withPasswordPolicy(form.errors, value.password, { email: value.email, name: value.fullName });
    if (errors.length) {
      return res.status(400).render('identity/views/register.njk', {
        values: { fullName: value.fullName, email: value.email },
        minLength: MIN_PASSWORD_LENGTH,
        ...errorView(errors),
      });
    }
    try {
      await this.users.registerApplicant(value);
    } catch (err) {
      if (!isEmailLimit(err)) throw err;
      return renderEmailLimit(res, err, 'identity/views/register.njk', {
        values: { fullName: value.fullName, email: value.email },
        minLength: MIN_PASSWORD_LENGTH,
      });
    }
    return res.render('identity/views/check-email.njk', { email: value.email });
  }

  @Public()
  @Get('verify-email')
  async verifyEmail(@Query('token') token: string | undefined, @Req() req: Request, @Res() res: Response) {
    try {
      const user = await this.users.verifyEmail(String(token ?? ''));
      return res.render('identity/views/email-verified.njk', { signedIn: req.principal?.id === user.id });
    } catch (err) {
      if (err instanceof IdentityException) return res.status(400).render('identity/views/link-invalid.njk', { what: 'email confirmation' });
      throw err;
    }
  }

  @SignedIn()
  @AllowDuringMfaSetup()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('verify-email/resend')
  async resendVerification(@CurrentUser() me: Principal, @Res() res: Response) {
    await this.users.resendVerification(me.id);
    return res.render('identity/views/check-email.njk', { email: me.email });
  }

  // ---- sign in, second factor, sign out ----------------------------------------------------

  @Public()
  @Get('sign-in')
  @Render('identity/views/sign-in.njk')
  signInPage(@Query('returnTo') returnTo?: string, @Query('reason') reason?: string) {
    return { values: {}, returnTo: returnToField(returnTo), timedOut: reason === 'timeout' };
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('sign-in')
  signIn(@Body() body: Record<string, unknown> = {}, @Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    const returnTo = returnToField(body.returnTo);
    const email = str(body.email).trim();
    const renderProblems = (status: number, problems: { field: string; message: string }[]) =>
      res.status(status).render('identity/views/sign-in.njk', {
        values: { email },
        returnTo,
        errorList: problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
        errorFor: Object.fromEntries(problems.map((p) => [p.field, { text: p.message }])),
      });
    const render = (status: number, message: string, field = 'email') => renderProblems(status, [{ field, message }]);
    // Both empty boxes are flagged at once, each next to its own box.
    const missing = [
      ...(email ? [] : [{ field: 'email', message: 'Enter your email address' }]),
      ...(str(body.password) ? [] : [{ field: 'password', message: 'Enter your password' }]),
    ];
    if (missing.length) return renderProblems(400, missing);

    // passport types the handler it returns as `any`; it is an Express handler.
    const authenticate = this.authenticator.passport.authenticate('local', { session: false }, async (err: unknown, user: UserAccount | false) => {
      try {
        if (err instanceof IdentityException) return render(err.status, err.message);
        if (err) return next(err);
        if (!user) return render(401, IdentityException.invalidCredentials().message);
        if (user.mfaEnabledAt) {
          await regenerate(req);
          req.session.pendingMfa = { userId: user.id, returnTo: returnTo || undefined };
          return res.redirect(303, '/sign-in/code');
        }
        await login(req, user);
        await this.users.recordSignIn(user.id);
        return res.redirect(
          303,
          user.roles.length && !user.mfaEnabledAt && this.config.staffMfaRequired ? '/account/mfa' : safeReturnTo(returnTo, landingPage(user.roles)),
        );
      } catch (e) {
        next(e);
      }
    }) as RequestHandler;
    return authenticate(req, res, next);
  }

  @Public()
  @Get('sign-in/code')
  signInCodePage(@Req() req: Request, @Res() res: Response) {
    if (!req.session.pendingMfa) return res.redirect(303, '/sign-in');
    return res.render('identity/views/sign-in-code.njk', {});
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('sign-in/code')
  async signInCode(@Req() req: Request, @Res() res: Response) {
    const pending = req.session.pendingMfa;
    if (!pending) return res.redirect(303, '/sign-in');
    const { value, errors } = await readForm(OtpDto, req.body);
    const fail = (message: string, status = 400) =>
      res.status(status).render('identity/views/sign-in-code.njk', { errorList: [{ text: message, href: '#code' }], errorFor: { code: { text: message } } });
    if (errors.length) return fail(errors[0].message);
    const user = await this.users.findActive(pending.userId);
    if (!user) return res.redirect(303, '/sign-in');
    // The second factor is throttled with the same counters as the password.
    try {
      await this.users.verifySecondFactor(user, value.code, req.ip);
    } catch (err) {
      if (err instanceof IdentityException) return fail(err.message, err.status);
      throw err;
    }
    await login(req, user);
    await this.users.recordSignIn(user.id);
    return res.redirect(303, safeReturnTo(pending.returnTo, landingPage(user.roles)));
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response) {
    await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(asError(err)) : resolve())));
    // Ending the session on the server, not just forgetting the cookie.
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('pcc_session');
    return res.redirect(303, '/signed-out');
  }

  @Public()
  @Get('signed-out')
  @Render('identity/views/signed-out.njk')
  signedOut(@Query('reason') reason?: string) {
    return { timedOut: reason === 'timeout' };
  }

  /** Called by the timeout warning's "Stay signed in" button; touching the session extends it. */
  @SignedIn()
  @AllowDuringMfaSetup()
  @Post('session/keep-alive')
  @HttpCode(204)
  keepAlive() {}

  // ---- password reset -----------------------------------------------------------------------

  @Public()
  @Get('forgot-password')
  @Render('identity/views/forgot-password.njk')
  forgotPasswordPage() {
    return { values: {} };
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('forgot-password')
  async forgotPassword(@Body() body: unknown, @Res() res: Response) {
    const { value, errors } = await readForm(ForgotPasswordDto, body);
    const address = typeof value.email === 'string' ? value.email : '';
    if (errors.length) return res.status(400).render('identity/views/forgot-password.njk', { values: { email: address }, ...errorView(errors) });
    try {
      await this.users.requestPasswordReset(address);
    } catch (err) {
      // Counted for known and unknown emails alike, so this says nothing about the account.
      if (!isEmailLimit(err)) throw err;
      return renderEmailLimit(res, err, 'identity/views/forgot-password.njk', { values: { email: address } });
    }
    return res.render('identity/views/check-email.njk', { email: address, reset: true });
  }

  @Public()
  @Get('reset-password')
  resetPasswordPage(@Query('token') token: string | undefined, @Res() res: Response) {
    return res.render('identity/views/reset-password.njk', { token: String(token ?? ''), minLength: MIN_PASSWORD_LENGTH });
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('reset-password')
  async resetPassword(@Body() body: Record<string, unknown> = {}, @Res() res: Response) {
    const token = str(body.token);
    const { value, errors } = await readForm(NewPasswordDto, body);
    const rerender = (message: string, field: string) =>
      res.status(400).render('identity/views/reset-password.njk', {
        token,
        minLength: MIN_PASSWORD_LENGTH,
        errorList: [{ text: message, href: `#${field}` }],
        errorFor: { [field]: { text: message } },
      });
    if (errors.length) return rerender(errors[0].message, errors[0].field);
    try {
      await this.users.resetPassword(token, value.password);
    } catch (err) {
      if (err instanceof IdentityException && err.code === IdentityErrorCode.WeakPassword) return rerender(err.details![0].message, 'password');
      if (err instanceof IdentityException) return res.status(400).render('identity/views/link-invalid.njk', { what: 'password reset' });
      throw err;
    }
    return res.render('identity/views/password-changed.njk');
  }

  // ---- staff invitation ---------------------------------------------------------------------

  @Public()
  @Get('staff-invitation')
  async staffInvitationPage(@Query('token') token: string | undefined, @Res() res: Response) {
    try {
      const user = await this.users.checkStaffInvitation(String(token ?? ''));
      return res.render('identity/views/staff-invitation.njk', { token, invited: user, minLength: MIN_PASSWORD_LENGTH });
    } catch (err) {
      if (err instanceof IdentityException) return res.status(400).render('identity/views/link-invalid.njk', { what: 'invitation' });
      throw err;
    }
  }

  @Public()
  @HttpCode(HttpStatus.OK) // a page: it renders (200) or redirects (303), never 201
  @Post('staff-invitation')
  async acceptStaffInvitation(@Body() body: Record<string, unknown> = {}, @Req() req: Request, @Res() res: Response) {
    const token = str(body.token);
    let invited: UserAccount;
    try {
      invited = await this.users.checkStaffInvitation(token);
    } catch (err) {
      if (err instanceof IdentityException) return res.status(400).render('identity/views/link-invalid.njk', { what: 'invitation' });
      throw err;
    }
    const form = await readForm(NewPasswordDto, body);
    const problems = withPasswordPolicy(form.errors, form.value.password, { email: invited.email, name: invited.fullName });
    if (problems.length) {
      return res.status(400).render('identity/views/staff-invitation.njk', { token, invited, minLength: MIN_PASSWORD_LENGTH, ...errorView(problems) });
    }
    const user = await this.users.acceptStaffInvitation(token, form.value.password);
    await login(req, user);
    await this.users.recordSignIn(user.id);
    return res.redirect(303, this.config.staffMfaRequired ? '/account/mfa' : landingPage(user.roles));
  }
}
