import request from 'supertest';
import { MfaService } from '../../src/modules/identity/mfa.service';
import { Clock } from '../../src/platform/clock';
import * as secrets from '../../src/modules/identity/secrets';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { type Agent, auditRows, clearThrottle, csrfOf, emailsTo, freshStep, linkIn, postSignIn, totpAt, wrongCode } from './identity-support';

// The test compiler (swc) exports a module's functions as read-only getters; a plain copy of the
// module's exports lets jest.spyOn below replace one, and every importer in this file sees the spy.
jest.mock('../../src/modules/identity/secrets', () => ({ __esModule: true, ...jest.requireActual<object>('../../src/modules/identity/secrets') }));

/**
 * Issue 7, identity findings 1, 2 and 11: the brute-force limits hold under concurrency, a
 * password reset ends every session and API token, and anonymous page views start no session.
 */
describe('identity hardening: concurrent throttling, reset sign-out, anonymous sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));
  afterEach(() => jest.restoreAllMocks());

  const createToken = (body: Record<string, unknown>) => request(t.http).post('/api/v1/auth/tokens').send(body);
  const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);
  const count = (list: number[], status: number) => list.filter((s) => s === status).length;

  // An account gets 5 free failures; the 6th is still checked and starts a 2-second delay. An IP
  // gets 20 and then the 21st. Everything past those in one burst must be refused unchecked.
  const ACCOUNT_ALLOWED = 6;
  const IP_ALLOWED = 21;

  // The throttle decides by the injected clock, which stands still during these bursts (see the
  // beforeEach below): no delay can end part-way through, however slow the machine, so the
  // allowances are exact.

  describe('throttling holds under concurrency', () => {
    beforeEach(() => t.app.get(Clock).set(new Date()));
    afterEach(() => t.app.get(Clock).set(null));

    it('checks at most the allowed number of 50 parallel wrong passwords to POST /api/v1/auth/tokens', async () => {
      const user = await createUser(t);
      const verify = jest.spyOn(secrets, 'verifyPassword');
      const results = statuses(await Promise.all(Array.from({ length: 50 }, (_, i) => createToken({ email: user.email, password: `wrong-password-${i}` }))));
      expect(count(results, 401) + count(results, 429)).toBe(50);
      // Every response that is not a 429 is a password that was checked.
      expect(50 - count(results, 429)).toBeLessThanOrEqual(ACCOUNT_ALLOWED);
      expect(50 - count(results, 429)).toBeGreaterThanOrEqual(1);
      expect(verify.mock.calls.length).toBe(50 - count(results, 429));
      // A refused attempt counts nowhere: the count is exactly the attempts that were checked.
      const [row] = await t.dataSource.query(`SELECT failures FROM auth_throttle WHERE key = $1`, [`account:${user.email}`]);
      expect(row.failures).toBe(50 - count(results, 429));
    });

    it('checks at most the allowed number of 50 parallel wrong passwords on the sign-in page', async () => {
      const user = await createUser(t);
      const agents = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const agent = request.agent(t.http);
          return { agent, csrf: await csrfOf(agent, '/sign-in') };
        }),
      );
      const verify = jest.spyOn(secrets, 'verifyPassword');
      const results = statuses(
        await Promise.all(
          agents.map(({ agent, csrf }, i) =>
            agent
              .post('/sign-in')
              .type('form')
              .send({ _csrf: csrf, email: user.email, password: `wrong-password-${i}` }),
          ),
        ),
      );
      expect(count(results, 401) + count(results, 429)).toBe(50);
      expect(50 - count(results, 429)).toBeLessThanOrEqual(ACCOUNT_ALLOWED);
      expect(verify.mock.calls.length).toBe(50 - count(results, 429));
    });

    it('checks at most the allowed number of 50 parallel guesses from one IP address at 50 different accounts', async () => {
      const verify = jest.spyOn(secrets, 'verifyPassword');
      const results = statuses(
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => createToken({ email: `spray.${i}.${Date.now()}@example.org`, password: 'Guessing-Password-1' })),
        ),
      );
      expect(count(results, 401) + count(results, 429)).toBe(50);
      expect(50 - count(results, 429)).toBeLessThanOrEqual(IP_ALLOWED);
      expect(verify.mock.calls.length).toBe(50 - count(results, 429));
    });

    /** A user with MFA switched on through the service. */
    async function userWithMfa(): Promise<TestUser & { secret: string; step: number }> {
      const user = await createUser(t);
      const step = await freshStep(15);
      const mfa = t.app.get(MfaService);
      const { secret } = mfa.newEnrolment(user.email);
      await mfa.confirmEnrolment(user.id, secret, totpAt(secret, step - 1));
      return { ...user, secret, step };
    }

    it('checks at most the allowed number of 50 parallel second-factor codes through the API (right password, wrong code)', async () => {
      const user = await userWithMfa();
      const verify = jest.spyOn(t.app.get(MfaService), 'verify');
      const results = await Promise.all(
        Array.from({ length: 50 }, () => createToken({ email: user.email, password: user.password, otp: wrongCode(user.secret) })),
      );
      const checked = results.filter((r) => r.body.error === 'identity.otp_invalid').length;
      expect(checked + count(statuses(results), 429)).toBe(50);
      expect(checked).toBeLessThanOrEqual(ACCOUNT_ALLOWED);
      expect(verify.mock.calls.length).toBe(checked);
      // And the right code is now refused too.
      expect((await createToken({ email: user.email, password: user.password, otp: totpAt(user.secret, user.step) })).status).toBe(429);
    });

    it('checks at most the allowed number of 50 parallel codes on the second-factor page', async () => {
      const user = await userWithMfa();
      // 50 browsers that each got past the password (sequentially: a right password gives its
      // own reservation back, so this uses up none of the budget).
      const agents: { agent: Agent; csrf: string }[] = [];
      for (let i = 0; i < 50; i++) {
        const agent = request.agent(t.http);
        const res = await postSignIn(agent, user.email, user.password);
        expect([res.status, res.headers.location]).toEqual([303, '/sign-in/code']);
        agents.push({ agent, csrf: await csrfOf(agent, '/sign-in/code') });
      }
      const verify = jest.spyOn(t.app.get(MfaService), 'verify');
      const results = statuses(
        await Promise.all(
          agents.map(({ agent, csrf }) =>
            agent
              .post('/sign-in/code')
              .type('form')
              .send({ _csrf: csrf, code: wrongCode(user.secret) }),
          ),
        ),
      );
      expect(count(results, 401) + count(results, 429)).toBe(50);
      expect(count(results, 401)).toBeLessThanOrEqual(ACCOUNT_ALLOWED);
      expect(verify.mock.calls.length).toBe(count(results, 401));
    });
  });

  describe('a password reset signs the account out everywhere', () => {
    it('revokes every API token and ends every session in the same transaction as the new password', async () => {
      const user = await createUser(t);
      const token = await tokenFor(t, user);
      const other = await tokenFor(t, user);
      const browser = await signIn(t, user);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
      await browser.get('/api/v1/me').expect(200);

      const agent = request.agent(t.http);
      const form = await agent.get('/forgot-password').expect(200);
      expect(
        (
          await agent
            .post('/forgot-password')
            .type('form')
            .send({ _csrf: csrfFrom(form.text), email: user.email })
        ).status,
      ).toBe(200);
      const link = linkIn((await emailsTo(t, user.email)).at(-1)!.text_body, '/reset-password');
      const resetPage = await agent.get(link).expect(200);
      const newPassword = 'A brand new long passphrase 42';
      const done = await agent
        .post('/reset-password')
        .type('form')
        .send({
          _csrf: csrfFrom(resetPage.text),
          token: new URL(link, 'http://x').searchParams.get('token'),
          password: newPassword,
          confirmPassword: newPassword,
        });
      expect(done.status).toBe(200);

      for (const bearer of [token, other]) {
        const res = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${bearer}`);
        expect(res.status).toBe(401);
      }
      expect((await browser.get('/api/v1/me')).status).toBe(401);
      const tokens = await t.dataSource.query(`SELECT revoked_at FROM api_token WHERE user_id = $1`, [user.id]);
      expect(tokens).toHaveLength(2);
      expect(tokens.every((r: { revoked_at: Date | null }) => r.revoked_at !== null)).toBe(true);
      expect(await t.dataSource.query(`SELECT 1 FROM http_session WHERE user_id = $1`, [user.id])).toHaveLength(0);
      const [audit] = await auditRows(t, 'user.password_reset', user.id);
      expect(audit.after).toEqual({ apiTokensRevoked: 2 });

      // The new password works, and makes a working token again.
      const fresh = await createToken({ email: user.email, password: newPassword });
      expect(fresh.status).toBe(201);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${fresh.body.token}`).expect(200);
    });
  });

  describe('anonymous page views start no session', () => {
    const sessionCount = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM http_session`))[0].n);

    it('20 anonymous views of the start page, the funds list and a round page write no http_session row and set no cookie', async () => {
      const { VF } = await seedFunds(t);
      const manager = await staffMember(t, 'fund_manager');
      const round = await createPublishedRound(t, manager, roundBody(VF));
      const before = await sessionCount();
      for (let i = 0; i < 20; i++) {
        for (const path of ['/', '/funds', `/funds/${round.id}`]) {
          const res = await request(t.http).get(path);
          expect([path, res.status]).toEqual([path, 200]);
          expect([path, res.headers['set-cookie']]).toEqual([path, undefined]);
        }
      }
      expect(await sessionCount()).toBe(before);
    });

    it('the sign-in and register forms still carry a working CSRF token, and a POST without it is refused', async () => {
      const user = await createUser(t);
      // Without a token: refused.
      const bare = request.agent(t.http);
      await bare.get('/sign-in').expect(200);
      expect((await bare.post('/sign-in').type('form').send({ email: user.email, password: user.password })).status).toBe(403);
      // With the token the page printed: signed in.
      const agent = request.agent(t.http);
      expect((await postSignIn(agent, user.email, user.password)).status).toBe(303);
      await agent.get('/api/v1/me').expect(200);

      const reg = request.agent(t.http);
      const page = await reg.get('/register').expect(200);
      expect(
        (
          await reg
            .post('/register')
            .type('form')
            .send({
              fullName: 'No Token',
              email: `no.token.${Date.now()}@example.org`,
              password: 'A long enough passphrase 7',
              confirmPassword: 'A long enough passphrase 7',
            })
        ).status,
      ).toBe(403);
      const email = `with.token.${Date.now()}@example.org`;
      const ok = await reg
        .post('/register')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          fullName: 'With Token',
          email,
          password: 'A long enough passphrase 7',
          confirmPassword: 'A long enough passphrase 7',
        });
      expect(ok.status).toBe(200);
      expect((await emailsTo(t, email)).map((e) => e.template)).toEqual(['verify-email']);
    });
  });
});
