import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { clickAndLoad, expectAccessiblePage, type BrowserPage, type BrowserSession } from '../support/browser';

// Page functions run in the browser; the project compiles without the DOM lib.
declare const document: { activeElement: { id: string; classList: { contains(name: string): boolean } } | null };
/** What page functions use of an element. */
interface DomElement {
  textContent: string;
  querySelector(selector: string): DomElement | null;
  getAttribute(name: string): string | null;
}

/**
 * The steps the browser tests share, as a person at the browser takes them: go to a page, check
 * it (see expectAccessiblePage), follow a link or press a button, sign in and out, fill a GOV.UK
 * date, read the error summary. One per test, around that test's page.
 */
export class Browsing {
  constructor(
    readonly s: BrowserSession,
    readonly p: BrowserPage,
  ) {}

  get page(): Page {
    return this.p.page;
  }

  url(path: string): string {
    return `${this.s.baseUrl}${path}`;
  }

  /** The path of the current address, e.g. /applications/… */
  path(): string {
    return new URL(this.page.url()).pathname;
  }

  main(): Locator {
    return this.page.getByRole('main');
  }

  /** A button in the page's main content, by its exact name. */
  button(name: string): Locator {
    return this.main().getByRole('button', { name, exact: true });
  }

  /** A link in the page's main content, by its exact name. */
  link(name: string): Locator {
    return this.main().getByRole('link', { name, exact: true });
  }

  /** The header's service navigation (not the session-timeout dialog, which also offers sign-out). */
  serviceNavigation(): Locator {
    return this.page.locator('.govuk-service-navigation');
  }

  /** Opens a page by its path and checks the main document's HTTP status. */
  async goto(path: string, status = 200): Promise<void> {
    const res = await this.page.goto(this.url(path));
    expect(res?.status()).toBe(status);
  }

  /** The checks every page visit makes (see expectAccessiblePage), with its heading. */
  expectPage(heading: string | RegExp): Promise<void> {
    return expectAccessiblePage(this.p, heading);
  }

  clickAndLoad(target: Locator): Promise<void> {
    return clickAndLoad(target, this.page);
  }

  /** Signs in with a password, from the sign-in page (opened first unless it is already showing). */
  async signIn(user: { email: string; password: string }): Promise<void> {
    if (this.path() !== '/sign-in') await this.goto('/sign-in');
    await this.expectPage('Sign in');
    await this.page.getByLabel('Email address').fill(user.email);
    await this.page.getByLabel('Password', { exact: true }).fill(user.password);
    await this.clickAndLoad(this.button('Sign in'));
  }

  /** Signs out with the header's button (behind "Menu" on a phone), onto the signed-out page. */
  async signOut(): Promise<void> {
    // On a phone the navigation is folded behind "Menu" (and hidden from the accessibility tree until opened).
    const menu = this.serviceNavigation().getByRole('button', { name: 'Menu' });
    if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
    const signOut = this.serviceNavigation().getByRole('button', { name: 'Sign out', exact: true });
    expect(await signOut.count()).toBe(1);
    await this.clickAndLoad(signOut);
    expect(this.page.url()).toBe(this.url('/signed-out'));
    await this.expectPage('You have signed out');
    expect(await this.serviceNavigation().getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  }

  /** Fills a GOV.UK date input (Day, Month, Year) inside a group, e.g. the fieldset named by its question. */
  async fillDate(group: Locator, date: { day: number; month: number; year: number }): Promise<void> {
    await group.getByLabel('Day').fill(String(date.day));
    await group.getByLabel('Month').fill(String(date.month));
    await group.getByLabel('Year').fill(String(date.year));
  }

  /** The error summary's messages with their links, in order; [] when there is none. */
  async errorSummary(): Promise<{ text: string; href: string | null }[]> {
    return this.page.locator('.govuk-error-summary__list li').evaluateAll((lis) =>
      (lis as unknown as DomElement[]).map((li) => ({
        text: li.textContent.replace(/\s+/g, ' ').trim(),
        href: li.querySelector('a')?.getAttribute('href') ?? null,
      })),
    );
  }

  /** The error summary's text, or '' when there is none: makes an unexpected validation failure readable. */
  async errorSummaryText(): Promise<string> {
    const summary = this.page.locator('.govuk-error-summary');
    return (await summary.count()) ? ((await summary.textContent()) ?? '').replace(/\s+/g, ' ').trim() : '';
  }

  async expectNoErrorSummary(): Promise<void> {
    expect(await this.errorSummary()).toEqual([]);
  }

  /** Every link in the error summary leads to exactly one element on the page, which shows the message inline. */
  async expectErrorsLinkedToFields(): Promise<void> {
    for (const e of await this.errorSummary()) {
      expect(e.href).toMatch(/^#/);
      expect(await this.page.locator(e.href!).count()).toBe(1);
    }
    expect(await this.page.locator('.govuk-error-message').count()).toBeGreaterThan(0);
  }

  /** Whether GOV.UK Frontend has moved focus to the error summary (so a screen reader announces it). */
  async errorSummaryHasFocus(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false);
  }

  /** The id of the focused element. */
  async focusedId(): Promise<string | undefined> {
    return this.page.evaluate(() => document.activeElement?.id);
  }
}

/** The local mailbox, read through the admin API (a test's admin token): what the service sent to an address, newest first. */
export async function emailsTo(s: BrowserSession, adminToken: string, address: string): Promise<{ subject: string; text: string }[]> {
  const res = await request(s.testApp.http).get('/api/v1/admin/mailbox?limit=200').set('Authorization', `Bearer ${adminToken}`).expect(200);
  return (res.body.items as { to: string; subject: string; text: string }[]).filter((m) => m.to === address);
}
