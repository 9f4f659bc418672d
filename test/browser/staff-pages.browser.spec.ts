import * as fs from 'node:fs';
import type { Locator } from 'playwright-core';
import { describeInBrowser, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';
import { createUser, type TestUser } from '../support/identity';
import { Browsing } from './steps';

// Page functions run in the browser; the project compiles without the DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The staff pages in a real browser, as a fund manager on the demo data: the staff start page,
 * the rounds list, creating a round (first with mistakes), publishing it, the locked edit page of
 * an open round, the applications list with filters, the CSV download, one application and its
 * screening as ineligible; a fund's crime and disorder reduction setting. Every page has zero axe (WCAG 2.2 A/AA) violations and no console
 * error, script error, CSP violation or failed sub-resource.
 */
describeInBrowser('staff pages in a real browser (Chromium)', () => {
  let s: BrowserSession;
  let manager: TestUser;
  let vf7Id: string;

  beforeAll(async () => {
    // A copy of the demo data: Victims Fund 7, open, with its 48 applications.
    s = await startBrowserSession({ demo: true });
    manager = await createUser(s.testApp, ['fund_manager']);
    [{ id: vf7Id }] = await s.testApp.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 7'`);
  }, 120_000);
  afterAll(() => s?.close());

  let p: BrowserPage;
  let u: Browsing;
  beforeEach(async () => {
    await s.context.clearCookies();
    p = await s.newPage();
    u = new Browsing(s, p);
  });
  afterEach(async () => {
    await p.page.close();
  });

  const url = (path: string) => `${s.baseUrl}${path}`;

  const expectAccessiblePage = (heading: string | RegExp) => u.expectPage(heading);
  const clickAndLoad = (target: Locator) => u.clickAndLoad(target);
  const main = () => u.main();
  const button = (name: string) => u.button(name);
  const link = (name: string) => u.link(name);
  const errorSummaryText = () => u.errorSummaryText();
  const signIn = (user: TestUser) => u.signIn(user);

  it('a fund manager creates and publishes a round, and sees the locked settings of an open one', async () => {
    const { page } = p;
    await signIn(manager);

    // -- The staff dashboard, from the header.
    await clickAndLoad(page.locator('.govuk-service-navigation').getByRole('link', { name: 'Staff', exact: true }));
    expect(page.url()).toBe(url('/staff'));
    await expectAccessiblePage('Staff dashboard');
    expect(
      await main()
        .getByRole('link', { name: /^All \d+ applications to Victims Fund 7$/ })
        .count(),
    ).toBe(1);

    // -- The rounds.
    await clickAndLoad(link('See all funding rounds'));
    await expectAccessiblePage('Funding rounds');
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('Victims Fund 7') && r.includes('Open') && r.includes('£200,000'))).toBe(true);

    // -- A new round, first with mistakes: every problem listed, and what was typed kept.
    await clickAndLoad(main().getByRole('button', { name: 'Create a funding round' }));
    expect(page.url()).toBe(url('/staff/rounds/new'));
    await expectAccessiblePage('Create a funding round');
    expect(await page.getByLabel('Application form as JSON').inputValue()).toContain('"amountRequested"');
    await page.getByLabel('Name', { exact: true }).fill('Browser Round 1');
    await page.getByLabel('Total budget').fill('lots');
    await clickAndLoad(button('Create round'));
    expect(page.url()).toBe(url('/staff/rounds/new'));
    await expectAccessiblePage('Create a funding round');
    expect(await page.title()).toMatch(/^Error: /);
    const problems = await errorSummaryText();
    for (const m of [
      'Select a fund programme',
      'Enter a summary of the round',
      'Enter the date the round opens',
      'Enter the total budget in pounds',
      'Enter the smallest grant',
      'The round needs at least one application category',
    ]) {
      expect(problems).toContain(m);
    }
    expect(problems).not.toContain('Enter a name for the round');
    // In the order of the fields on the page.
    const hrefs = await page.locator('.govuk-error-summary__list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.slice(0, 3)).toEqual(['#programmeId', '#referencePrefix', '#summary']);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Browser Round 1');
    expect(await page.getByLabel('Total budget').inputValue()).toBe('lots');
    await page.screenshot({ path: '/tmp/staff-round-form-errors.png', fullPage: true });
    // The summary's links reach their fields.
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the total budget in pounds, like 20,000 or 1,250.50' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('totalBudget');

    // -- Now properly.
    await page.getByLabel('Fund programme').selectOption({ label: 'Victims Fund' });
    await page.getByLabel('Reference prefix').fill('BR1');
    await page.getByLabel('Summary', { exact: true }).fill('A round made in the browser test.');
    await page.locator('#opensAt-day').fill('1');
    await page.locator('#opensAt-month').fill('3');
    await page.locator('#opensAt-year').fill('2030');
    await page.locator('#closesAt-day').fill('15');
    await page.locator('#closesAt-month').fill('4');
    await page.locator('#closesAt-year').fill('2030');
    await page.getByLabel('Total budget').fill('100,000');
    await page.getByLabel('Smallest grant').fill('1,000');
    await page.getByLabel('Largest grant').fill('10,000');
    await page.getByRole('checkbox', { name: 'Registered charity' }).check();
    await page.getByRole('checkbox', { name: 'Coventry' }).check();
    await page.getByLabel('Categories of work').fill('hate_crime | Victims of hate crime\nother_victims | Other victims of crime');
    await page.getByLabel('Ring-fences (optional)').fill('Hate crime | £25,000 | hate_crime');
    await page.getByLabel('Assessment criteria').fill('Need | 3 | 0-5 | Evidence of need\nValue for money | 1 | 0-5 | Reasonable costs');
    await clickAndLoad(button('Create round'));
    expect(await errorSummaryText()).toBe('');
    expect(page.url()).toMatch(new RegExp(`^${url('/staff/rounds/')}[0-9a-f-]{36}\\?saved=created$`));
    await expectAccessiblePage('Browser Round 1');
    const summary = (await main().textContent()) ?? '';
    // 1 March is GMT, 15 April BST: both shown as typed, in London time.
    expect(summary).toContain('9am on Friday 1 March 2030');
    expect(summary).toContain('11:59pm on Monday 15 April 2030');
    const [stored] = await s.testApp.dataSource.query(`SELECT opens_at, closes_at FROM funding_round WHERE name = 'Browser Round 1'`);
    expect(stored.opens_at.toISOString()).toBe('2030-03-01T09:00:00.000Z');
    expect(stored.closes_at.toISOString()).toBe('2030-04-15T22:59:00.000Z');

    // -- Publishing needs the confirmation ticked.
    await clickAndLoad(button('Publish round'));
    await expectAccessiblePage('Browser Round 1');
    expect(await errorSummaryText()).toContain('Confirm that you have checked the round');
    await page.getByRole('checkbox', { name: /Yes, I have checked/ }).check();
    await clickAndLoad(button('Publish round'));
    await expectAccessiblePage('Browser Round 1');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Round published');
    expect(await main().locator('.govuk-tag').first().textContent()).toContain('Upcoming');
    await page.screenshot({ path: '/tmp/staff-round-summary.png', fullPage: true });

    // -- An open round: the settings that would change a submission are read-only.
    await page.goto(url(`/staff/rounds/${vf7Id}/edit`));
    await expectAccessiblePage('Edit Victims Fund 7');
    expect(await main().textContent()).toContain('Settings that can no longer change');
    expect(await page.locator('input[name="minGrant"]').count()).toBe(0);
    expect(await page.locator('textarea[name="form"]').count()).toBe(0);
    expect(await page.getByLabel('Closing time (London time)').inputValue()).toBe('23:59');
    await page.screenshot({ path: '/tmp/staff-round-locked.png', fullPage: true });
    p.expectNoProblems();
  }, 180_000);

  it('a fund manager filters the applications, downloads them as CSV and screens one as ineligible', async () => {
    const { page } = p;
    await signIn(manager);
    await page.goto(url('/staff'));
    await expectAccessiblePage('Staff dashboard');
    await clickAndLoad(main().getByRole('link', { name: /^All \d+ applications to Victims Fund 7$/ }));
    expect(page.url()).toBe(url(`/staff/rounds/${vf7Id}/applications`));
    await expectAccessiblePage('Applications');
    expect(await main().textContent()).toContain('48 applications in this round: 11 draft, 34 submitted, 3 withdrawn.');
    expect(await page.locator('tbody tr').count()).toBe(48);

    // -- The whole round as CSV.
    const downloadLink = main().getByRole('link', { name: /as a spreadsheet \(CSV\)/ });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^VF7-applications-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'Reference,Organisation,Organisation identifier,Charity number,Company number,Area,Category,Amount requested (£),Status,Submitted at (London time),Screening reason,Duplicate flags',
    );
    expect(lines.length - 1).toBe(48);

    // -- Filtered: submitted hate-crime bids of at least £5,000.
    await page.getByLabel('Status').selectOption({ label: 'Submitted' });
    await page.getByLabel('Category').selectOption({ label: 'Victims of hate crime' });
    await page.getByLabel('Amount requested from').fill('5,000');
    await clickAndLoad(button('Search and filter'));
    expect(page.url()).toContain('status=submitted');
    await expectAccessiblePage('Applications');
    const filtered = await page.locator('tbody tr').allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(48);
    for (const r of filtered) {
      expect(r).toContain('Victims of hate crime');
      expect(r).toContain('Submitted');
    }
    expect(await main().locator('caption').textContent()).toMatch(new RegExp(`${filtered.length} of 48 applications match`));
    // The filters are kept, and the CSV link carries them.
    expect(await page.getByLabel('Amount requested from').inputValue()).toBe('5,000');
    expect(await downloadLink.getAttribute('href')).toContain('category=hate_crime');
    await page.screenshot({ path: '/tmp/staff-applications-filtered.png', fullPage: true });

    // -- A filter that makes no sense is explained, not ignored.
    await page.getByLabel('Amount requested up to').fill('1,000');
    await clickAndLoad(button('Search and filter'));
    await expectAccessiblePage('Applications');
    expect(await errorSummaryText()).toContain('The largest amount must be the same as or more than the smallest amount');

    // -- One application.
    await clickAndLoad(link('Clear search and filters'));
    await expectAccessiblePage('Applications');
    await clickAndLoad(main().getByRole('link', { name: /^VF7-0001/ }));
    await expectAccessiblePage(/^VF7-0001: /);
    const detail = (await main().textContent()) ?? '';
    expect(detail).toContain('These are the answers exactly as submitted');
    expect(detail).toContain('Which victims will the project support?');
    expect(detail).toContain('safeguarding-policy.pdf');
    // Submitted already, so no extension is offered: an extension only helps a draft.
    expect(await main().getByRole('heading', { name: 'Grant an extension to this organisation' }).count()).toBe(0);
    // The file link downloads the PDF.
    const fileHref = await main().getByRole('link', { name: 'safeguarding-policy.pdf' }).first().getAttribute('href');
    const file = await page.request.get(url(fileHref!));
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');

    // -- Screening: not eligible needs a reason.
    await page.getByRole('radio', { name: 'Not eligible' }).check();
    await clickAndLoad(button('Record screening'));
    await expectAccessiblePage(/^VF7-0001: /);
    expect(await errorSummaryText()).toContain('Give the reason the application is not eligible');
    // The choice is kept.
    expect(await page.getByRole('radio', { name: 'Not eligible' }).isChecked()).toBe(true);
    await page.getByLabel('Reason (needed if it is not eligible)').fill('The project is outside the West Midlands.');
    await clickAndLoad(button('Record screening'));
    await expectAccessiblePage(/^VF7-0001: /);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Screening recorded as not eligible');
    expect(await main().textContent()).toContain('The project is outside the West Midlands.');
    expect(await page.getByRole('radio', { name: 'Not eligible' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/staff-application-screened.png', fullPage: true });
    p.expectNoProblems();
  }, 180_000);

  it('a fund manager makes the Victims Fund’s grants crime and disorder reduction grants, and sets its cost centre', async () => {
    const { page } = p;
    await signIn(manager);
    await page.goto(url('/staff'));
    await expectAccessiblePage('Staff dashboard');
    await clickAndLoad(link('Funds and their settings'));
    await expectAccessiblePage('Funds');
    await clickAndLoad(link('Victims Fund'));
    await expectAccessiblePage('Victims Fund');
    expect(await main().textContent()).toContain('No: its grants are not on the crime and disorder reduction grants page');
    await clickAndLoad(main().getByRole('link', { name: 'Change whether its grants are crime and disorder reduction grants' }));
    await expectAccessiblePage('Fund settings');
    // The question says what the answer publishes.
    const question = page.getByRole('group', { name: 'Are this fund’s grants crime and disorder reduction grants?' });
    expect(await question.textContent()).toContain('Elected Local Policing Bodies (Specified Information) Order 2011');
    expect(await page.getByRole('radio', { name: 'No' }).isChecked()).toBe(true);

    // -- A cost centre a spreadsheet would run is refused, with what was typed kept.
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByLabel('Cost centre').fill('=SUM(A1)');
    await clickAndLoad(button('Save settings'));
    await expectAccessiblePage('Fund settings');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await errorSummaryText()).toContain('Cost centre must be letters, numbers, hyphens, full stops or slashes');
    expect(await page.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Cost centre').inputValue()).toBe('=SUM(A1)');

    // -- Then properly.
    await page.getByLabel('Cost centre').fill('PCC-VF-4610');
    await clickAndLoad(button('Save settings'));
    await expectAccessiblePage('Victims Fund');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Settings saved');
    const settings = (await main().locator('.govuk-summary-list').textContent()) ?? '';
    expect(settings).toContain('Yes: its grants are published each month as crime and disorder reduction grants');
    expect(settings).toContain('PCC-VF-4610');
    await page.screenshot({ path: '/tmp/staff-fund-settings.png', fullPage: true });
    p.expectNoProblems();
  }, 180_000);
});
