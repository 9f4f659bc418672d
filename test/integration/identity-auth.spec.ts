import { uniqueEmail } from '@pcc/testing';
import request from 'supertest';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type Agent,
  auditRows,
  clearThrottle,
  csrfOf,
  emailsTo,
  errorSummary,
  h1,
  linkIn,
  normalisePage,
  postSignIn,
  sessionCookieFrom,
  sidOf,
  withCookie,
} from './identity-support';

/**
 * Web sign-in, sessions, CSRF, account enumeration, registration, password reset and
 * deactivation, through the real HTTP stack on a real database.
 */
describe('identity: sign-in, sessions, CSRF, registration, reset and deactivation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));

  const sessionsOf = async (userId: string): Promise<string[]> =>
    (await t.dataSource.query(`SELECT sid FROM http_session WHERE user_id = $1`, [userId])).map((r: { sid: string }) => r.sid);
  const meVia = (agent: Agent) => agent.get('/api/v1/me');
  const userRow = async (id: string) =>
    (await t.dataSource.query(`SELECT status, last_signed_in_at, email_verified_at FROM user_account WHERE id = $1`, [id]))[0];
  const canSignIn = async (email: string, password: string) => (await postSignIn(request.agent(t.http), email, password)).status === 303;

  // ---- sessions -----------------------------------------------------------------------------

  describe('sessions', () => {
    it('flags both empty boxes at once on the sign-in page, each next to its own box', async () => {
      const bothEmpty = await postSignIn(request.agent(t.http), '', '');
      expect(bothEmpty.status).toBe(400);
      expect(errorSummary(bothEmpty.text)).toContain('Enter your email address');
      expect(errorSummary(bothEmpty.text)).toContain('Enter your password');
      expect(bothEmpty.text).toMatch(/id="email-error"[^]*Enter your email address/);
      expect(bothEmpty.text).toMatch(/id="password-error"[^]*Enter your password/);
      // Only the box that is empty is flagged.
      const noPassword = await postSignIn(request.agent(t.http), 'someone@example.org', '');
      expect(errorSummary(noPassword.text)).not.toContain('Enter your email address');
      expect(errorSummary(noPassword.text)).toContain('Enter your password');
    });

    it('gives a new session id at sign-in; the id from before sign-in is not signed in', async () => {
      const user = await createUser(t);
      const agent = request.agent(t.http);
      const page = await agent.get('/sign-in').expect(200);
      const before = sessionCookieFrom(page);
      expect(before).toBeTruthy();
      const beforeSid = sidOf(before!);
      expect(await t.dataSource.query(`SELECT 1 FROM http_session WHERE sid = $1`, [beforeSid])).toHaveLength(1);

      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: user.email, password: user.password });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/applications');
      const after = sessionCookieFrom(res);
      expect(after).toBeTruthy();
      expect(sidOf(after!)).not.toBe(beforeSid);

      // The new cookie is signed in; the old one (as an attacker who planted it would hold it) is not.
      expect((await withCookie(t, after!).get('/api/v1/me').expect(200)).body.id).toBe(user.id);
      expect((await withCookie(t, before!).get('/api/v1/me')).status).toBe(401);
      const old = await withCookie(t, before!).get('/account');
      expect(old.status).toBe(303);
      expect(old.headers.location).toBe('/sign-in?returnTo=%2Faccount');
      expect(await sessionsOf(user.id)).toEqual([sidOf(after!)]);
      expect(await t.dataSource.query(`SELECT 1 FROM http_session WHERE sid = $1`, [beforeSid])).toHaveLength(0);
      expect(await auditRows(t, 'user.signed_in', user.id)).toHaveLength(1);
    });

    it('returns to a page of this site after sign-in, never to another site', async () => {
      const user = await createUser(t);
      for (const [returnTo, expected] of [
        ['/organisations/new', '/organisations/new'],
        ['//evil.example', '/applications'],
        ['https://evil.example/', '/applications'],
        ['/\\evil.example', '/applications'],
      ]) {
        const agent = request.agent(t.http);
        const csrf = await csrfOf(agent, '/sign-in');
        const res = await agent.post('/sign-in').type('form').send({ _csrf: csrf, email: user.email, password: user.password, returnTo });
        expect([returnTo, res.headers.location]).toEqual([returnTo, expected]);
      }
    });

    it('sets the cookie HttpOnly and SameSite=Lax', async () => {
      const res = await request(t.http).get('/sign-in').expect(200);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pcc_session='))!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    });

    it('ends the session on the server at sign-out, so a copy of the cookie is no longer signed in', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const account = await agent.get('/account').expect(200);
      const cookie = sessionCookieFrom(account)!;
      expect(await sessionsOf(user.id)).toHaveLength(1);

      const out = await agent
        .post('/sign-out')
        .type('form')
        .send({ _csrf: csrfFrom(account.text) });
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe('/signed-out');
      expect(await sessionsOf(user.id)).toHaveLength(0);
      expect((await withCookie(t, cookie).get('/api/v1/me')).status).toBe(401);
      expect((await meVia(agent)).status).toBe(401);
    });
  });

  // ---- CSRF ---------------------------------------------------------------------------------

  describe('CSRF', () => {
    /** A real, valid token, but for a different session: what an attacker could get for themselves. */
    const someoneElsesToken = async () => csrfOf(request.agent(t.http), '/sign-in');

    it('refuses the sign-in form without a token or with a wrong one, and signs no one in', async () => {
      const user = await createUser(t);
      for (const token of [undefined, 'not-the-token', await someoneElsesToken()]) {
        const agent = request.agent(t.http);
        await agent.get('/sign-in').expect(200);
        const res = await agent
          .post('/sign-in')
          .type('form')
          .send({ ...(token ? { _csrf: token } : {}), email: user.email, password: user.password });
        expect(res.status).toBe(403);
        expect((await meVia(agent)).status).toBe(401);
      }
      expect(await sessionsOf(user.id)).toHaveLength(0);
      expect((await userRow(user.id)).last_signed_in_at).toBeNull();
      // The same form with the right token works, so the refusals above were the token's doing.
      expect(await canSignIn(user.email, user.password)).toBe(true);
    });

    it('refuses creating an API token from the account page without the right token', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const csrf = await csrfOf(agent, '/account');
      for (const body of [{ name: 'no token' }, { _csrf: 'wrong', name: 'wrong token' }, { _csrf: await someoneElsesToken(), name: 'other session' }]) {
        expect((await agent.post('/account/tokens').type('form').send(body)).status).toBe(403);
      }
      expect(await t.dataSource.query(`SELECT 1 FROM api_token WHERE user_id = $1`, [user.id])).toHaveLength(0);
      const ok = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'with token' });
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('id="new-token"');
      expect(await t.dataSource.query(`SELECT name FROM api_token WHERE user_id = $1`, [user.id])).toEqual([{ name: 'with token' }]);
    });

    it('refuses an admin deactivation without the right token, and the user stays active and signed in', async () => {
      const admin = await createUser(t, ['admin']);
      const target = await createUser(t);
      const targetAgent = await signIn(t, target);
      const adminAgent = await signIn(t, admin);
      await adminAgent.get(`/admin/users/${target.id}`).expect(200);
      for (const body of [{}, { _csrf: 'wrong' }, { _csrf: await someoneElsesToken() }]) {
        expect((await adminAgent.post(`/admin/users/${target.id}/deactivate`).type('form').send(body)).status).toBe(403);
      }
      expect((await userRow(target.id)).status).toBe('active');
      expect((await meVia(targetAgent)).status).toBe(200);
      expect(await auditRows(t, 'user.deactivated', target.id)).toHaveLength(0);
    });

    it('does not ask for a token on requests that carry a bearer token, but does on the same API call made with a session cookie', async () => {
      const user = await createUser(t);
      const bearer = await tokenFor(t, user);
      await tokenFor(t, user);
      const ids: string[] = (await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY created_at`, [user.id])).map(
        (r: { id: string }) => r.id,
      );

      // Bearer: no CSRF token, no cookie, and it works.
      await request(t.http).delete(`/api/v1/auth/tokens/${ids[1]}`).set('Authorization', `Bearer ${bearer}`).expect(204);
      // Session cookie: the same call needs the CSRF header.
      const agent = await signIn(t, user);
      const csrf = await csrfOf(agent, '/account');
      const created = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'third' });
      expect(created.status).toBe(200);
      const [{ id: third }] = await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 AND name = 'third'`, [user.id]);
      expect((await agent.delete(`/api/v1/auth/tokens/${third}`)).status).toBe(403);
      expect((await t.dataSource.query(`SELECT revoked_at FROM api_token WHERE id = $1`, [third]))[0].revoked_at).toBeNull();
      await agent.delete(`/api/v1/auth/tokens/${third}`).set('X-CSRF-Token', csrf).expect(204);
      // And an API client with no session at all can get a token.
      const minted = await request(t.http).post('/api/v1/auth/tokens').send({ email: user.email, password: user.password });
      expect(minted.status).toBe(201);
    });
  });

  // ---- not revealing who has an account ------------------------------------------------------

  describe('account enumeration', () => {
    it('answers a sign-in with an unknown email exactly as a wrong password (and as a deactivated account)', async () => {
      const user = await createUser(t);
      const gone = await createUser(t);
      await t.dataSource.query(`UPDATE user_account SET status = 'deactivated' WHERE id = $1`, [gone.id]);
      const unknown = uniqueEmail('nobody');

      const wrong = await postSignIn(request.agent(t.http), user.email, 'Not-The-Password-1');
      const missing = await postSignIn(request.agent(t.http), unknown, 'Not-The-Password-1');
      const deactivated = await postSignIn(request.agent(t.http), gone.email, gone.password);
      expect(wrong.status).toBe(401);
      expect(missing.status).toBe(401);
      expect(deactivated.status).toBe(401);
      expect(errorSummary(wrong.text)).toBe('There is a problem Enter a correct email address and password');
      const page = normalisePage(wrong.text, user.email);
      expect(normalisePage(missing.text, unknown)).toBe(page);
      expect(normalisePage(deactivated.text, gone.email)).toBe(page);

      // The API says the same.
      const api = async (email: string, password: string) => {
        const res = await request(t.http).post('/api/v1/auth/tokens').send({ email, password });
        return { status: res.status, ...res.body, requestId: undefined };
      };
      const apiWrong = await api(user.email, 'Not-The-Password-1');
      expect(apiWrong).toMatchObject({ status: 401, error: 'identity.invalid_credentials' });
      expect(await api(unknown, 'Not-The-Password-1')).toEqual(apiWrong);
      expect(await api(gone.email, gone.password)).toEqual(apiWrong);
    });

    it('shows the same page after "forgot password" for known and unknown emails; only the known one gets an email', async () => {
      const user = await createUser(t);
      const unknown = uniqueEmail('nobody');
      const ask = async (email: string) => {
        const agent = request.agent(t.http);
        const csrf = await csrfOf(agent, '/forgot-password');
        return agent.post('/forgot-password').type('form').send({ _csrf: csrf, email });
      };
      const known = await ask(user.email);
      const other = await ask(unknown);
      expect(other.status).toBe(known.status);
      expect(h1(known.text)).toBe('Check your email');
      expect(normalisePage(other.text, unknown)).toBe(normalisePage(known.text, user.email));

      const mail = await emailsTo(t, user.email);
      expect(mail.map((m) => m.template)).toEqual(['reset-password']);
      linkIn(mail[0].text_body, '/reset-password');
      expect(await emailsTo(t, unknown)).toEqual([]);
    });

    it('shows the same "check your email" page when registering an existing email, and sends that person a different email', async () => {
      const existing = await createUser(t, [], { fullName: 'Existing Person' });
      const fresh = uniqueEmail('fresh');
      const register = async (email: string) => {
        const agent = request.agent(t.http);
        const csrf = await csrfOf(agent, '/register');
        return agent
          .post('/register')
          .type('form')
          .send({ _csrf: csrf, fullName: 'Someone New', email, password: 'Marble-Harbour-Lantern-7', confirmPassword: 'Marble-Harbour-Lantern-7' });
      };
      const a = await register(fresh);
      const b = await register(existing.email);
      expect(b.status).toBe(a.status);
      expect(h1(a.text)).toBe('Check your email');
      expect(normalisePage(b.text, existing.email)).toBe(normalisePage(a.text, fresh));

      expect((await emailsTo(t, fresh)).map((m) => m.template)).toEqual(['verify-email']);
      const toExisting = await emailsTo(t, existing.email);
      expect(toExisting.map((m) => m.template)).toEqual(['account-already-exists']);
      expect(toExisting[0].text_body).toContain('Hello Existing Person');
      expect(toExisting[0].text_body).not.toMatch(/token=/);
      // Nothing about the existing account changed.
      expect(await t.dataSource.query(`SELECT full_name FROM user_account WHERE email = $1`, [existing.email])).toEqual([{ full_name: 'Existing Person' }]);
      expect(await canSignIn(existing.email, existing.password)).toBe(true);
      expect(await canSignIn(existing.email, 'Marble-Harbour-Lantern-7')).toBe(false);
    });
  });

  // ---- registration -----------------------------------------------------------------------

  describe('registration', () => {
    async function register(fields: Record<string, string>) {
      const agent = request.agent(t.http);
      const csrf = await csrfOf(agent, '/register');
      return agent
        .post('/register')
        .type('form')
        .send({ _csrf: csrf, ...fields });
    }

    it.each([
      ['short', 'Password must be 12 characters or more'],
      ['passwordpassword', 'Password is too common'],
      ['password12345', 'Password is too common'],
      ['QWERTYUIOP123', 'Password is too common'],
      ['aaaaaaaaaaaaaaaa', 'Password is too common'],
      ['Fatima-Fatima-2024', 'must not contain your name'],
    ])('refuses the password %p, naming the field', async (password, message) => {
      const email = uniqueEmail('weak');
      const res = await register({ fullName: 'Fatima Begum', email, password, confirmPassword: password });
      expect(res.status).toBe(400);
      expect(errorSummary(res.text)).toContain(message);
      expect(res.text).toContain('href="#password"');
      expect(res.text).toMatch(/<p id="password-error" class="govuk-error-message">/);
      // The form comes back with what they typed, except the password.
      expect(res.text).toContain(`value="${email}"`);
      expect(res.text).not.toContain(`value="${password}"`);
      expect(await t.dataSource.query(`SELECT 1 FROM user_account WHERE email = $1`, [email])).toHaveLength(0);
      expect(await emailsTo(t, email)).toEqual([]);
    });

    it('refuses a confirmation that does not match', async () => {
      const email = uniqueEmail('typo');
      const res = await register({ fullName: 'Sam Typo', email, password: 'Marble-Harbour-Lantern-7', confirmPassword: 'Marble-Harbour-Lantern-8' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('href="#confirmPassword"');
      expect(await t.dataSource.query(`SELECT 1 FROM user_account WHERE email = $1`, [email])).toHaveLength(0);
    });

    it('registers, audits, and verifies the email with the emailed link, which works once', async () => {
      const email = uniqueEmail('Newcomer').replace('newcomer', 'NewComer');
      const password = 'Copper-Meadow-Signal-42';
      const res = await register({ fullName: '  Nia Newcomer ', email, password, confirmPassword: password });
      expect(h1(res.text)).toBe('Check your email');
      const lower = email.toLowerCase();
      const [user] = await t.dataSource.query(`SELECT id, full_name, email_verified_at, roles, password_hash FROM user_account WHERE email = $1`, [lower]);
      expect(user).toMatchObject({ full_name: 'Nia Newcomer', email_verified_at: null, roles: [] });
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      const [audit] = await auditRows(t, 'user.registered', user.id);
      expect(audit).toMatchObject({ entity_type: 'user_account', actor_id: user.id, after: { email: lower, fullName: 'Nia Newcomer' } });
      expect(JSON.stringify(audit)).not.toContain(password);

      // Signed in but not yet verified: the API says so, and the account page asks them to.
      const agent = request.agent(t.http);
      expect((await postSignIn(agent, email, password)).status).toBe(303);
      expect((await meVia(agent).expect(200)).body).toMatchObject({ id: user.id, emailVerified: false });
      expect((await agent.get('/account').expect(200)).text).toContain('Confirm your email address before you can submit an application.');

      const [mail] = await emailsTo(t, lower);
      expect(mail.template).toBe('verify-email');
      const link = linkIn(mail.text_body, '/verify-email');
      const verified = await agent.get(link);
      expect(verified.status).toBe(200);
      expect(h1(verified.text)).toBe('Email address confirmed');
      expect((await meVia(agent).expect(200)).body.emailVerified).toBe(true);
      expect((await userRow(user.id)).email_verified_at).toBeInstanceOf(Date);
      expect(await auditRows(t, 'user.email_verified', user.id)).toHaveLength(1);

      const again = await agent.get(link);
      expect(again.status).toBe(400);
      expect(h1(again.text)).toBe('This email confirmation link is not valid');
      expect((await request(t.http).get('/verify-email?token=made-up')).status).toBe(400);
      expect(await auditRows(t, 'user.email_verified', user.id)).toHaveLength(1);
    });
  });

  // ---- password reset ---------------------------------------------------------------------

  describe('password reset', () => {
    async function requestReset(user: TestUser): Promise<string> {
      const agent = request.agent(t.http);
      const csrf = await csrfOf(agent, '/forgot-password');
      await agent.post('/forgot-password').type('form').send({ _csrf: csrf, email: user.email });
      const mails = (await emailsTo(t, user.email)).filter((m) => m.template === 'reset-password');
      return linkIn(mails[mails.length - 1].text_body, '/reset-password');
    }
    async function useLink(link: string, password: string) {
      const agent = request.agent(t.http);
      const page = await agent.get(link).expect(200);
      const token = /name="token" value="([^"]+)"/.exec(page.text)![1];
      return agent
        .post('/reset-password')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password, confirmPassword: password });
    }

    it('sets a new password, ends every existing session, and refuses the link a second time', async () => {
      const user = await createUser(t);
      const signedIn = await signIn(t, user);
      const other = await signIn(t, user);
      expect(await sessionsOf(user.id)).toHaveLength(2);

      const link = await requestReset(user);
      const done = await useLink(link, 'Velvet-Compass-Orchard-3');
      expect(h1(done.text)).toBe('Password changed');
      expect(await sessionsOf(user.id)).toHaveLength(0);
      expect((await meVia(signedIn)).status).toBe(401);
      expect((await meVia(other)).status).toBe(401);
      expect(await canSignIn(user.email, user.password)).toBe(false);
      expect(await canSignIn(user.email, 'Velvet-Compass-Orchard-3')).toBe(true);
      expect(await auditRows(t, 'user.password_reset', user.id)).toHaveLength(1);

      const reuse = await useLink(link, 'Another-Brand-New-Pass-9');
      expect(reuse.status).toBe(400);
      expect(h1(reuse.text)).toBe('This password reset link is not valid');
      expect(await canSignIn(user.email, 'Another-Brand-New-Pass-9')).toBe(false);
      expect(await canSignIn(user.email, 'Velvet-Compass-Orchard-3')).toBe(true);
      expect(await auditRows(t, 'user.password_reset', user.id)).toHaveLength(1);
    });

    it('refuses an expired link and leaves the password alone', async () => {
      const user = await createUser(t);
      const link = await requestReset(user);
      // Test set-up: the hour has passed.
      await t.dataSource.query(`UPDATE security_token SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND purpose = 'reset_password'`, [
        user.id,
      ]);
      const res = await useLink(link, 'Velvet-Compass-Orchard-3');
      expect(res.status).toBe(400);
      expect(h1(res.text)).toBe('This password reset link is not valid');
      expect(await canSignIn(user.email, 'Velvet-Compass-Orchard-3')).toBe(false);
      expect(await canSignIn(user.email, user.password)).toBe(true);
    });

    it('lets a newer link kill an older one, and refuses a weak new password without using up the link', async () => {
      const user = await createUser(t);
      const older = await requestReset(user);
      const newer = await requestReset(user);
      const weak = await useLink(newer, 'password12345');
      expect(weak.status).toBe(400);
      expect(errorSummary(weak.text)).toContain('Password is too common');
      expect((await useLink(newer, 'Velvet-Compass-Orchard-3')).status).not.toBe(400);
      expect(h1((await useLink(older, 'Older-Link-Password-55')).text)).toBe('This password reset link is not valid');
      expect(await canSignIn(user.email, 'Velvet-Compass-Orchard-3')).toBe(true);
    });
  });

  // ---- staff administration ---------------------------------------------------------------

  describe('staff administration', () => {
    it('invites staff by email; the link sets a password once; role changes apply to a live session at once; all audited', async () => {
      const admin = await createUser(t, ['admin']);
      const adminAgent = await signIn(t, admin);
      const email = uniqueEmail('new.assessor');
      const csrf = await csrfOf(adminAgent, '/admin/users/invite');
      const invited = await adminAgent
        .post('/admin/users/invite')
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrf)}&fullName=Olu+Adebayo&email=${encodeURIComponent(email)}&roles=assessor&roles=auditor`);
      expect(invited.status).toBe(303);
      const [staff] = await t.dataSource.query(`SELECT id, roles, password_hash FROM user_account WHERE email = $1`, [email]);
      expect(staff).toMatchObject({ roles: ['assessor', 'auditor'], password_hash: null });
      expect(invited.headers.location).toBe(`/admin/users/${staff.id}?invited=1`);
      expect(await auditRows(t, 'user.staff_invited', staff.id)).toEqual([expect.objectContaining({ actor_id: admin.id })]);
      // No password yet, so no way in.
      expect(await canSignIn(email, 'Anything-At-All-123')).toBe(false);

      const [mail] = await emailsTo(t, email);
      expect(mail.template).toBe('staff-invitation');
      const link = linkIn(mail.text_body, '/staff-invitation');
      const staffAgent = request.agent(t.http);
      const page = await staffAgent.get(link).expect(200);
      const token = /name="token" value="([^"]+)"/.exec(page.text)![1];
      const weak = await staffAgent
        .post('/staff-invitation')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'password12345', confirmPassword: 'password12345' });
      expect(weak.status).toBe(400);
      const accepted = await staffAgent
        .post('/staff-invitation')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'Granite-Willow-Beacon-8', confirmPassword: 'Granite-Willow-Beacon-8' });
      expect(accepted.status).toBe(303);
      expect((await meVia(staffAgent).expect(200)).body).toMatchObject({ id: staff.id, roles: ['assessor', 'auditor'], emailVerified: true });
      expect((await request(t.http).get(link)).status).toBe(400);
      expect(await auditRows(t, 'user.staff_invitation_accepted', staff.id)).toHaveLength(1);

      const userPage = await adminAgent.get(`/admin/users/${staff.id}`).expect(200);
      const changed = await adminAgent
        .post(`/admin/users/${staff.id}/roles`)
        .type('form')
        .send(`_csrf=${encodeURIComponent(csrfFrom(userPage.text))}&roles=fund_manager`);
      expect(changed.status).toBe(303);
      const now = (await meVia(staffAgent).expect(200)).body;
      expect(now.roles).toEqual(['fund_manager']);
      expect(now.permissions).toContain('applications:view-all');
      expect(now.permissions).not.toContain('assessments:score');
      const [audit] = await auditRows(t, 'user.roles_changed', staff.id);
      expect(audit).toMatchObject({ actor_id: admin.id, before: { roles: ['assessor', 'auditor'] }, after: { roles: ['fund_manager'] } });
    });

    it('keeps GET /api/v1/users and the admin pages for admins only', async () => {
      const applicantToken = await tokenFor(t, await createUser(t));
      const auditorToken = await tokenFor(t, await createUser(t, ['auditor']));
      const adminToken = await tokenFor(t, await createUser(t, ['admin']));
      expect((await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${applicantToken}`)).status).toBe(403);
      expect((await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${auditorToken}`)).status).toBe(403);
      expect((await request(t.http).get('/api/v1/users')).status).toBe(401);
      const users = await request(t.http).get('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).expect(200);
      expect(JSON.stringify(users.body)).not.toMatch(/argon2|password|mfaSecret/i);
      expect((await (await signIn(t, await createUser(t))).get('/admin/users')).status).toBe(403);
    });
  });

  // ---- deactivation -----------------------------------------------------------------------

  describe('deactivation', () => {
    it('takes effect at once: live session, API token and future sign-ins all refused; audited', async () => {
      const admin = await createUser(t, ['admin']);
      const target = await createUser(t);
      const targetAgent = await signIn(t, target);
      const token = await tokenFor(t, target);
      await targetAgent.get('/account').expect(200);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);

      const adminAgent = await signIn(t, admin);
      const page = await adminAgent.get(`/admin/users/${target.id}`).expect(200);
      expect(page.text).toContain(`action="/admin/users/${target.id}/deactivate"`);
      const res = await adminAgent
        .post(`/admin/users/${target.id}/deactivate`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users/${target.id}`);

      const next = await targetAgent.get('/account');
      expect(next.status).toBe(303);
      expect(next.headers.location).toBe('/sign-in?returnTo=%2Faccount');
      expect((await meVia(targetAgent)).status).toBe(401);
      const api = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
      expect(api.status).toBe(401);
      expect(api.body.error).toBe('identity.invalid_token');
      expect(await sessionsOf(target.id)).toHaveLength(0);
      expect(await t.dataSource.query(`SELECT 1 FROM api_token WHERE user_id = $1 AND revoked_at IS NULL`, [target.id])).toHaveLength(0);

      const again = await postSignIn(request.agent(t.http), target.email, target.password);
      expect(again.status).toBe(401);
      expect(errorSummary(again.text)).toContain('Enter a correct email address and password');
      expect((await request(t.http).post('/api/v1/auth/tokens').send({ email: target.email, password: target.password })).status).toBe(401);

      const [audit] = await auditRows(t, 'user.deactivated', target.id);
      expect(audit).toMatchObject({ entity_type: 'user_account', actor_id: admin.id, before: { status: 'active' }, after: { status: 'deactivated' } });
      const users = await adminAgent.get('/api/v1/users').expect(200);
      expect(users.body.items.find((u: { id: string }) => u.id === target.id).status).toBe('deactivated');
      // The admin's own session is untouched.
      expect((await meVia(adminAgent).expect(200)).body.id).toBe(admin.id);
    });

    it('refuses deactivation to anyone without the users permission, and an admin cannot deactivate themselves', async () => {
      const admin = await createUser(t, ['admin']);
      const target = await createUser(t);
      const assessor = await signIn(t, await createUser(t, ['assessor']));
      const csrf = await csrfOf(assessor, '/account');
      expect((await assessor.post(`/admin/users/${target.id}/deactivate`).type('form').send({ _csrf: csrf })).status).toBe(403);
      const adminAgent = await signIn(t, admin);
      const own = await csrfOf(adminAgent, `/admin/users/${admin.id}`);
      expect((await adminAgent.post(`/admin/users/${admin.id}/deactivate`).type('form').send({ _csrf: own })).status).toBe(403);
      expect((await userRow(target.id)).status).toBe('active');
      expect((await userRow(admin.id)).status).toBe('active');
    });
  });
});
