import { describeInBrowser, expectNoAxeViolations, startBrowserSession, type BrowserPage, type BrowserSession } from '../support/browser';

// Page functions run in the browser; the project compiles without the DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

describeInBrowser('public pages in a real browser (Chromium)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await startBrowserSession();
  });
  afterAll(() => s?.close());

  let p: BrowserPage;
  beforeEach(async () => {
    p = await s.newPage();
  });
  afterEach(async () => {
    await p.page.close();
  });

  it('renders the start page accessibly, with GOV.UK Frontend JS running under the CSP', async () => {
    const { page } = p;
    const res = await page.goto(`${s.baseUrl}/`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toContain('PCC Grants');
    await expect(page.locator('h1').textContent()).resolves.toBe('Apply for a grant from the Police and Crime Commissioner');
    expect(await page.locator('h1').count()).toBe(1);

    // GOV.UK Frontend's nonce'd inline snippet ran, then the /public/init.js module initialised the components.
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))).toBe(true);
    await page.waitForFunction(() => document.querySelector('[data-module="govuk-service-navigation"]')?.getAttribute('data-govuk-service-navigation-init') !== null);

    // Styled: the GOV.UK stylesheet loaded (the header bar is not the default transparent background).
    const headerBg = await page.evaluate(() => getComputedStyle(document.querySelector('.govuk-header, .govuk-generic-header')).backgroundColor);
    expect(headerBg).not.toBe('rgba(0, 0, 0, 0)');

    await page.screenshot({ path: '/tmp/start.png', fullPage: true });
    await expectNoAxeViolations(page);

    const statement = page.locator('footer a[href="/accessibility"]');
    await expect(statement.textContent()).resolves.toBe('Accessibility statement');
    await Promise.all([page.waitForURL(`${s.baseUrl}/accessibility`), statement.click()]);
    expect(await page.title()).toContain('Accessibility statement');
    await expect(page.locator('h1').textContent()).resolves.toContain('Accessibility statement');
    await expectNoAxeViolations(page);

    p.expectNoProblems();
  });

  it('lists the funds accessibly', async () => {
    const res = await p.page.goto(`${s.baseUrl}/funds`);
    expect(res?.status()).toBe(200);
    await expect(p.page.locator('h1').textContent()).resolves.toBe('Funds you can apply to');
    await expectNoAxeViolations(p.page);
    p.expectNoProblems();
  });

  it('shows an accessible GOV.UK 404 page for an unknown address', async () => {
    const res = await p.page.goto(`${s.baseUrl}/no-such-page`);
    expect(res?.status()).toBe(404);
    await expect(p.page.locator('h1').textContent()).resolves.toBe('Page not found');
    expect(await p.page.title()).toContain('PCC Grants');
    await expectNoAxeViolations(p.page);
    p.expectNoProblems();
  });

  it('fits a 375px-wide phone screen without horizontal scrolling', async () => {
    const { page } = p;
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${s.baseUrl}/`);
    await page.waitForLoadState('load');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    // On a narrow screen the service navigation collapses behind a "Menu" button that only
    // GOV.UK Frontend's JavaScript reveals: proof init.js ran.
    const toggle = page.locator('.govuk-service-navigation__toggle');
    await toggle.waitFor({ state: 'visible' });
    await expectNoAxeViolations(page);
    p.expectNoProblems();
  });
});
