import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { approveDemoVictimsFund6Decision } from '../support/demo';
import { createUser, type TestUser } from '../support/identity';
import { Browsing } from './steps';

/**
 * Issue 13's staff insights in a real browser, on the demo data: the fund manager and the
 * Commissioner reach them from the dashboard (zero axe violations at 1280 and 375 px, no sideways
 * scroll), and every chart is an SVG image with a name, followed by a table holding each of its
 * labels and values; the filters by round, fund and financial year narrow the charts and their
 * CSV links, and a bad one is shown by its box.
 */
describeInBrowser('the staff insights in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let commissioner: TestUser;
  let p: BrowserPage;

  beforeAll(async () => {
    s = await startBrowserSession({ demo: true });
    // One round decided, so every chart has something to draw (the demo leaves Victims Fund 6 with the Commissioner).
    await approveDemoVictimsFund6Decision(s.testApp.app);
    manager = await createUser(s.testApp, ['fund_manager']);
    commissioner = await createUser(s.testApp, ['commissioner']);
    p = await s.newPage();
  }, 120_000);
  afterAll(async () => {
    await p?.page.close();
    await s?.close();
  });

  async function readCharts(u: Browsing): Promise<void> {
    const charts = u.main().locator('svg[role="img"]');
    const n = await charts.count();
    expect(n).toBe(7);
    for (let i = 0; i < n; i++) {
      const svg = charts.nth(i);
      // Its accessible name is its title, and the next thing after it is its table.
      const titleId = (await svg.getAttribute('aria-labelledby'))!.split(' ')[0];
      const name = ((await u.page.locator(`[id="${titleId}"]`).textContent()) ?? '').trim();
      expect(name).toMatch(/: chart$/);
      const next = svg.locator('xpath=following-sibling::*[1]');
      expect(await next.getAttribute('class')).toBe('app-table-scroll');
      const table = await next.locator('table').innerText();
      expect([name, table.length > 0]).toEqual([name, true]);
      const labels = await svg.locator('.app-chart__label').allTextContents();
      const values = await svg.locator('.app-chart__value').allTextContents();
      expect(values.length).toBeGreaterThanOrEqual(labels.length);
      for (const label of labels) expect([name, table.includes(label)]).toEqual([name, true]);
      // "Requested: £12,000" → "£12,000": the table has the figure under its column's name.
      for (const value of values) {
        const figure = value.replace(/^[^:]+: /, '');
        expect([name, figure, table.includes(figure)]).toEqual([name, figure, true]);
      }
    }
  }

  it('a fund manager opens the insights from the dashboard and reads each chart’s figures in its table', async () => {
    const u = new Browsing(s, p);
    await u.signIn(manager);
    await u.expectPage('Staff dashboard');
    await u.clickAndLoad(u.main().getByRole('link', { name: /^Applications, awards by round and by area/ }));
    expect(u.path()).toBe('/staff/insights');
    await u.expectPage('Insights');
    await readCharts(u);
    await u.page.context().clearCookies();
  }, 180_000);

  it('the Commissioner reads the same page on a phone, filtered to one round, then by fund and financial year', async () => {
    const u = new Browsing(s, p);
    await p.page.setViewportSize({ width: 375, height: 800 });
    await u.signIn(commissioner);
    await u.goto('/staff/insights');
    await u.expectPage('Insights');
    await readCharts(u);
    await u.page.getByLabel('Funding round', { exact: true }).selectOption({ label: 'Victims Fund 7' });
    await u.clickAndLoad(u.button('Show'));
    expect(new URL(u.page.url()).searchParams.get('roundId')).toMatch(/^[0-9a-f-]{36}$/);
    await u.expectPage('Insights');

    // -- By fund and financial year: the charts and every CSV link follow the filters.
    await u.page.getByLabel('Funding round', { exact: true }).selectOption({ label: 'All rounds' });
    await u.page.getByLabel('Fund', { exact: true }).selectOption({ label: 'Active Citizens Fund' });
    const year = u.page.getByLabel('Financial year', { exact: true });
    const firstYear = (await year.locator('option').nth(1).textContent())!.trim();
    expect(firstYear).toMatch(/^April \d{4} to March \d{4}$/);
    await year.selectOption({ label: firstYear });
    await u.clickAndLoad(u.button('Show'));
    await u.expectPage('Insights');
    const address = new URL(u.page.url()).searchParams;
    expect([address.get('fundId'), address.get('year'), address.get('roundId')]).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      expect.stringMatching(/^\d{4}-\d{2}$/),
      '',
    ]);
    expect(await u.page.title()).toMatch(/^Insights: Active Citizens Fund rounds closing in the financial year/);
    const rounds = await u.main().locator('#chart-by-round-table tbody th').allTextContents();
    expect(rounds.length).toBeGreaterThan(0);
    for (const r of rounds) expect(r).toMatch(/Active Citizens/);
    for (const href of await u
      .main()
      .getByRole('link', { name: /^Download as CSV/ })
      .evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      expect(href).toContain(`?fundId=${address.get('fundId')}&year=${address.get('year')}`);

    // -- A year typed into the address that is not one: the problem is shown by its box.
    await u.goto('/staff/insights?year=2026', 400);
    await u.expectPage('Insights');
    expect(await u.errorSummaryText()).toContain('Select a financial year from the list');
    expect(await u.main().locator('svg[role="img"]').count()).toBe(0);
    await u.clickAndLoad(u.link('Clear filters'));
    await u.expectPage('Insights');
    expect(await u.main().locator('svg[role="img"]').count()).toBe(7);
    p.expectNoProblems();
  }, 180_000);
});
