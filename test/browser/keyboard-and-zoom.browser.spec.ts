import type { Page } from 'playwright-core';
import request from 'supertest';
import {
  describeInBrowser,
  expectAccessibleTemplate,
  expectNoHorizontalScroll,
  startBrowserSession,
  waitForGovukFrontend,
  type BrowserSession,
} from '../support/browser';
import { demoPassword } from '../support/database';
import { tokenFor } from '../support/identity';
import { Browsing } from './steps';

// Page functions run in the browser; the project compiles without the DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; boxShadow: string; outlineStyle: string; outlineWidth: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** What has the keyboard focus, and how it looks: GOV.UK's focus state is a yellow background with a black bar under it. */
interface Focused {
  tag: string;
  id: string;
  text: string;
  href: string | null;
  background: string;
  boxShadow: string;
  outline: string;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: el.getAttribute('href'),
      background: style.backgroundColor,
      boxShadow: style.boxShadow,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

const GOVUK_FOCUS_YELLOW = 'rgb(255, 221, 0)';

/** Presses Tab until `matches` holds for the focused element, checking each link and button on the way shows that it has the focus. */
async function tabTo(page: Page, matches: (f: Focused) => boolean, most = 60): Promise<Focused> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag === 'a' || f.tag === 'button') {
      // A link or button with the focus must look different: GOV.UK's yellow, or a thick outline.
      const visible = f.background === GOVUK_FOCUS_YELLOW || /solid|auto/.test(f.outline) || f.boxShadow !== 'none';
      if (!visible) throw new Error(`focus is not visible on ${f.tag} "${f.text}" (${JSON.stringify(f)})`);
    }
    if (matches(f)) return f;
  }
  throw new Error(`${most} presses of Tab did not reach what was wanted on ${page.url()}`);
}

/**
 * Checks the accessibility statement promises, done by hand until now: the service used with a
 * keyboard alone (skip link, every link and button showing its focus, a form filled and sent
 * without a mouse), and pages at 400% zoom (a 1280 px screen at 400% is 320 CSS pixels wide;
 * WCAG 1.4.10 asks that nothing then needs scrolling sideways).
 */
describeInBrowser('with a keyboard only, and zoomed to 400%', () => {
  let s: BrowserSession;
  let draftPath: string;
  beforeAll(async () => {
    s = await startBrowserSession({ demo: true });
    // The demo applicant starts a draft to Victims Fund 7, as the API would.
    const [me] = await s.testApp.dataSource.query(`SELECT id FROM user_account WHERE email = 'applicant@example.org'`);
    const [{ roundId, organisationId }] = await s.testApp.dataSource.query(
      `SELECT r.id AS "roundId", o.id AS "organisationId" FROM funding_round r, organisation o WHERE r.name = 'Victims Fund 7' AND o.name = 'Bromford Youth Boxing Club'`,
    );
    const token = await tokenFor(s.testApp, { id: me.id, email: '', password: '', fullName: '' });
    const created = await request(s.testApp.http)
      .post('/api/v1/applications')
      .set('Authorization', `Bearer ${token}`)
      .send({ roundId, organisationId })
      .expect(201);
    draftPath = `/applications/${created.body.id}`;
  }, 120_000);
  afterAll(() => s?.close());

  it('skips to the content, reaches a fund and signs in without a mouse, with the focus always visible', async () => {
    await s.context.clearCookies();
    const p = await s.newPage();
    const u = new Browsing(s, p);
    const { page } = p;
    try {
      await u.goto('/');
      await waitForGovukFrontend(page);
      await expectAccessibleTemplate(page);
      // The first Tab reaches the skip link, shown once it has the focus; Enter moves to the content.
      await page.keyboard.press('Tab');
      const skip = await focused(page);
      expect(skip).toMatchObject({ tag: 'a', text: 'Skip to main content', href: '#main-content' });
      expect(await page.getByText('Skip to main content').isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      expect((await focused(page)).id).toBe('main-content');

      // From the content, Tab reaches the list of funds; Enter follows the link.
      const funds = await tabTo(page, (f) => f.tag === 'a' && f.href === '/funds');
      expect(funds.background).toBe(GOVUK_FOCUS_YELLOW);
      await Promise.all([page.waitForURL(`${s.baseUrl}/funds`), page.keyboard.press('Enter')]);
      await expectAccessibleTemplate(page);
      await tabTo(page, (f) => f.tag === 'a' && /^\/funds\/[0-9a-f-]{36}$/.test(f.href ?? '') && f.text.includes('Victims Fund 7'));
      await Promise.all([page.waitForURL(/\/funds\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').textContent()).toContain('Victims Fund 7');
      await expectAccessibleTemplate(page);

      // Signing in: Tab to each field, type, and Enter sends the form.
      await u.goto('/sign-in');
      await waitForGovukFrontend(page);
      await expectAccessibleTemplate(page);
      await tabTo(page, (f) => f.id === 'email');
      await page.keyboard.type('applicant@example.org');
      await tabTo(page, (f) => f.id === 'password');
      await page.keyboard.type(demoPassword());
      await Promise.all([page.waitForURL(`${s.baseUrl}/applications`), page.keyboard.press('Enter')]);

      // Their applications: Tab to the draft and open it with Enter.
      await waitForGovukFrontend(page);
      await expectAccessibleTemplate(page);
      await tabTo(page, (f) => f.tag === 'a' && f.href === draftPath);
      await Promise.all([page.waitForURL(`${s.baseUrl}${draftPath}`), page.keyboard.press('Enter')]);
      await waitForGovukFrontend(page);
      expect(u.path()).toBe(draftPath);
      await expectAccessibleTemplate(page);
      p.expectNoProblems();
    } finally {
      await page.close();
    }
  });

  it('needs no sideways scrolling at 400% zoom (320 CSS pixels) on the applicant’s pages', async () => {
    const p = await s.newPage();
    const u = new Browsing(s, p);
    const { page } = p;
    try {
      await page.setViewportSize({ width: 320, height: 256 });
      await u.signIn({ email: 'applicant@example.org', password: demoPassword() });
      const sectionLink = async () => (await page.locator(`main a[href^="${draftPath}/sections/"]`).first().getAttribute('href'))!;
      await u.goto(draftPath);
      const pages = ['/', '/funds', '/applications', draftPath, await sectionLink(), '/account', '/accessibility'];
      for (const path of pages) {
        await u.goto(path);
        await waitForGovukFrontend(page);
        await expectNoHorizontalScroll(page);
        // axe at this width too, and at 1280 and 375 px where this run has not yet checked the page.
        await expectAccessibleTemplate(page);
      }
      p.expectNoProblems();
    } finally {
      await page.close();
    }
  });
});
