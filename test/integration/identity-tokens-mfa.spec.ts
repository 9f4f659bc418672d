import { randomBytes } from 'node:crypto';
import { DataCipher, DataCipherError } from '@pcc/crypto';
import request from 'supertest';
import { MfaService } from '../../src/modules/identity/mfa.service';
import { DATA_CIPHER } from '../../src/platform/crypto';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  type Agent,
  auditRows,
  clearThrottle,
  csrfOf,
  currentStep,
  enrolThroughPages,
  errorSummary,
  freshStep,
  postSignIn,
  sessionCookieFrom,
  sidOf,
  totpAt,
  wrongCode,
} from './identity-support';

/**
 * API tokens, brute-force throttling and MFA, through the real HTTP stack on a real database.
 * Every test starts with no throttle counters: all requests share one client IP, whose own
 * counter would otherwise carry failures from one test into the next.
 */
describe('identity: API tokens, throttling and MFA', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));

  const me = (token: string) => request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  const createToken = (body: Record<string, unknown>) => request(t.http).post('/api/v1/auth/tokens').send(body);
  const tokenRows = (userId: string): Promise<{ id: string; revoked_at: Date | null }[]> =>
    t.dataSource.query(`SELECT id, revoked_at FROM api_token WHERE user_id = $1 ORDER BY created_at`, [userId]);

  // ---- API tokens -----------------------------------------------------------------------------

  describe('API tokens', () => {
    it('exchanges email and password for a token that works as a bearer token and is stored only as a hash', async () => {
      const user = await createUser(t);
      const res = await createToken({ email: user.email.toUpperCase(), password: user.password, name: 'my script' });
      expect(res.status).toBe(201);
      expect(res.body.token).toMatch(/^pccg_[A-Za-z0-9_-]{43}$/);
      const expiresAt = new Date(res.body.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThan(Date.now() + 89 * 24 * 3600_000);
      expect(expiresAt).toBeLessThan(Date.now() + 91 * 24 * 3600_000);

      const who = await me(res.body.token).expect(200);
      expect(who.body).toMatchObject({ id: user.id, email: user.email, emailVerified: true, mfaEnabled: false, roles: [], organisations: [] });

      const [row] = await t.dataSource.query(`SELECT token_hash, prefix, name FROM api_token WHERE id = $1`, [res.body.id]);
      expect(row.name).toBe('my script');
      expect(row.token_hash).not.toContain(res.body.token);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.token.startsWith(row.prefix)).toBe(true);
      expect(await auditRows(t, 'api_token.created', res.body.id)).toHaveLength(1);
    });

    it('refuses an expired token with 401', async () => {
      const user = await createUser(t);
      const token = await tokenFor(t, user);
      await me(token).expect(200);
      // Test set-up: age the token (created_at too, so it still satisfies the lifetime CHECK).
      await t.dataSource.query(`UPDATE api_token SET created_at = now() - interval '91 days', expires_at = now() - interval '1 second' WHERE user_id = $1`, [
        user.id,
      ]);
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('identity.invalid_token');
      // And the account page shows it as expired, with no revoke button.
      const agent = await signIn(t, user);
      const page = await agent.get('/account').expect(200);
      expect(page.text).toMatch(/<td class="govuk-table__cell">Expired<\/td>/);
      expect(page.text).not.toContain('/revoke"');
    });

    it('revokes a token through DELETE /api/v1/auth/tokens/:id (bearer, no CSRF needed) and refuses it afterwards', async () => {
      const user = await createUser(t);
      const keep = await tokenFor(t, user);
      const created = await createToken({ email: user.email, password: user.password }).expect(201);
      const list = await request(t.http).get('/api/v1/auth/tokens').set('Authorization', `Bearer ${keep}`).expect(200);
      expect(list.body.map((x: { id: string }) => x.id)).toContain(created.body.id);
      expect(JSON.stringify(list.body)).not.toContain(created.body.token);

      await request(t.http).delete(`/api/v1/auth/tokens/${created.body.id}`).set('Authorization', `Bearer ${keep}`).expect(204);

      const res = await me(created.body.token);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('identity.invalid_token');
      await me(keep).expect(200);
      const rows = await tokenRows(user.id);
      expect(rows.find((r) => r.id === created.body.id)!.revoked_at).toBeInstanceOf(Date);
      const [audit] = await auditRows(t, 'api_token.revoked', created.body.id);
      expect(audit).toMatchObject({ entity_type: 'api_token', actor_id: user.id });
    });

    it('revokes a token from the account page', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const page = await agent.get('/account').expect(200);
      const made = await agent
        .post('/account/tokens')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), name: 'laptop' });
      expect(made.status).toBe(200);
      const token = /<code class="app-token" id="new-token">([^<]+)<\/code>/.exec(made.text)![1];
      await me(token).expect(200);
      const [{ id }] = await tokenRows(user.id);
      expect(made.text).toContain(`/account/tokens/${id}/revoke`);

      const revoked = await agent
        .post(`/account/tokens/${id}/revoke`)
        .type('form')
        .send({ _csrf: csrfFrom(made.text) });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.location).toBe('/account#api-tokens');

      expect((await me(token)).status).toBe(401);
      const after = await agent.get('/account').expect(200);
      expect(after.text).toMatch(/<td class="govuk-table__cell">Revoked<\/td>/);
      expect(await auditRows(t, 'api_token.revoked', id)).toHaveLength(1);
    });

    it("cannot revoke another user's token: 404 through the API and the page, and the token keeps working", async () => {
      const owner = await createUser(t);
      const other = await createUser(t);
      const ownersToken = await tokenFor(t, owner);
      const [{ id }] = await tokenRows(owner.id);
      const othersToken = await tokenFor(t, other);

      const api = await request(t.http).delete(`/api/v1/auth/tokens/${id}`).set('Authorization', `Bearer ${othersToken}`);
      expect(api.status).toBe(404);
      // Looks exactly like an id that does not exist.
      const missing = await request(t.http).delete(`/api/v1/auth/tokens/00000000-0000-4000-8000-000000000000`).set('Authorization', `Bearer ${othersToken}`);
      expect(missing.status).toBe(404);
      expect({ ...api.body, requestId: null }).toEqual({ ...missing.body, requestId: null });

      const agent = await signIn(t, other);
      const csrf = await csrfOf(agent, '/account');
      const page = await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf });
      expect(page.status).toBe(404);

      await me(ownersToken).expect(200);
      expect((await tokenRows(owner.id))[0].revoked_at).toBeNull();
      expect(await auditRows(t, 'api_token.revoked', id)).toHaveLength(0);
    });

    it('refuses a made-up bearer token rather than treating the request as anonymous', async () => {
      for (const bogus of ['pccg_not-a-real-token', 'something-else']) {
        const res = await me(bogus);
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('identity.invalid_token');
      }
    });
  });

  // ---- throttling ---------------------------------------------------------------------------

  describe('throttling', () => {
    const throttleRow = async (key: string): Promise<{ failures: number; wait: number | null } | undefined> =>
      (await t.dataSource.query(`SELECT failures, ceil(extract(epoch FROM blocked_until - now()))::int AS wait FROM auth_throttle WHERE key = $1`, [key]))[0];
    /** What an attacker waiting out the delay would see: the block lifted, the count kept. */
    const liftBlock = (key: string) => t.dataSource.query(`UPDATE auth_throttle SET blocked_until = now() - interval '1 second' WHERE key = $1`, [key]);
    const waitIn = (message: string) => Number(/Wait (\d+) seconds?/.exec(message)?.[1]);
    const signInMessage = (html: string) => errorSummary(html).replace(/^There is a problem /, '');

    it('delays an account after repeated wrong passwords, with growing waits; a correct password during the block is refused; the block lifts', async () => {
      const user = await createUser(t);
      const agent = request.agent(t.http);
      const key = `account:${user.email}`;
      for (let i = 1; i <= 5; i++) {
        const res = await postSignIn(agent, user.email, `wrong-password-${i}`);
        expect(res.status).toBe(401);
        expect(signInMessage(res.text)).toBe('Enter a correct email address and password');
      }
      expect(await throttleRow(key)).toEqual({ failures: 5, wait: null });

      // The sixth failure starts the delays: 2 s, then 4 s, then 8 s.
      const delays: number[] = [];
      for (let round = 0; round < 3; round++) {
        expect((await postSignIn(agent, user.email, 'still-wrong-password')).status).toBe(401);
        const [{ delay }] = await t.dataSource.query(
          `SELECT round(extract(epoch FROM blocked_until - last_failure_at))::int AS delay FROM auth_throttle WHERE key = $1`,
          [key],
        );
        delays.push(delay);
        const blocked = await postSignIn(agent, user.email, user.password);
        expect(blocked.status).toBe(429);
        expect(signInMessage(blocked.text)).toMatch(/^Too many attempts\. Wait \d+ seconds? and try again\.$/);
        // The page tells them what is left of the delay.
        const shown = waitIn(errorSummary(blocked.text));
        expect(shown).toBeGreaterThanOrEqual(1);
        expect(shown).toBeLessThanOrEqual(delay);
        expect((await throttleRow(key))!.failures).toBe(6 + round);
        await liftBlock(key);
      }
      expect(delays).toEqual([2, 4, 8]);
      // Through all of that the correct password never signed them in.
      expect((await agent.get('/api/v1/me')).status).toBe(401);
      const [{ last_signed_in_at }] = await t.dataSource.query(`SELECT last_signed_in_at FROM user_account WHERE id = $1`, [user.id]);
      expect(last_signed_in_at).toBeNull();

      // Not a lock-out: once the wait is over, the right password works and clears the count.
      const ok = await postSignIn(agent, user.email, user.password);
      expect(ok.status).toBe(303);
      expect((await agent.get('/api/v1/me').expect(200)).body.id).toBe(user.id);
      expect(await throttleRow(key)).toBeUndefined();
    });

    it('behaves exactly the same for an email that has no account', async () => {
      const user = await createUser(t);
      const nobody = `nobody.${Date.now()}@example.org`;
      const outcomes: Record<string, string[]> = { known: [], unknown: [] };
      for (let i = 0; i < 8; i++) {
        for (const [who, email] of [
          ['known', user.email],
          ['unknown', nobody],
        ] as const) {
          const res = await postSignIn(request.agent(t.http), email, `wrong-password-${i}`);
          // The remaining wait may differ by a second between the two; nothing else may.
          outcomes[who].push(`${res.status} ${signInMessage(res.text).replace(/Wait \d+ seconds?/, 'Wait N seconds')}`);
        }
      }
      expect(outcomes.unknown).toEqual(outcomes.known);
      expect(outcomes.known.slice(0, 6).every((o) => o === '401 Enter a correct email address and password')).toBe(true);
      expect(outcomes.known[6]).toMatch(/^429 Too many attempts/);
      expect(await throttleRow(`account:${nobody}`)).toMatchObject({ failures: 6 });
    });

    it('throttles POST /api/v1/auth/tokens the same way, and issues no token while blocked', async () => {
      const user = await createUser(t);
      for (let i = 1; i <= 6; i++) {
        const res = await createToken({ email: user.email, password: `wrong-password-${i}` });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('identity.invalid_credentials');
      }
      const blocked = await createToken({ email: user.email, password: user.password });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('identity.too_many_attempts');
      expect(blocked.body.message).toMatch(/Wait [12] seconds?/);
      expect(await tokenRows(user.id)).toHaveLength(0);

      await liftBlock(`account:${user.email}`);
      const ok = await createToken({ email: user.email, password: user.password });
      expect(ok.status).toBe(201);
      await me(ok.body.token).expect(200);
    });

    it('throttles one IP address trying many different accounts', async () => {
      const victim = await createUser(t);
      // 20 free failures per IP, each on a different email, so no account counter is involved.
      for (let i = 0; i < 21; i++) {
        const res = await createToken({ email: `spray.${i}.${Date.now()}@example.org`, password: 'Guessing-Password-1' });
        expect(res.status).toBe(401);
      }
      const res = await postSignIn(request.agent(t.http), victim.email, victim.password);
      expect(res.status).toBe(429);
      expect((await createToken({ email: victim.email, password: victim.password })).status).toBe(429);
      // The victim's own account counter is untouched: the block is on the address.
      expect(await throttleRow(`account:${victim.email}`)).toBeUndefined();
      const [ip] = await t.dataSource.query(`SELECT failures FROM auth_throttle WHERE key LIKE 'ip:%'`);
      expect(ip.failures).toBe(21);
    });
  });

  // ---- MFA ----------------------------------------------------------------------------------

  describe('MFA', () => {
    /** Password step of a sign-in for an account with MFA: must stop at the code page. */
    async function passwordStep(user: TestUser): Promise<Agent> {
      const agent = request.agent(t.http);
      const res = await postSignIn(agent, user.email, user.password);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/sign-in/code');
      return agent;
    }
    async function codeStep(agent: Agent, code: string) {
      const csrf = await csrfOf(agent, '/sign-in/code');
      return agent.post('/sign-in/code').type('form').send({ _csrf: csrf, code });
    }
    /** A user with MFA switched on through the service, and the step their enrolment used. */
    async function userWithMfa(): Promise<TestUser & { secret: string; recoveryCodes: string[]; step: number }> {
      const user = await createUser(t);
      const step = await freshStep();
      const mfa = t.app.get(MfaService);
      const { secret } = mfa.newEnrolment(user.email);
      const recoveryCodes = await mfa.confirmEnrolment(user.id, secret, totpAt(secret, step - 1));
      return { ...user, secret, recoveryCodes, step };
    }

    it('enrols through the pages, then sign-in needs the code; a wrong code is refused and a used code cannot be replayed', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const step = await freshStep();

      // A wrong code does not turn MFA on.
      const setup = await agent.get('/account/mfa').expect(200);
      const secret = /<code id="mfa-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(setup.text)![1];
      // While it waits to be confirmed, the secret is in the session (stored in PostgreSQL), encrypted.
      const [session] = await t.dataSource.query(`SELECT sess::text AS sess FROM http_session WHERE user_id = $1`, [user.id]);
      expect(session.sess).toContain('mfaEnrolmentSecret');
      expect(session.sess).not.toContain(secret);
      const bad = await agent
        .post('/account/mfa')
        .type('form')
        .send({ _csrf: csrfFrom(setup.text), code: wrongCode(secret) });
      expect(bad.status).toBe(400);
      expect(errorSummary(bad.text)).toContain('The code is not correct or has expired');
      const [before] = await t.dataSource.query(`SELECT mfa_enabled_at FROM user_account WHERE id = $1`, [user.id]);
      expect(before.mfa_enabled_at).toBeNull();

      const { secret: enrolled, recoveryCodes } = await enrolThroughPages(agent, (s) => totpAt(s, step - 1));
      expect(enrolled).not.toBe(secret); // a new secret for each visit to the set-up page
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      recoveryCodes.forEach((c) => expect(c).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/));
      const [row] = await t.dataSource.query(`SELECT mfa_enabled_at, mfa_secret FROM user_account WHERE id = $1`, [user.id]);
      expect(row.mfa_enabled_at).toBeInstanceOf(Date);
      // Stored encrypted for its column, with the app's key: not the secret, nor anything that
      // reads as it elsewhere.
      expect(row.mfa_secret).not.toContain(enrolled);
      expect(row.mfa_secret).toMatch(/^v1\./);
      const cipher = t.app.get<DataCipher>(DATA_CIPHER);
      expect(cipher.decrypt(row.mfa_secret, 'user_account.mfa_secret')).toBe(enrolled);
      expect(() => cipher.decrypt(row.mfa_secret, 'http_session.mfa_enrolment_secret')).toThrow(DataCipherError);
      expect(await t.dataSource.query(`SELECT 1 FROM mfa_recovery_code WHERE user_id = $1 AND used_at IS NULL`, [user.id])).toHaveLength(10);
      expect(await auditRows(t, 'user.mfa_enabled', user.id)).toHaveLength(1);
      // Once on, the set-up page cannot be used to replace the secret.
      expect((await agent.get('/account/mfa')).headers.location).toBe('/account');

      // Password alone no longer signs in.
      const second = await passwordStep(user);
      // (The session cookie rolls, so every response carries it.)
      const pendingSid = sidOf(sessionCookieFrom(await second.get('/sign-in/code').expect(200))!);
      expect((await second.get('/api/v1/me')).status).toBe(401);
      const account = await second.get('/account');
      expect(account.status).toBe(303);
      expect(account.headers.location).toMatch(/^\/sign-in\?returnTo=/);

      const wrong = await codeStep(second, wrongCode(enrolled));
      expect(wrong.status).toBe(401);
      expect(errorSummary(wrong.text)).toContain('The code is not correct or has expired');
      expect((await second.get('/api/v1/me')).status).toBe(401);

      const code = totpAt(enrolled, step);
      const ok = await codeStep(second, code);
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/applications');
      // The session is regenerated at the second step too.
      expect(sidOf(sessionCookieFrom(ok)!)).not.toBe(pendingSid);
      expect((await second.get('/api/v1/me').expect(200)).body).toMatchObject({ id: user.id, mfaEnabled: true });

      // Someone who watched that code being typed cannot use it again.
      const third = await passwordStep(user);
      const replay = await codeStep(third, code);
      expect(replay.status).toBe(401);
      expect((await third.get('/api/v1/me')).status).toBe(401);
      // The next step's code still works.
      expect((await codeStep(third, totpAt(enrolled, step + 1))).status).toBe(303);
      expect((await third.get('/api/v1/me')).status).toBe(200);
    });

    it('answers a stored secret that will not decrypt (another key, an altered row) with a server error, not "wrong code"', async () => {
      const user = await userWithMfa();
      const otherKey = new DataCipher(randomBytes(32));
      await t.dataSource.query(`UPDATE user_account SET mfa_secret = $2 WHERE id = $1`, [user.id, otherKey.encrypt(user.secret, 'user_account.mfa_secret')]);
      const agent = await passwordStep(user);
      // "Wrong code" would have them try again and again until the throttle locked them out.
      expect((await codeStep(agent, totpAt(user.secret, user.step))).status).toBe(500);
      expect((await agent.get('/api/v1/me')).status).toBe(401);
    });

    it('starts set-up again when the session holds a secret that cannot be read', async () => {
      const user = await createUser(t);
      const agent = await signIn(t, user);
      const setup = await agent.get('/account/mfa').expect(200);
      const secret = /<code id="mfa-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(setup.text)![1];
      // As a session from before the secret was sealed would hold it: in clear.
      await t.dataSource.query(`UPDATE http_session SET sess = jsonb_set(sess::jsonb, '{mfaEnrolmentSecret}', to_jsonb($2::text))::json WHERE user_id = $1`, [
        user.id,
        secret,
      ]);
      const res = await agent
        .post('/account/mfa')
        .type('form')
        .send({ _csrf: csrfFrom(setup.text), code: totpAt(secret, currentStep()) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/mfa');
      const [row] = await t.dataSource.query(`SELECT mfa_enabled_at, mfa_secret FROM user_account WHERE id = $1`, [user.id]);
      expect(row).toEqual({ mfa_enabled_at: null, mfa_secret: null });
    });

    it('accepts a recovery code instead of the app, once only', async () => {
      const user = await userWithMfa();
      const [recovery] = user.recoveryCodes;

      const first = await passwordStep(user);
      // Typed the way people type: upper case, with spaces.
      const ok = await codeStep(first, ` ${recovery.toUpperCase().replace('-', ' ')} `);
      expect(ok.status).toBe(303);
      expect((await first.get('/api/v1/me').expect(200)).body.id).toBe(user.id);
      expect(await t.app.get(MfaService).remainingRecoveryCodes(user.id)).toBe(9);
      expect(await auditRows(t, 'user.mfa_recovery_code_used', user.id)).toHaveLength(1);

      const again = await passwordStep(user);
      const reused = await codeStep(again, recovery);
      expect(reused.status).toBe(401);
      expect((await again.get('/api/v1/me')).status).toBe(401);
      expect(await t.app.get(MfaService).remainingRecoveryCodes(user.id)).toBe(9);

      // Another user's recovery code is no good either.
      const other = await userWithMfa();
      expect((await codeStep(again, other.recoveryCodes[0])).status).toBe(401);
      expect(await t.app.get(MfaService).remainingRecoveryCodes(other.id)).toBe(10);
    });

    it('requires the code for POST /api/v1/auth/tokens once MFA is on', async () => {
      const user = await userWithMfa();
      const missing = await createToken({ email: user.email, password: user.password });
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ error: 'identity.otp_required', details: [{ field: 'otp', rule: 'required' }] });

      const wrong = await createToken({ email: user.email, password: user.password, otp: wrongCode(user.secret) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('identity.otp_invalid');
      expect(await tokenRows(user.id)).toHaveLength(0);

      const otp = totpAt(user.secret, user.step);
      const ok = await createToken({ email: user.email, password: user.password, otp });
      expect(ok.status).toBe(201);
      expect((await me(ok.body.token).expect(200)).body.mfaEnabled).toBe(true);
      // The same code cannot mint a second token.
      const replay = await createToken({ email: user.email, password: user.password, otp });
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('identity.otp_invalid');
      // A recovery code works here too, once.
      expect((await createToken({ email: user.email, password: user.password, otp: user.recoveryCodes[0] })).status).toBe(201);
      expect((await createToken({ email: user.email, password: user.password, otp: user.recoveryCodes[0] })).status).toBe(401);
      expect(await tokenRows(user.id)).toHaveLength(2);
    });

    it('throttles guessing the code through the API: the right password does not reset the count', async () => {
      const user = await userWithMfa();
      for (let i = 0; i < 6; i++) {
        const res = await createToken({ email: user.email, password: user.password, otp: wrongCode(user.secret) });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('identity.otp_invalid');
      }
      const blocked = await createToken({ email: user.email, password: user.password, otp: totpAt(user.secret, user.step) });
      expect(blocked.status).toBe(429);
      expect(await tokenRows(user.id)).toHaveLength(0);
    });

    it('throttles guessing the code on the page, and signing in with the password again does not reset the count', async () => {
      const user = await userWithMfa();
      const agent = await passwordStep(user);
      for (let i = 0; i < 6; i++) expect((await codeStep(agent, wrongCode(user.secret))).status).toBe(401);
      expect((await codeStep(agent, totpAt(user.secret, user.step))).status).toBe(429);
      // Waiting out the delay and starting again with the (known) password gives no fresh tries.
      await t.dataSource.query(`UPDATE auth_throttle SET blocked_until = now() - interval '1 second'`);
      const again = await passwordStep(user);
      expect((await codeStep(again, wrongCode(user.secret))).status).toBe(401);
      expect((await codeStep(again, totpAt(user.secret, user.step))).status).toBe(429);
      expect((await again.get('/api/v1/me')).status).toBe(401);
    });
  });
});
