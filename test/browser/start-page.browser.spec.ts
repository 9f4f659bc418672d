import type { Page } from 'playwright-core';
import {
  describeInBrowser,
  expectAccessibleTemplate,
  expectNoAxeViolations,
  startBrowserSession,
  type BrowserPage,
  type BrowserSession,
} from '../support/browser';

// Page functions run in the browser; the project compiles without the DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string; fontFamily: string };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** GOV.UK Frontend marks each component it initialises with data-<module>-init. */
async function expectGovukComponentsInitialised(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.querySelectorAll('[data-module]').length)).toBeGreaterThan(0);
  // init.js is a module script, so it runs after parsing; wait for it rather than race it.
  await page
    .waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-module]') as ArrayLike<{ getAttribute(n: string): string; hasAttribute(n: string): boolean }>).every((el) =>
          el.hasAttribute(`data-${el.getAttribute('data-module')}-init`),
        ),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  const uninitialised = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-module]') as ArrayLike<{ getAttribute(n: string): string; hasAttribute(n: string): boolean }>)
      .filter((el) => !el.hasAttribute(`data-${el.getAttribute('data-module')}-init`))
      .map((el) => el.getAttribute('data-module')),
  );
  expect(uninitialised).toEqual([]);
}

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
    await expectGovukComponentsInitialised(page);

    // Styled: the GOV.UK stylesheet loaded (the header bar is not the default transparent background).
    const headerBg = await page.evaluate(() => getComputedStyle(document.querySelector('.govuk-header, .govuk-generic-header')).backgroundColor);
    expect(headerBg).not.toBe('rgba(0, 0, 0, 0)');
    // Not a GOV.UK service, so not GOV.UK's licensed font: the page, its heading and its text are
    // in the system font stack (the served stylesheet names GDS Transport nowhere).
    const fonts = await page.evaluate(() => ['body', 'h1', 'main p.govuk-body'].map((s) => getComputedStyle(document.querySelector(s)).fontFamily));
    expect(fonts).toEqual(Array(3).fill(expect.stringMatching(/^system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif$/)));

    await page.screenshot({ path: '/tmp/start.png', fullPage: true });
    await expectAccessibleTemplate(page);

    // Found by role, as assistive technology finds it: a link in the page's contentinfo landmark.
    const statement = page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility statement', exact: true });
    expect(await statement.count()).toBe(1);
    expect(await statement.getAttribute('href')).toBe('/accessibility');
    await Promise.all([page.waitForURL(`${s.baseUrl}/accessibility`), statement.click()]);
    expect(await page.title()).toContain('Accessibility statement');
    await expect(page.locator('h1').textContent()).resolves.toContain('Accessibility statement');
    await expectAccessibleTemplate(page);

    p.expectNoProblems();
  });

  it('lists the funds accessibly', async () => {
    const res = await p.page.goto(`${s.baseUrl}/funds`);
    expect(res?.status()).toBe(200);
    await expect(p.page.locator('h1').textContent()).resolves.toBe('Funds you can apply to');
    await expectAccessibleTemplate(p.page);
    p.expectNoProblems();
  });

  it('shows an accessible GOV.UK 404 page for an unknown address', async () => {
    const res = await p.page.goto(`${s.baseUrl}/no-such-page`);
    expect(res?.status()).toBe(404);
    await expect(p.page.locator('h1').textContent()).resolves.toBe('Page not found');
    expect(await p.page.title()).toContain('PCC Grants');
    await expectAccessibleTemplate(p.page);
    p.expectNoProblems();
  });

  it('fits a 375px-wide phone screen without horizontal scrolling', async () => {
    const { page } = p;
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${s.baseUrl}/`);
    await page.waitForLoadState('load');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))).toBe(true);
    await expectGovukComponentsInitialised(page);
    await expectAccessibleTemplate(page);
    p.expectNoProblems();
  });

  // The checks above only mean something if they can fail: a control with known problems.
  it('would catch an axe violation, a CSP violation and a script error', async () => {
    const { page } = p;
    await page.goto(`${s.baseUrl}/funds`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
      document.querySelector('main').appendChild(img); // no alt text
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true'; // no nonce: the CSP must refuse it
      document.body.appendChild(script);
      setTimeout(() => {
        throw new Error('deliberate');
      });
    });
    await expect(expectNoAxeViolations(page)).rejects.toThrow(/image-alt \[critical\][\s\S]*at \["[^"]*img"\]/);
    expect(await page.evaluate(() => (globalThis as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    for (let i = 0; i < 50 && !(p.problems.some((x) => x.kind === 'csp') && p.problems.some((x) => x.kind === 'pageerror')); i++) {
      await page.waitForTimeout(100);
    }
    expect(() => p.expectNoProblems()).toThrow(/\[csp\][\s\S]*\[pageerror\] Error: deliberate/);
  });
});
