import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '../../src/platform/config/app-config';
import { TokensService } from '../../src/modules/identity/tokens.service';
import { createRootLogger } from '../../src/platform/logging/logger';
import { redactUrl } from '../../src/platform/logging/redact';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every JSON line the app logs, kept for the test to search. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  requestLines(): { req: { method: string; url: string }; res: { statusCode: number } }[] {
    return this.lines.map((l) => JSON.parse(l)).filter((l) => l.message === 'request completed');
  }
}

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('platform hardening: Cache-Control and secrets in the request log', () => {
  let t: TestApp;
  const log = new LogCapture();
  let admin: TestUser;
  let adminToken: string;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let roundId: string;

  beforeAll(async () => {
    t = await startTestApp({ logDestination: log });
    admin = await createUser(t, ['admin']);
    adminToken = await tokenFor(t, admin);
    manager = await staffMember(t, 'fund_manager');
    const { VF } = await seedFunds(t);
    roundId = (await createPublishedRound(t, manager, roundBody(VF))).id;
  });
  afterAll(() => t?.close());

  describe('Cache-Control: no-store', () => {
    // Signed in through the browser's session cookie: pages, errors and redirects alike.
    const sessionRoutes: [string, string, number][] = [
      ['GET', '/account', 200],
      ['GET', '/admin/mailbox', 200],
      ['GET', '/admin/audit', 200],
      ['GET', '/staff/rounds/:roundId/applications', 200],
      // A signed-in person's 404 is as private as their 200.
      ['GET', `/staff/applications/${randomUUID()}`, 404],
      ['GET', '/sign-in', 200],
      ['GET', '/api/v1/me', 200],
    ];
    it.each(sessionRoutes)('%s %s with a session cookie (%d) is no-store', async (method, path, status) => {
      const browser = await signIn(t, await sessionUser());
      const res = await browser[method.toLowerCase() as 'get'](path.replace(':roundId', roundId)).set('Accept', 'text/html');
      expect(res.status).toBe(status);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    // One user with every permission these pages need, signed in afresh for each route.
    let both: TestUser | undefined;
    async function sessionUser(): Promise<TestUser> {
      both ??= await createUser(t, ['admin', 'fund_manager', 'auditor']);
      return both;
    }

    const bearerRoutes: [string, string, number][] = [
      ['GET', '/api/v1/me', 200],
      ['GET', '/api/v1/admin/mailbox', 200],
      ['GET', '/api/v1/audit-events', 200],
      ['GET', '/api/v1/auth/tokens', 200],
      // Public data, but asked for by someone: it may differ by who asks, and the 401s below are theirs.
      ['GET', '/api/v1/fund-programmes', 200],
      ['GET', `/api/v1/organisations/${randomUUID()}`, 404],
    ];
    it.each(bearerRoutes)('%s %s with a bearer token (%d) is no-store', async (method, path, status) => {
      const res = await request(t.http)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${adminToken}`);
      expect(res.status).toBe(status);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('an invalid bearer token’s 401 is no-store', async () => {
      const res = await request(t.http)
        .get('/api/v1/me')
        .set('Authorization', `Bearer pccg_${randomBytes(16).toString('hex')}`)
        .expect(401);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('redirects for a signed-in person, and the sign-in redirect that sets the cookie, are no-store', async () => {
      const user = await createUser(t);
      const agent = request.agent(t.http);
      const form = await agent.get('/sign-in').expect(200);
      const signedIn = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: user.email, password: user.password })
        .expect(303);
      expect(signedIn.headers['set-cookie']).toBeDefined();
      expect(signedIn.headers['cache-control']).toBe('no-store');
      const account = await agent.get('/account').expect(200);
      const { id } = await t.app.get(TokensService).create(user.id, 'to revoke');
      const revoked = await agent
        .post(`/account/tokens/${id}/revoke`)
        .type('form')
        .send({ _csrf: csrfFrom(account.text) })
        .expect(303);
      expect(revoked.headers['cache-control']).toBe('no-store');
    });

    it('the page showing a new API token is no-store', async () => {
      const browser = await signIn(t, await createUser(t));
      const account = await browser.get('/account').expect(200);
      const res = await browser
        .post('/account/tokens')
        .type('form')
        .send({ _csrf: csrfFrom(account.text), name: 'cache test' })
        .expect(200);
      expect(res.text).toMatch(/pccg_/);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('POST /api/v1/auth/tokens is no-store even for an anonymous caller, and when it fails', async () => {
      const user = await createUser(t);
      const ok = await request(t.http).post('/api/v1/auth/tokens').send({ email: user.email, password: user.password }).expect(201);
      expect(ok.body.token).toMatch(/^pccg_/);
      expect(ok.headers['cache-control']).toBe('no-store');
      const refused = await request(t.http).post('/api/v1/auth/tokens').send({ email: user.email, password: 'not the password at all' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.headers['cache-control']).toBe('no-store');
    });

    it.each(['/reset-password', '/verify-email', '/staff-invitation', '/organisation-invitation'])(
      'anonymous GET %s?token=… (a link with a secret) is no-store',
      async (path) => {
        // A fresh client with no cookie, so the only reason is the secret in the URL … or the
        // session cookie the page sets for its CSRF token; either way it must not be stored.
        const res = await request(t.http)
          .get(`${path}?token=${secret('link')}`)
          .set('Accept', 'text/html');
        expect(res.status).toBeLessThan(500);
        expect(res.headers['cache-control']).toBe('no-store');
      },
    );

    it('a secret in the URL is enough on its own, without cookies or credentials', async () => {
      // An API path answers without a session, so no Set-Cookie: only the query makes it no-store.
      const plain = await request(t.http).get('/api/v1/fund-programmes').expect(200);
      expect(plain.headers['set-cookie']).toBeUndefined();
      expect(plain.headers['cache-control']).toBeUndefined();
      const withToken = await request(t.http).get(`/api/v1/fund-programmes?token=${secret('x')}`);
      expect(withToken.headers['set-cookie']).toBeUndefined();
      expect(withToken.headers['cache-control']).toBe('no-store');
    });

    it('anonymous public pages and reads stay cacheable', async () => {
      // (/health sets its own no-cache: a health answer is only true when it is asked.)
      for (const path of ['/api/v1/fund-programmes', '/api/v1/areas']) {
        const res = await request(t.http).get(path);
        expect(res.status).toBe(200);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
      }
      // Static assets keep express.static's own caching headers.
      const css = await request(t.http).get('/public/app.css').expect(200);
      expect(css.headers['cache-control']).toMatch(/max-age/);
      // Public pages for an anonymous visitor with no session: nothing private in them.
      for (const path of ['/', '/funds', `/funds/${roundId}`]) {
        const page = await request(t.http).get(path).set('Accept', 'text/html');
        expect(page.status).toBe(200);
        expect(page.headers['set-cookie']).toBeUndefined();
        expect(page.headers['cache-control'] ?? '').not.toContain('no-store');
      }
    });
  });

  describe('single-use tokens and API tokens never reach the request log', () => {
    it.each(['/reset-password', '/verify-email', '/staff-invitation', '/organisation-invitation'])('%s?token=… is logged as token=[REDACTED]', async (path) => {
      const value = secret('single-use');
      await request(t.http).get(`${path}?token=${value}&utm=x`).set('Accept', 'text/html');
      await waitForRequestLine(path);
      expect(log.text).not.toContain(value);
      const line = log.requestLines().find((l) => l.req.url.startsWith(`${path}?`) && l.req.url.endsWith('utm=x'));
      expect(line?.req.url).toBe(`${path}?token=[REDACTED]&utm=x`);
    });

    it('redacts every secret-named parameter, repeated ones too, and any pccg_ value anywhere', async () => {
      const values = {
        code: secret('code'),
        otp: secret('otp'),
        password: secret('pw'),
        secret: secret('s'),
        key: secret('k'),
        api_key: secret('ak'),
        t1: secret('t1'),
        t2: secret('t2'),
      };
      const bearer = `pccg_${randomBytes(20).toString('base64url')}`;
      const url =
        `/funds?code=${values.code}&OTP=${values.otp}&password=${values.password}&secret=${values.secret}&key=${values.key}` +
        `&api_key=${values.api_key}&token=${values.t1}&token=${values.t2}&q=${bearer}&page=2`;
      await request(t.http).get(url).set('Accept', 'text/html');
      await request(t.http).get(`/api/v1/organisations/${bearer}`).set('Authorization', `Bearer ${bearer}`);
      await waitForRequestLine('/api/v1/organisations/');
      for (const v of [...Object.values(values), bearer]) expect(log.text).not.toContain(v);
      const funds = log.requestLines().find((l) => l.req.url.startsWith('/funds?code='));
      expect(funds?.req.url).toBe(
        '/funds?code=[REDACTED]&OTP=[REDACTED]&password=[REDACTED]&secret=[REDACTED]&key=[REDACTED]&api_key=[REDACTED]&token=[REDACTED]&token=[REDACTED]&q=pccg_[REDACTED]&page=2',
      );
      expect(log.requestLines().some((l) => l.req.url === '/api/v1/organisations/pccg_[REDACTED]')).toBe(true);
    });

    it('keeps ordinary parameters readable, including names that merely contain a secret word', () => {
      expect(redactUrl('/staff/rounds?status=open&keyword=hate&monkey=1&page=3')).toBe('/staff/rounds?status=open&keyword=hate&monkey=1&page=3');
      expect(redactUrl('/x?token[]=a&token%5B%5D=b&_csrf=c&reset-token=d#frag')).toBe(
        '/x?token[]=[REDACTED]&token%5B%5D=[REDACTED]&_csrf=[REDACTED]&reset-token=[REDACTED]',
      );
      expect(redactUrl('/x?%E0%A4%A=1&token')).toBe('/x?%E0%A4%A=1&token');
    });

    it('redacts Authorization and Cookie headers, secret fields and pccg_ values in anything logged', () => {
      const sink = new LogCapture();
      const logger = createRootLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' }), sink);
      const bearer = `pccg_${randomBytes(20).toString('hex')}`;
      logger.info(
        { req: { headers: { authorization: `Bearer ${bearer}`, cookie: 'pcc_session=s%3Asecret-session' } }, body: { otp: '123456', secret: 'totp-secret' } },
        'incoming',
      );
      logger.info({ headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'a=b' } }, 'bare headers');
      logger.warn({ detail: { nested: [`token was ${bearer}`] } }, `message mentioning ${bearer}`);
      logger.error({ err: new Error(`invalid input syntax for type uuid: "${bearer}"`) }, 'driver error');
      expect(sink.lines).toHaveLength(4);
      for (const secretText of [bearer, 'secret-session', '123456', 'totp-secret', 'dXNlcjpwYXNz']) expect(sink.text).not.toContain(secretText);
      const [first, second, third, fourth] = sink.lines.map((l) => JSON.parse(l));
      expect(first.req.headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]' });
      expect(first.body).toEqual({ otp: '[REDACTED]', secret: '[REDACTED]' });
      expect(second.headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]' });
      expect(third.detail.nested[0]).toBe('token was pccg_[REDACTED]');
      expect(third.message).toBe('message mentioning pccg_[REDACTED]');
      expect(fourth.err.message).toContain('pccg_[REDACTED]');
    });
  });

  /** The request line is written on 'finish', which can land just after supertest has its answer. */
  async function waitForRequestLine(prefix: string) {
    for (let i = 0; i < 100; i++) {
      if (log.requestLines().some((l) => l.req.url.startsWith(prefix))) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no request line for ${prefix}`);
  }
});
