import { seedRoundApplications } from '../support/application-lists';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { createUser, type TestUser } from '../support/identity';
import { createPublishedRound, roundBody, staffMember, type RoundJson } from '../support/rounds';
import { Browsing } from './steps';

/**
 * Issue 9's lists that scale, in a real browser: a fund manager works through a round of 300
 * applications — sorts by amount, filters to those waiting for screening, goes to page 3, opens an
 * application, steps to the next with "Next" and comes back to page 3 of the same list. Three pages
 * are checked with axe (the list, the list as filtered, an application); the rest are clicks.
 */
describeInBrowser('a fund manager paging, sorting and filtering 300 applications (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let round: RoundJson;
  let p: BrowserPage;

  beforeAll(async () => {
    s = await startBrowserSession({ demo: true });
    manager = await createUser(s.testApp, ['fund_manager']);
    const [{ id: vf }] = await s.testApp.dataSource.query(`SELECT id FROM fund_programme WHERE code = 'VF'`);
    round = await createPublishedRound(s.testApp, await staffMember(s.testApp, 'fund_manager'), roundBody(vf, { name: 'Paging test round' }));
    const categories = (round.categories as { code: string }[]).map((c) => c.code);
    await seedRoundApplications(s.testApp.dataSource, {
      roundId: round.id,
      prefix: round.referencePrefix,
      n: 300,
      createdBy: manager.id,
      categories,
      tag: 'Paging',
    });
    p = await s.newPage();
  }, 120_000);
  afterAll(async () => {
    await p?.page.close();
    await s?.close();
  });

  it('pages, sorts, filters, opens an application, steps to the next and returns to the same page', async () => {
    const u = new Browsing(s, p);
    const { page } = p;
    const listPath = `/staff/rounds/${round.id}/applications`;
    const caption = () =>
      page
        .locator('caption')
        .first()
        .textContent()
        .then((t) => t!.replace(/\s+/g, ' ').trim());
    const currentPage = () =>
      page
        .locator('.govuk-pagination__item--current')
        .textContent()
        .then((t) => t!.trim());
    await u.signIn(manager);

    await u.goto(listPath);
    await u.expectPage('Applications');
    expect(await caption()).toBe('300 applications, showing 1 to 50');
    const totals = (await u.main().locator('.govuk-summary-list').first().textContent())!.replace(/\s+/g, ' ');
    expect(totals).toMatch(/Whole round £[\d,]+ requested against £[\d,]+: over-subscribed by £[\d,]+ \(\d+%\)/);
    expect(totals).toMatch(/Drafts \(not counted above\) 30 drafts asking for £[\d,]+ so far/);
    expect(
      await page
        .locator('.govuk-pagination__item')
        .allTextContents()
        .then((t) => t.map((x) => x.trim())),
    ).toEqual(['1', '2', '⋯', '6']);

    // Largest first, then only those waiting for screening: the sort is kept by the filter form.
    await u.clickAndLoad(u.main().getByRole('link', { name: /^Amount requested/ }));
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Amount requested');
    await page.getByLabel('Status').selectOption('submitted');
    await u.clickAndLoad(u.button('Search and filter'));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-amount');
    // From page 1 the pagination offers 1 2 ⋯ 5; page 3 appears once on page 2.
    await u.clickAndLoad(page.locator('.govuk-pagination').getByRole('link', { name: 'Next page' }));
    await u.clickAndLoad(page.locator('.govuk-pagination').getByRole('link', { name: 'Page 3' }));
    const page3 = page.url();
    expect(new URL(page3).search).toBe('?status=submitted&sort=-amount&page=3');
    await u.expectPage('Applications');
    // 300 less 30 drafts and 38 already screened eligible.
    expect(await caption()).toBe('232 of 300 applications match, showing 101 to 150');
    const amounts = (await u.main().locator('tbody td.govuk-table__cell--numeric').allTextContents()).map((a) => Number(a.replace(/[£,]/g, '')));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

    const first = u.main().locator('tbody tr').first().getByRole('link').first();
    const firstReference = (await first.textContent())!.split(' ')[0].trim();
    await u.clickAndLoad(first);
    await u.expectPage(new RegExp(`^${firstReference}: Paging group`));
    expect(await page.locator('.govuk-caption-l').first().textContent()).toContain('application 101 of 232 in your list');
    await u.clickAndLoad(page.getByRole('link', { name: 'Next application' }));
    expect(await page.locator('.govuk-caption-l').first().textContent()).toContain('application 102 of 232 in your list');
    expect(await page.locator('h1').textContent()).not.toContain(firstReference);
    await u.clickAndLoad(page.locator('.govuk-breadcrumbs').getByRole('link', { name: 'Applications to Paging test round' }));
    expect(page.url()).toBe(page3);
    expect(await currentPage()).toBe('3');
    expect(await page.getByLabel('Status').inputValue()).toBe('submitted');
    p.expectNoProblems();
  }, 180_000);
});
