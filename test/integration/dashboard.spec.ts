import { uniqueEmail } from '@pcc/testing';
import request from 'supertest';
import { seedDemoData } from '../../src/demo/seed';
import { MfaService } from '../../src/modules/identity/mfa.service';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import { Clock } from '../../src/platform/clock';
import { createUser, csrfFrom, signIn, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { bearer, roundBody, staffMember } from '../support/rounds';
import { csrfOf, emailsTo, errorSummary, freshStep, linkIn, postSignIn, totpAt } from './identity-support';

/*
 * Where each person lands after signing in, and the staff dashboard's numbers against the demo
 * data (Victims Fund 7: £200,000 budget, a £50,000 hate-crime ring-fence, drafts and withdrawn
 * bids that must not count as requested).
 */

/** The page's text with tags and runs of white space collapsed, so sentences can be matched. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('landing page per role and the staff dashboard', () => {
  let t: TestApp;
  let vf7: { id: string; closes_at: Date };

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app);
    [vf7] = await t.dataSource.query(`SELECT id, closes_at FROM funding_round WHERE name = 'Victims Fund 7'`);
  });
  afterEach(() => t.app.get(Clock).set(null));
  afterAll(() => t?.close());

  const landingOf = async (user: TestUser, returnTo?: string) => {
    const agent = request.agent(t.http);
    const csrf = await csrfOf(agent, returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : '/sign-in');
    const res = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrf, email: user.email, password: user.password, ...(returnTo ? { returnTo } : {}) });
    expect(res.status).toBe(303);
    return res.headers.location;
  };

  describe('after signing in', () => {
    it('sends applicants to their applications and every staff role to the dashboard; a safe returnTo wins', async () => {
      expect(await landingOf(await createUser(t))).toBe('/applications');
      for (const role of ['fund_manager', 'assessor', 'finance_officer', 'finance_approver', 'commissioner', 'admin', 'auditor'] as const) {
        expect([role, await landingOf(await createUser(t, [role]))]).toEqual([role, '/staff']);
      }
      const manager = await createUser(t, ['fund_manager']);
      expect(await landingOf(manager, '/staff/rounds')).toBe('/staff/rounds');
      // The sign-in page carries the returnTo it was given, and nothing when there is none.
      const page = await request(t.http).get('/sign-in?returnTo=%2Fstaff%2Frounds').expect(200);
      expect(page.text).toContain('name="returnTo" value="/staff/rounds"');
      expect((await request(t.http).get('/sign-in').expect(200)).text).toContain('name="returnTo" value=""');
      expect(await landingOf(manager, '//evil.example')).toBe('/staff');
      expect(await landingOf(await createUser(t), 'https://evil.example/')).toBe('/applications');
    });

    it('lands by role after the authenticator code too', async () => {
      const manager = await createUser(t, ['fund_manager']);
      const step = await freshStep();
      const mfa = t.app.get(MfaService);
      const { secret } = mfa.newEnrolment(manager.email);
      await mfa.confirmEnrolment(manager.id, secret, totpAt(secret, step - 1));
      const agent = request.agent(t.http);
      expect((await postSignIn(agent, manager.email, manager.password)).headers.location).toBe('/sign-in/code');
      const code = await agent
        .post('/sign-in/code')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/sign-in/code'), code: totpAt(secret, step) });
      expect(code.status).toBe(303);
      expect(code.headers.location).toBe('/staff');
    });

    it('lands a newly invited member of staff on the dashboard once they have set a password', async () => {
      const [admin] = await t.dataSource.query(`SELECT * FROM user_account WHERE roles @> ARRAY['admin'] LIMIT 1`);
      const adminAccount = await t.app.get(UsersService).findById(admin.id);
      const email = uniqueEmail('invited.assessor');
      await t.app.get(UsersService).inviteStaff(toPrincipal(adminAccount!, 'session'), { email, fullName: 'Olu Adebayo', roles: ['assessor'] as never });
      const [mail] = await emailsTo(t, email);
      const agent = request.agent(t.http);
      const page = await agent.get(linkIn(mail.text_body, '/staff-invitation')).expect(200);
      const token = /name="token" value="([^"]+)"/.exec(page.text)![1];
      const accepted = await agent
        .post('/staff-invitation')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'Granite-Willow-Beacon-8', confirmPassword: 'Granite-Willow-Beacon-8' });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.location).toBe('/staff');
    });
  });

  describe('the dashboard', () => {
    it('shows a fund manager each open round: counts by status, requested by submitted bids against the budget and ring-fences, screening to do', async () => {
      const agent = await signIn(t, await createUser(t, ['fund_manager']));
      const res = await agent.get('/staff').expect(200);
      const text = textOf(res.text);
      const base = `/staff/rounds/${vf7.id}/applications`;

      expect(text).toContain('Victims Fund 7');
      expect(res.text).toContain(`href="${base}"`);
      expect(res.text).toContain('href="/staff/rounds/new"');
      // Counts by status, each a link to the list filtered to it.
      for (const [status, label, n] of [
        ['draft', 'Draft', 11],
        ['submitted', 'Submitted, not yet screened', 34],
        ['withdrawn', 'Withdrawn', 3],
        ['eligible', 'Eligible', 0],
      ] as const) {
        expect(res.text).toContain(`href="${base}?status=${status}"`);
        expect(text).toContain(`${label}: ${n}`);
      }
      // Requested by submitted applications only, never drafts or withdrawn bids (the demo has no screened ones yet).
      const sum = async (where: string) =>
        Number(
          (
            await t.dataSource.query(`SELECT coalesce(sum(amount_requested_pence), 0)::bigint AS p FROM application WHERE round_id = $1 AND ${where}`, [vf7.id])
          )[0].p,
        );
      const submitted = await sum(`status = 'submitted'`);
      const everything = await sum('true');
      const hateCrime = await sum(`status = 'submitted' AND category = 'hate_crime'`);
      expect(everything).toBeGreaterThan(submitted);
      const pounds = (p: number) => `£${(p / 100).toLocaleString('en-GB')}`;
      expect(text).toContain(`Budget £200,000 ${pounds(submitted)} ${Math.floor(submitted / 200_000)}% Over-subscribed by ${pounds(submitted - 20_000_000)}`);
      expect(text).not.toContain(pounds(everything));
      expect(hateCrime).toBeGreaterThan(5_000_000);
      expect(text).toMatch(
        new RegExp(
          `Victims of hate crime £50,000 ${pounds(hateCrime)} \\(\\d+ applications\\) ${Math.floor(hateCrime / 50_000)}% Over-subscribed by ${pounds(hateCrime - 5_000_000)}`,
        ),
      );
      expect(res.text).toContain(`href="${base}?category=hate_crime"`);
      expect(text).toContain('34 applications to screen');
      expect(res.text).toContain(`href="${base}?status=submitted"`);
      expect(text).toContain('Drafts are not counted: 11 drafts');
      // Days to close, in London time.
      expect(text).toContain('Closes in 28 days');
    });

    it('counts days to close by the London calendar, from the injected clock', async () => {
      const agent = await signIn(t, await createUser(t, ['fund_manager']));
      const clock = t.app.get(Clock);
      const closes = new Date(vf7.closes_at);
      const card = async () => textOf((await agent.get('/staff').expect(200)).text);

      clock.set(new Date(closes.getTime() - 60 * 60_000)); // an hour before the closing minute
      expect(await card()).toContain('Closes today');
      clock.set(new Date(closes.getTime() - 24 * 60 * 60_000));
      expect(await card()).toContain('Closes tomorrow');
      clock.set(new Date(closes.getTime() + 3 * 24 * 60 * 60_000));
      const closed = await card();
      expect(closed).toContain('Closed 3 days ago');
      expect(closed).toContain('Victims Fund 7');
    });

    it('shows other staff their queues, honestly empty until the later modules fill them', async () => {
      const assessor = textOf((await (await signIn(t, await createUser(t, ['assessor']))).get('/staff').expect(200)).text);
      expect(assessor).toContain('Applications to score');
      expect(assessor).toContain('No applications are assigned to you yet.');
      expect(assessor).not.toContain('Funding rounds');

      const finance = await (await signIn(t, await createUser(t, ['finance_officer']))).get('/staff').expect(200);
      expect(textOf(finance.text)).toMatch(/Payments due, to request: \d+/);
      expect(finance.text).toContain('href="/finance/payments"');
      expect(finance.text).toContain(`href="/staff/rounds/${vf7.id}/applications"`);
      expect(finance.text).not.toContain('href="/staff/rounds/new"');

      const [{ n: unverified }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisation WHERE verified_at IS NULL`);
      const admin = await (await signIn(t, await createUser(t, ['admin']))).get('/staff').expect(200);
      expect(textOf(admin.text)).toContain(`Organisations awaiting verification: ${unverified}`);
      for (const href of ['/admin/users', '/admin/organisations', '/admin/organisation-disputes', '/admin/audit', '/admin/mailbox'])
        expect(admin.text).toContain(`href="${href}"`);
      expect(admin.text).not.toContain('Victims Fund 7');

      await (await signIn(t, await createUser(t))).get('/staff').expect(403);
    });
  });

  describe('the rounds list', () => {
    const rowNames = (html: string) =>
      [...html.matchAll(/<td class="govuk-table__cell"><a class="govuk-link" href="\/staff\/rounds\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    let agent: Awaited<ReturnType<typeof signIn>>;
    let vfProgrammeId: string;

    beforeAll(async () => {
      const manager = await staffMember(t, 'fund_manager');
      [{ id: vfProgrammeId }] = await t.dataSource.query(`SELECT id FROM fund_programme WHERE code = 'VF'`);
      // 55 draft rounds beside the demo's three (two open, one closed): two pages on the staff list.
      for (let i = 1; i <= 55; i++) {
        await request(t.http)
          .post('/api/v1/rounds')
          .set(bearer(manager.token))
          .send(roundBody(vfProgrammeId, { name: `Paging round ${String(i).padStart(2, '0')}` }))
          .expect(201);
      }
      agent = await signIn(t, manager);
    });

    it('pages 50 at a time, sorts by its columns, searches by name and filters by fund and status, keeping them in every link', async () => {
      const first = await agent.get('/staff/rounds').expect(200);
      expect(textOf(first.text)).toContain('Showing 1 to 50 of 58 rounds');
      expect(rowNames(first.text)).toHaveLength(50);
      expect(first.text).toContain('href="/staff/rounds?page=2"');

      const byName = await agent.get('/staff/rounds?q=paging&sort=name&page=2').expect(200);
      expect(rowNames(byName.text)).toEqual(['Paging round 51', 'Paging round 52', 'Paging round 53', 'Paging round 54', 'Paging round 55']);
      expect(textOf(byName.text)).toContain('Showing 51 to 55 of 55 rounds');
      // The previous page, and the headers, keep the search and the sort (headers go back to page 1).
      expect(byName.text).toContain('href="/staff/rounds?q=paging&amp;sort=name"');
      expect(byName.text).toContain('href="/staff/rounds?q=paging&amp;sort=-name"');
      expect(byName.text).toContain('aria-sort="ascending"');
      expect(byName.text).toContain('value="paging"');
      // Opening a round and coming back returns to the same page, search and sort.
      const roundLink = /href="(\/staff\/rounds\/[0-9a-f-]{36}\?returnTo=[^"]+)">Paging round 51</.exec(byName.text)![1].replace(/&amp;/g, '&');
      const roundPage = await agent.get(roundLink).expect(200);
      expect(roundPage.text).toContain('<a class="govuk-breadcrumbs__link" href="/staff/rounds?q=paging&amp;sort=name&amp;page=2">Funding rounds</a>');
      const elsewhere = await agent.get(roundLink.replace(/returnTo=[^&]+/, 'returnTo=%2F%2Fevil.example%2Fstaff%2Frounds')).expect(200);
      expect(elsewhere.text).toContain('<a class="govuk-breadcrumbs__link" href="/staff/rounds">Funding rounds</a>');

      expect(rowNames((await agent.get('/staff/rounds?sort=-name').expect(200)).text)[0]).toBe('Victims Fund 7');
      expect(rowNames((await agent.get('/staff/rounds?sort=status').expect(200)).text)[0]).toMatch(/^Paging round/);
      const byStatus = rowNames((await agent.get('/staff/rounds?sort=-status').expect(200)).text);
      // Closed (the demo's assessed Victims Fund 6) before open.
      expect([byStatus[0], byStatus.slice(1, 3).sort()]).toEqual(['Victims Fund 6', ['Active Citizens Fund 2026/27', 'Victims Fund 7']]);
      expect(rowNames((await agent.get('/staff/rounds?status=open').expect(200)).text).sort()).toEqual(['Active Citizens Fund 2026/27', 'Victims Fund 7']);
      const vfOpen = await agent.get(`/staff/rounds?fund=${vfProgrammeId}&status=open`).expect(200);
      expect(rowNames(vfOpen.text)).toEqual(['Victims Fund 7']);
      expect(vfOpen.text).toContain('Clear search and filters');
      // A search is matched as typed: "%" is not a wildcard.
      expect(textOf((await agent.get('/staff/rounds?q=%25').expect(200)).text)).toContain('No rounds match your search.');
    });

    it('answers a hand-edited address with the problem, not a 500', async () => {
      const bad = await agent.get(`/staff/rounds?sort=budget&q=${'x'.repeat(101)}&status=finished&fund=nope&page=0`).expect(400);
      expect(errorSummary(bad.text)).toContain('Select a status from the list');
      expect(errorSummary(bad.text)).toContain('Select a fund from the list');
      expect(errorSummary(bad.text)).toContain('Search must be 100 characters or fewer');
      expect(rowNames(bad.text)).toHaveLength(50);
      await agent.get('/staff/rounds?sort=name&sort=-name').expect(400);
    });

    it('pages the public API the same way: published rounds only, as { items, total, limit, page }', async () => {
      const all = await request(t.http).get('/api/v1/rounds').expect(200);
      expect(all.body).toMatchObject({ total: 3, limit: 50, page: 1 });
      expect(all.body.items.map((r: { name: string }) => r.name)).toEqual(['Victims Fund 6', 'Victims Fund 7', 'Active Citizens Fund 2026/27']);
      const second = await request(t.http).get('/api/v1/rounds?limit=1&page=3&sort=-name').expect(200);
      expect(second.body).toMatchObject({ total: 3, limit: 1, page: 3 });
      expect(second.body.items.map((r: { name: string }) => r.name)).toEqual(['Active Citizens Fund 2026/27']);
      const found = await request(t.http).get(`/api/v1/rounds?q=citizens&fund=${vfProgrammeId}`).expect(200);
      expect(found.body).toMatchObject({ items: [], total: 0 });
      expect((await request(t.http).get('/api/v1/rounds?status=draft').expect(400)).body.error).toBe('validation_failed');
      expect((await request(t.http).get('/api/v1/rounds?sort=budget').expect(400)).body.details[0].field).toBe('sort');
    });
  });
});
