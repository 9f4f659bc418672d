import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { createUser, type TestUser } from '../support/identity';
import { Browsing } from './steps';

/**
 * Issue 9's dashboard in a real browser: a fund manager signs in on the demo data, lands on the
 * staff dashboard (zero axe violations at 1280 and 375 px, no sideways scroll), reads Victims
 * Fund 7's numbers and follows the screening link to the applications waiting to be screened.
 */
describeInBrowser('the staff dashboard in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let vf7Id: string;
  let p: BrowserPage;

  beforeAll(async () => {
    s = await startBrowserSession({ demo: true });
    manager = await createUser(s.testApp, ['fund_manager']);
    [{ id: vf7Id }] = await s.testApp.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 7'`);
    p = await s.newPage();
  }, 120_000);
  afterAll(async () => {
    await p?.page.close();
    await s?.close();
  });

  it('a fund manager lands on the dashboard after signing in and follows a round’s screening link', async () => {
    const u = new Browsing(s, p);
    const { page } = p;
    await u.signIn(manager);
    expect(page.url()).toBe(`${s.baseUrl}/staff`);
    await u.expectPage('Staff dashboard');

    const card = u.main().locator('.govuk-summary-card', { has: page.getByRole('heading', { name: 'Victims Fund 7' }) });
    const text = (await card.textContent())!.replace(/\s+/g, ' ');
    expect(text).toMatch(/Closes in \d+ days/);
    expect(text).toMatch(/Budget £200,000 £[\d,]+ \d+% Over-subscribed by £[\d,]+/);
    expect(text).toContain('Drafts are not counted');

    await u.clickAndLoad(card.getByRole('link', { name: /^\d+ applications to screen in Victims Fund 7$/ }));
    expect(page.url()).toBe(`${s.baseUrl}/staff/rounds/${vf7Id}/applications?status=submitted`);
    await u.expectPage('Applications');
    p.expectNoProblems();
  }, 120_000);
});
