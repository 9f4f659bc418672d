import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { getDataSourceToken } from '@nestjs/typeorm';
import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/platform/config/app-config';
import { createRootLogger } from '../../src/platform/logging/logger';
import { createTestDatabase, RUN_DIR_ENV, testDataEncryptionKey } from './database';
import type { TestApp, TestAppOptions } from './test-app';

/**
 * Real-browser tests: the real application listening on a loopback port, driven by the machine's
 * own Chromium (Debian's chromium-headless-shell or chromium, or CHROMIUM_PATH). No browser is ever downloaded.
 *
 * Without Chromium the browser suites are skipped with a loud warning so `npm test` still works
 * on a developer machine — except under CI, where they fail instead, so CI can never pass by
 * silently skipping them.
 */

// Page functions passed to page.evaluate() run in the browser. The project compiles without the
// DOM lib (adding it would leak browser globals into server code), so declare just what is used.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Debian's chromium-headless-shell when it is installed (CI installs it), else Debian's chromium.
 * The headless shell is the same Blink without the browser's UI layers: the phone walk, 129
 * navigations with axe, used about 15% less CPU with it (91-99 against 107 core-seconds).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || firstExecutable(['/usr/bin/chromium-headless-shell', '/usr/bin/chromium']);

function firstExecutable(paths: string[]): string {
  for (const p of paths) {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // try the next
    }
  }
  return paths[paths.length - 1];
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Containers often give /dev/shm only 64 MB, which crashes renderers; use /tmp instead.
  '--disable-dev-shm-usage',
];

/** The WCAG 2.0/2.1/2.2 A and AA rules; best-practice rules are advisory and not enforced. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return fs.statSync(CHROMIUM_PATH).isFile();
  } catch {
    return false;
  }
}

/** CI=true (or any value but empty, 0 or false), as CI services set it. */
function runningInCi(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

const MISSING_MESSAGE =
  `Chromium was not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get install -y chromium-headless-shell, ` +
  `or chromium) or point CHROMIUM_PATH at a Chromium binary.`;

/**
 * `describe` for a browser suite. Runs it when Chromium is installed; otherwise fails it under CI
 * (CI is set) and skips it, with a warning, everywhere else.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (chromiumAvailable()) {
    describe(name, fn);
  } else if (runningInCi()) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${MISSING_MESSAGE} Browser tests cannot be skipped when CI is set.`);
      });
    });
  } else {
    console.warn(
      `\n${'!'.repeat(100)}\n!! SKIPPING BROWSER TESTS "${name}": ${MISSING_MESSAGE}\n` +
        `!! (Under CI=true these tests fail instead of skipping.)\n${'!'.repeat(100)}\n`,
    );
    describe.skip(name, fn);
  }
}

/** Something that went wrong in the page: a console error, an uncaught exception, a CSP violation or a failed sub-resource. */
export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp' | 'request';
  text: string;
  url?: string;
}

export interface BrowserPage {
  page: Page;
  /** Problems seen in this page so far, in order. */
  problems: PageProblem[];
  /** Fails listing every problem seen (except the expected error status of the main document itself). */
  expectNoProblems(): void;
}

export interface BrowserSession {
  /** e.g. http://127.0.0.1:43121 (no trailing slash) */
  baseUrl: string;
  testApp: TestApp;
  context: BrowserContext;
  newPage(): Promise<BrowserPage>;
  close(): Promise<void>;
}

export interface BrowserSessionOptions extends TestAppOptions {
  /** Start from the demo data (a copy of the run's demo template; see test/support/database.ts). */
  demo?: boolean;
}

/**
 * The real application on its own fresh database, as startTestApp (test/support/test-app.ts) makes
 * it, but optionally cloned from the demo template rather than seeded file by file.
 */
async function startApp(options: BrowserSessionOptions): Promise<TestApp> {
  const database = await createTestDatabase({ demo: options.demo });
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG ?? 'silent',
      OUTBOX_POLL_MS: '0',
      DATA_ENCRYPTION_KEY: testDataEncryptionKey(),
      ...options.env,
    });
    const app = await createApp({ config, databaseUrl: database.url, logger: createRootLogger(config, options.logDestination) });
    return {
      app,
      dataSource: app.get<DataSource>(getDataSourceToken()),
      database,
      config,
      http: app.getHttpServer(),
      close: async () => {
        await app.close();
        await database.drop();
      },
    };
  } catch (err) {
    await database.drop().catch(() => undefined);
    throw err;
  }
}

/**
 * Starts the real application (its own fresh database) on 127.0.0.1 with an ephemeral port, and a
 * headless Chromium with a fresh, throwaway profile.
 */
export async function startBrowserSession(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
  const testApp = await startApp(options);
  let userDataDir: string | undefined;
  try {
    await testApp.app.listen(0, '127.0.0.1');
    const { port } = testApp.app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;

    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-chromium-'));
    // A persistent context is how Playwright takes an explicit --user-data-dir; it is a new
    // empty folder each run, so nothing leaks between runs.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      timeout: 30_000,
    });
    const pages: BrowserPage[] = [];
    const dir = userDataDir;
    return {
      baseUrl,
      testApp,
      context,
      async newPage() {
        const page = await context.newPage();
        const watched = await watchPage(page);
        pages.push(watched);
        return watched;
      },
      async close() {
        await Promise.allSettled(pages.map((p) => p.page.close()));
        await context.close().catch(() => undefined);
        await testApp.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await testApp.close().catch(() => undefined);
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Records console errors, uncaught exceptions, CSP violations (both Chromium's console report and
 * the DOM securitypolicyviolation event, which catches report-only and worker cases too) and
 * failed sub-resource requests.
 */
export async function watchPage(page: Page): Promise<BrowserPage> {
  const problems: PageProblem[] = [];
  // Main-document URLs that answered 4xx/5xx: that expected status (e.g. the 404 page, or a form
  // re-rendered with a 400) is not a problem. Remembered even if the same URL later answers 200
  // (a form posted again successfully), since the problem list keeps the earlier console message.
  const errorDocuments = new Set<string>();

  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url;
    problems.push({ kind: /Content Security Policy/i.test(msg.text()) ? 'csp' : 'console', text: msg.text(), url });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: err.stack ?? err.message }));
  page.on('requestfailed', (req) =>
    problems.push({ kind: 'request', text: `${req.method()} ${req.url()} failed: ${req.failure()?.errorText}`, url: req.url() }),
  );
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      if (res.status() >= 400) errorDocuments.add(res.url());
    } else if (res.status() >= 400) {
      problems.push({ kind: 'request', text: `${req.method()} ${res.url()} answered ${res.status()}`, url: res.url() });
    }
  });
  // Bindings and init scripts go through the DevTools protocol, so the page's CSP does not block them.
  await page.exposeFunction('__pccReportCspViolation', (text: string, url: string) => problems.push({ kind: 'csp', text, url }));
  await page.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e: { disposition: string; effectiveDirective: string; blockedURI: string; sourceFile: string; lineNumber: number; documentURI: string }) => {
        window.__pccReportCspViolation(
          `CSP ${e.disposition} violation of ${e.effectiveDirective} by ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
          e.documentURI,
        );
      },
    );
  });

  return {
    page,
    problems,
    expectNoProblems() {
      const unexpected = problems.filter(
        (p) =>
          // Chromium logs "Failed to load resource: ... 404" for a document whose error status we asked for.
          !(p.kind === 'console' && p.url && errorDocuments.has(p.url) && /Failed to load resource/.test(p.text)),
      );
      if (unexpected.length) {
        throw new Error(
          `The page reported ${unexpected.length} problem(s):\n` + unexpected.map((p) => `  [${p.kind}] ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n'),
        );
      }
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core's WCAG 2.2 A/AA rules against the current page and fails listing each violation.
 * axe is injected by evaluating its source through the DevTools protocol rather than a <script>
 * tag, which the site's CSP (rightly) refuses.
 *
 * Every run costs a third to three quarters of a second; page visits use expectAccessibleTemplate,
 * which runs this once per template and width. Call it directly for a state a test sets up by hand
 * (an opened menu, an opened details element).
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // PCC_AXE_LOG=<file> lists every axe run, to count them.
  if (process.env.PCC_AXE_LOG) fs.appendFileSync(process.env.PCC_AXE_LOG, `${page.viewportSize()?.width ?? '?'} ${page.url()}\n`);
  const injected = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!injected) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source: string = require('axe-core').source;
    await page.evaluate(source);
  }
  const violations = await page.evaluate(async (tags: string[]) => {
    const results: { violations: AxeViolation[] } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  if (violations.length) {
    const lines = violations.map(
      (v) =>
        `  - ${v.id} [${v.impact ?? 'unknown impact'}]: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .map((n) => `      at ${JSON.stringify(n.target)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
          .join('\n'),
    );
    throw new Error(`axe found ${violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`);
  }
}

/**
 * Waits until GOV.UK Frontend has initialised every component on the page (init.js is a module
 * script, so it runs after parsing): the error summary takes focus, the menu toggle appears, etc.
 */
export async function waitForGovukFrontend(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.waitForFunction(
    () =>
      document.body.classList.contains('govuk-frontend-supported') &&
      Array.from(document.querySelectorAll('[data-module]') as ArrayLike<{ getAttribute(n: string): string; hasAttribute(n: string): boolean }>).every((el) =>
        el.hasAttribute(`data-${el.getAttribute('data-module')}-init`),
      ),
    undefined,
    { timeout: 5_000 },
  );
}

/** Fails when the page is wider than the viewport (content a phone user would have to scroll sideways to read). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth) {
    const culprits = await page.evaluate((width: number) => {
      const wide: string[] = [];
      const elements = Array.from<{ getBoundingClientRect(): { right: number }; tagName: string; id: string; className: string; closest(s: string): unknown }>(
        document.querySelectorAll('body *'),
      );
      const scrolls = (el: { closest(s: string): unknown }) => {
        const box = el.closest('.app-table-scroll') as object | null;
        return box !== null && box !== el;
      };
      for (const el of elements) {
        // Content inside a box that scrolls on its own (a wide table's wrapper) is not to blame.
        if (scrolls(el)) continue;
        if (el.getBoundingClientRect().right > width + 1)
          wide.push(
            `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`,
          );
      }
      return wide.slice(0, 10);
    }, clientWidth);
    throw new Error(`${page.url()} scrolls sideways: ${scrollWidth}px of content in a ${clientWidth}px viewport. Too wide: ${culprits.join(', ')}`);
  }
}

/** The widths every page template is checked at: a desktop and a small phone. */
export const DESKTOP_WIDTH = 1280;
export const PHONE_WIDTH = 375;

/**
 * What makes two page visits "the same template" for axe: the route (ids and numbers replaced),
 * and the parts of a page that appear and disappear with its state — an error summary, a
 * notification banner, a confirmation panel, a task list, form fields. The data on the page (names,
 * amounts, how many rows) is not part of it.
 */
export async function templateKey(page: Page): Promise<string> {
  const { pathname, parts } = await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body;
    const has = (selector: string) => (main.querySelector(selector) ? 1 : 0);
    return {
      pathname: window.location.pathname as string,
      parts: [
        has('.govuk-error-summary'),
        has('.govuk-notification-banner'),
        has('.govuk-panel'),
        has('.govuk-task-list'),
        has('.govuk-form-group'),
        has('.govuk-table'),
        has('.govuk-summary-list'),
      ].join(''),
    };
  });
  const route = pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
  return `${route} ${parts}`;
}

/**
 * Which templates have passed axe at which width, shared by every browser test file in this jest
 * run (a folder of marker files made by the global set-up), or this file alone when run otherwise.
 */
const checkedHere = new Set<string>();
function axeMemo(): { has(key: string): boolean; add(key: string): void } {
  const dir = process.env[RUN_DIR_ENV];
  const file = (key: string) => path.join(dir!, `axe-${createHash('sha1').update(key).digest('hex')}`);
  return {
    has: (key) => checkedHere.has(key) || (!!dir && fs.existsSync(file(key))),
    add: (key) => {
      checkedHere.add(key);
      if (dir) fs.writeFileSync(file(key), key);
    },
  };
}

/** Waits until a change of viewport has been laid out and GOV.UK Frontend has reacted to it. */
async function settleLayout(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => window.requestAnimationFrame(() => window.requestAnimationFrame(resolve))));
}

/**
 * Zero axe violations on this page's template (see templateKey) at both widths, desktop and phone,
 * checking only what this run has not checked yet: the first visit to a template checks it at
 * the width it is shown at and, by resizing the window for a moment, at the other; later visits to
 * the same template cost nothing. At the phone width it also checks the page does not scroll
 * sideways (expectAccessiblePage repeats that cheap check on every page of a phone-sized test).
 */
export async function expectAccessibleTemplate(page: Page): Promise<void> {
  const memo = axeMemo();
  const key = await templateKey(page);
  const shown = page.viewportSize() ?? { width: DESKTOP_WIDTH, height: 800 };
  const widths = [shown.width, ...[DESKTOP_WIDTH, PHONE_WIDTH].filter((w) => w !== shown.width)];
  let resized = false;
  try {
    for (const width of widths) {
      const widthKey = `${width} ${key}`;
      if (memo.has(widthKey)) continue;
      if (width !== (page.viewportSize()?.width ?? shown.width)) {
        await page.setViewportSize({ width, height: shown.height });
        resized = true;
        await settleLayout(page);
      }
      await expectNoAxeViolations(page);
      // Every page must fit a small phone: checked here too, so pages visited only at desktop
      // width are held to it (wide data tables scroll inside .app-table-scroll, not the page).
      if (width <= PHONE_WIDTH) await expectNoHorizontalScroll(page);
      memo.add(widthKey);
    }
  } finally {
    if (resized) {
      await page.setViewportSize(shown);
      await settleLayout(page);
    }
  }
}

/**
 * The checks every page visit makes: GOV.UK Frontend ready, exactly one h1 with the expected
 * text, zero axe violations on its template at both widths (once per run, see
 * expectAccessibleTemplate), nothing in the problem log, and, on a phone-sized window, no sideways
 * scroll (cheap, so on every visit).
 */
export async function expectAccessiblePage(p: BrowserPage, heading: string | RegExp, options: { page?: Page } = {}): Promise<void> {
  const page = options.page ?? p.page;
  await waitForGovukFrontend(page);
  expect(await page.locator('h1').count()).toBe(1);
  const h1 = ((await page.locator('h1').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  if (typeof heading === 'string') expect(h1).toBe(heading);
  else expect(h1).toMatch(heading);
  await expectAccessibleTemplate(page);
  if ((page.viewportSize()?.width ?? DESKTOP_WIDTH) <= PHONE_WIDTH) await expectNoHorizontalScroll(page);
  p.expectNoProblems();
}

/** Clicks something that loads a new document (a link or a form's button) and waits for it. */
export async function clickAndLoad(target: Locator, page: Page): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await target.click();
  await navigated;
  await page.waitForLoadState('load');
}
