import * as fs from 'node:fs';
import { seedDemoData } from '../../src/demo/seed';
import { demoPassword } from '../support/database';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { Browsing } from './steps';

/**
 * Issue 13 in a real browser, on the demo data, as a member of the public (not signed in): the
 * funded projects are searched and filtered with the GOV.UK form (a bad value first), a project's
 * page opened and left by its back link, which keeps the search; the Specified Information list
 * of crime and disorder reduction grants is filtered by month. Every page passes axe at 1280 and
 * 375 px (see expectAccessiblePage) with no console or CSP problem, and needs no JavaScript to work.
 */
describeInBrowser('transparency pages in a real browser (Chromium)', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession();
    await seedDemoData(s.testApp.app, undefined, demoPassword());
  }, 180_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(() => p.page.close());

  it('searches the funded projects and opens a grant’s page', async () => {
    const { page } = p;
    await u.goto('/');
    await u.clickAndLoad(page.getByRole('contentinfo').getByRole('link', { name: 'Funded projects' }));
    await u.expectPage('Funded projects');
    const all = await u.main().locator('.app-funded-projects li').count();
    expect(all).toBeGreaterThanOrEqual(4);

    // A value that is not on the list (a hand-made address): the error is next to its box.
    await u.goto('/funded-projects?area=E99999999', 400);
    await u.expectPage('Funded projects');
    expect(await u.errorSummary()).toEqual([{ text: 'Select an area from the list', href: '#area' }]);
    await u.expectErrorsLinkedToFields();
    await u.clickAndLoad(u.link('Clear filters'));
    await u.expectPage('Funded projects');
    await u.expectNoErrorSummary();

    // Filter by fund and search by text.
    await page.getByLabel('Fund', { exact: true }).selectOption({ label: 'Active Citizens Fund' });
    await page.getByLabel('Search by project, organisation or reference').fill('tipton');
    await u.clickAndLoad(u.button('Search and filter'));
    await u.expectPage('Funded projects');
    expect(new URL(page.url()).searchParams.get('fund')).toBe('ACF');
    const found = u.main().locator('.app-funded-projects li');
    expect(await found.count()).toBe(1);
    expect(await found.textContent()).toContain('Tipton Community Clean-up');
    expect(await page.getByLabel('Search by project, organisation or reference').inputValue()).toBe('tipton');

    // The project's page: amount, purpose, recipient, area, the decision; back to the same search.
    await u.clickAndLoad(found.getByRole('link'));
    await u.expectPage(/.+/);
    const text = (await u.main().textContent()) ?? '';
    expect(text).toContain('Tipton Community Clean-up');
    expect(text).toMatch(/Amount awarded\s*£[\d,]+/);
    expect(text).toContain('Purpose');
    expect(text).toContain('Sandwell');
    const decision = u.main().getByRole('link', { name: /^PCC Decision \d{3}-\d{4}$/ });
    expect(await decision.count()).toBe(1);
    await u.clickAndLoad(page.getByRole('link', { name: 'Back to funded projects' }));
    await u.expectPage('Funded projects');
    expect(new URL(page.url()).searchParams.get('q')).toBe('tipton');
    await u.clickAndLoad(u.main().locator('.app-funded-projects li').getByRole('link'));
    await u.clickAndLoad(u.main().getByRole('link', { name: /^PCC Decision / }));
    await u.expectPage(/^Active Citizens Budget/);
  });

  it('shows the Specified Information list of crime and disorder reduction grants, by year and month', async () => {
    const { page } = p;
    await u.goto('/open-data');
    await u.clickAndLoad(u.main().getByRole('link', { name: 'crime and disorder reduction grants' }));
    await u.expectPage('Crime and disorder reduction grants');
    const grants = u.main().locator('.app-specified-grant');
    const count = await grants.count();
    expect(count).toBeGreaterThanOrEqual(1);
    const first = (await grants.first().textContent()) ?? '';
    for (const heading of ['Recipient', 'Purpose', 'Conditions', 'Reasons', 'Decision']) expect(first).toContain(heading);

    // Every year at once, as a spreadsheet: the same columns, a row per grant.
    const allYears = u.link('Download the grants of all years as a spreadsheet (CSV)');
    const [download] = await Promise.all([page.waitForEvent('download'), allYears.click()]);
    expect(download.suggestedFilename()).toBe('crime-and-disorder-grants-all-years.csv');
    const lines = fs.readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(lines[0]).toMatch(/^Month,Award date,Grant reference,Recipient,/);
    expect(lines.filter((l) => /^\d{4}-\d{2},/.test(l)).length).toBeGreaterThanOrEqual(count);
    expect(await u.link('Download the grants of all years as data (JSON)').getAttribute('href')).toBe('/transparency/crime-and-disorder-grants/all-years.json');

    // One month: the month of the first grant listed.
    const [month] = await u
      .main()
      .locator('h2[id^="month-"]')
      .evaluateAll((hs) => hs.map((h) => (h as unknown as { id: string }).id.slice(6)));
    await page.getByLabel('Month').selectOption(String(Number(month.slice(5))));
    await u.clickAndLoad(u.button('Show grants'));
    await u.expectPage('Crime and disorder reduction grants');
    expect(await u.main().locator('h2[id^="month-"]').count()).toBe(1);
    expect(await u.main().locator(`#month-${month}`).count()).toBe(1);
    expect(await u.link('Clear filters').count()).toBe(1);

    // A year that cannot be: the error by the year's box.
    await u.goto('/transparency/crime-and-disorder-grants?year=1999', 400);
    await u.expectPage('Crime and disorder reduction grants');
    expect(await u.errorSummary()).toEqual([{ text: 'Select a year from the list', href: '#year' }]);
    await u.expectErrorsLinkedToFields();
  });
});
