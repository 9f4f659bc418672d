import request from 'supertest';
import { STAFF_ROLES } from '../../src/platform/access';
import { describeInBrowser, expectAccessibleTemplate, expectNoHorizontalScroll, startBrowserSession, type BrowserSession } from '../support/browser';
import { demoPassword } from '../support/database';
import { createUser, tokenFor } from '../support/identity';
import { Browsing } from './steps';

// Page functions run in the browser; the project compiles without the DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const PHONE = { width: 375, height: 800 };
/** Enough for every page a role can reach today, with room to grow; the crawl fails if it runs out. */
const MAX_PAGES_PER_ROLE = 60;
/** Links that download a file (CSV, or open data as JSON) or end the session rather than show a page. */
const NOT_A_PAGE = /\.(csv|json)(\?|$)|\/attachments\/|\/download|\/export$|\/sign-out|\/api\//;

/**
 * What makes two addresses the same page for this walk: the route with ids and numbers replaced.
 * A list sorted, filtered or paged another way is the same page laid out the same way, so its
 * query is ignored (every sort link and filter would otherwise count as a page of its own).
 */
function pageKey(url: URL): string {
  return url.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
}

/**
 * Every page each role can reach by following links, on a 375 px phone screen: signed out, as an
 * applicant with applications (the demo applicant), and as a member of staff holding each staff
 * role in turn. Each page must be no wider than the viewport (a wide table scrolls inside its own
 * box) and pass axe (once per template and width for the whole run: see expectAccessibleTemplate).
 * Addresses that differ only in ids or in their query count as one page, so a list of 48
 * applications is one page, not 48.
 */
describeInBrowser('every page each role can reach, on a 375 px phone screen', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await startBrowserSession({ demo: true });
  }, 120_000);
  afterAll(() => s?.close());

  async function walk(signIn?: { email: string; password: string }): Promise<string[]> {
    await s.context.clearCookies();
    const p = await s.newPage();
    try {
      await p.page.setViewportSize(PHONE);
      const u = new Browsing(s, p);
      if (signIn) await u.signIn(signIn);
      const queue: string[] = [p.page.url().startsWith(s.baseUrl) ? u.path() : '/', '/', '/funds', '/account', '/applications', '/staff'];
      const seen = new Set<string>();
      const visited: string[] = [];
      while (queue.length) {
        const target = new URL(queue.shift()!, s.baseUrl);
        const key = pageKey(target);
        if (seen.has(key) || NOT_A_PAGE.test(target.pathname)) continue;
        seen.add(key);
        if (visited.length >= MAX_PAGES_PER_ROLE) throw new Error(`more than ${MAX_PAGES_PER_ROLE} pages: raise the limit if that is right`);
        const res = await p.page.goto(target.toString());
        // A page this role may not see answers 403 or sends them to sign in; both are pages too.
        expect(res?.status()).toBeLessThan(500);
        await p.page.waitForLoadState('load');
        await expectNoHorizontalScroll(p.page);
        await expectAccessibleTemplate(p.page);
        visited.push(`${res?.status()} ${target.pathname}${target.search}`);
        const links: string[] = await p.page.evaluate(() => Array.from(document.querySelectorAll('a[href]') as ArrayLike<{ href: string }>).map((a) => a.href));
        for (const href of links) {
          const next = new URL(href);
          if (next.origin !== s.baseUrl || NOT_A_PAGE.test(next.pathname)) continue;
          next.hash = '';
          if (!seen.has(pageKey(next))) queue.push(next.pathname + next.search);
        }
      }
      p.expectNoProblems();
      return visited;
    } finally {
      await p.page.close();
    }
  }

  it('signed out', async () => {
    const visited = await walk();
    expect(visited.length).toBeGreaterThanOrEqual(5);
    expect(visited.join('\n')).toMatch(/^200 \/funds\/[0-9a-f-]{36}$/m);
  });

  it('as an applicant with an application', async () => {
    // The demo applicant has an organisation; give them a draft to Victims Fund 7, as the API would.
    const [me] = await s.testApp.dataSource.query(`SELECT id FROM user_account WHERE email = 'applicant@example.org'`);
    const [{ roundId, organisationId }] = await s.testApp.dataSource.query(
      `SELECT r.id AS "roundId", o.id AS "organisationId" FROM funding_round r, organisation o WHERE r.name = 'Victims Fund 7' AND o.name = 'Bromford Youth Boxing Club'`,
    );
    const token = await tokenFor(s.testApp, { id: me.id, email: '', password: '', fullName: '' });
    await request(s.testApp.http).post('/api/v1/applications').set('Authorization', `Bearer ${token}`).send({ roundId, organisationId }).expect(201);
    const visited = await walk({ email: 'applicant@example.org', password: demoPassword() });
    // Their applications and the pages of one of them, not only the public pages.
    expect(visited.join('\n')).toMatch(/^200 \/applications\/[0-9a-f-]{36}/m);
  });

  it.each(STAFF_ROLES)('as staff with the %s role', async (role) => {
    const user = await createUser(s.testApp, [role]);
    const visited = await walk(user);
    expect(visited.join('\n')).toMatch(/^200 \/account$/m);
  });
});
