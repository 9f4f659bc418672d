import request from 'supertest';
import { UsersService } from '../../src/modules/identity';
import { toPrincipal } from '../../src/modules/identity/users.service';
import { StaffRole } from '../../src/platform/access';
import { Clock } from '../../src/platform/clock';
import { createUser, csrfFrom, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { clearThrottle, csrfOf, emailsTo, h1, linkIn, postSignIn } from './identity-support';

interface ErrorBody {
  error: string;
}

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * Identity decides by the application's clock (Clock), not by the database's now() or the
 * process's Date: moving the clock moves token expiry, link lifetimes, email limits and sign-in
 * delays with it. Each test moves the clock past a limit and shows the decision follows; on a
 * clock the application ignored, the request would still be accepted (or still refused).
 */
describe('identity follows the application clock', () => {
  let t: TestApp;
  let clock: Clock;
  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));
  afterEach(() => clock.set(null));

  /** A moment after now (the default clock), so the tests never depend on what day it is. */
  const later = (ms: number) => new Date(Date.now() + ms);

  it('refuses an API token once the clock passes its expiry, and accepts it again when the clock goes back', async () => {
    const user = await createUser(t);
    const token = await tokenFor(t, user);
    const me = () => request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect((await me()).status).toBe(200);

    clock.set(later(t.config.apiTokenDays * DAY + MINUTE));
    const expired = await me();
    expect(expired.status).toBe(401);
    expect((expired.body as ErrorBody).error).toBe('identity.invalid_token');

    clock.set(later(t.config.apiTokenDays * DAY - DAY));
    expect((await me()).status).toBe(200);
  });

  it('dates a new API token by the clock', async () => {
    const user = await createUser(t);
    const at = later(100 * DAY);
    clock.set(at);
    await tokenFor(t, user);
    const [row] = await t.dataSource.query<
      {
        created_at: Date;
        expires_at: Date;
      }[]
    >(`SELECT created_at, expires_at FROM api_token WHERE user_id = $1`, [user.id]);
    expect(row.created_at.toISOString()).toBe(at.toISOString());
    expect(row.expires_at.getTime() - at.getTime()).toBe(t.config.apiTokenDays * DAY);
  });

  it('refuses a password reset link an hour after it was sent', async () => {
    const user = await createUser(t);
    const agent = request.agent(t.http);
    const csrf = await csrfOf(agent, '/forgot-password');
    await agent.post('/forgot-password').type('form').send({ _csrf: csrf, email: user.email }).expect(200);
    const mails = (await emailsTo(t, user.email)).filter((m) => m.template === 'reset-password');
    const link = linkIn(mails[mails.length - 1].text_body, '/reset-password');

    const page = await agent.get(link).expect(200);
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1];
    clock.set(later(61 * MINUTE));
    const used = await agent
      .post('/reset-password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), token, password: 'Velvet-Compass-Orchard-3', confirmPassword: 'Velvet-Compass-Orchard-3' });
    expect(used.status).toBe(400);
    expect(h1(used.text)).toBe('This password reset link is not valid');
    clock.set(null);
    expect((await postSignIn(request.agent(t.http), user.email, user.password)).status).toBe(303);
  });

  it('refuses a staff invitation link once its week is over', async () => {
    const admin = await createUser(t, ['admin']);
    const adminAccount = await t.app.get(UsersService).findById(admin.id);
    const invited = await t.app.get(UsersService).inviteStaff(toPrincipal(adminAccount!, 'session'), {
      email: `clock-invitee-${Date.now()}@example.com`,
      fullName: 'Invited Person',
      roles: [StaffRole.Assessor],
    });
    const link = linkIn((await emailsTo(t, invited.email))[0].text_body, '/staff-invitation');
    expect((await request(t.http).get(link)).status).toBe(200);
    clock.set(later(7 * DAY + MINUTE));
    expect((await request(t.http).get(link)).status).toBe(400);
  });

  it('starts a new hour of email allowance when the clock says the hour is over', async () => {
    const user = await createUser(t);
    const forgot = async () => {
      const agent = request.agent(t.http);
      const csrf = await csrfOf(agent, '/forgot-password');
      return agent.post('/forgot-password').type('form').send({ _csrf: csrf, email: user.email });
    };
    const start = later(0);
    clock.set(start);
    // An address's anonymous allowance is five an hour (EMAIL_LIMITS.recipient).
    for (let i = 0; i < 5; i++) expect((await forgot()).status).toBe(200);
    expect((await forgot()).status).toBe(429);
    clock.set(new Date(start.getTime() + 61 * MINUTE));
    expect((await forgot()).status).toBe(200);
  });

  it('lets a sign-in through once the clock passes the delay set after failures', async () => {
    const user = await createUser(t);
    const key = `account:${user.email}`;
    // A delay set for a day from now: by the database's clock it is still running throughout.
    const from = later(DAY);
    await t.dataSource.query(`INSERT INTO auth_throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, 8, $2, $3)`, [
      key,
      from,
      new Date(from.getTime() + 10 * MINUTE),
    ]);
    clock.set(new Date(from.getTime() + 5 * MINUTE));
    expect((await postSignIn(request.agent(t.http), user.email, user.password)).status).toBe(429);
    clock.set(new Date(from.getTime() + 11 * MINUTE));
    expect((await postSignIn(request.agent(t.http), user.email, user.password)).status).toBe(303);
  });
});
