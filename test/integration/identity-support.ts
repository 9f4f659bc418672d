/**
 * Helpers shared by the identity integration specs (test/integration/identity-*.spec.ts). Not a
 * spec itself: everything here drives the real app over HTTP or reads PostgreSQL directly.
 */
import { generateSync } from 'otplib';
import request from 'supertest';
import { csrfFrom, type TestUser } from '../support/identity';
import type { TestApp } from '../support/test-app';

export type Agent = ReturnType<typeof request.agent>;

export const SESSION_COOKIE = 'pcc_session';

/** The raw `pcc_session` cookie value a response set, or null when it set none. */
export function sessionCookieFrom(res: { headers: Record<string, unknown> }): string | null {
  const raw = res.headers['set-cookie'];
  const cookies = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  for (const c of cookies) {
    const m = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(c);
    if (m && m[1]) return m[1];
  }
  return null;
}

/** The session id inside a signed express-session cookie value (`s:<sid>.<signature>`). */
export function sidOf(cookieValue: string): string {
  const v = decodeURIComponent(cookieValue);
  expect(v.startsWith('s:')).toBe(true);
  return v.slice(2, v.lastIndexOf('.'));
}

/** A request that carries exactly this session cookie and nothing else. */
export function withCookie(t: TestApp, cookieValue: string) {
  return {
    get: (path: string) => request(t.http).get(path).set('Cookie', `${SESSION_COOKIE}=${cookieValue}`),
  };
}

/** GETs a page (expecting 200) and returns its CSRF token. */
export async function csrfOf(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  return csrfFrom(page.text);
}

/** Posts the sign-in form from a fresh visit to /sign-in. */
export async function postSignIn(agent: Agent, email: string, password: string) {
  const csrf = await csrfOf(agent, '/sign-in');
  return agent.post('/sign-in').type('form').send({ _csrf: csrf, email, password });
}

/**
 * A page body with everything that legitimately differs between two renders removed: the CSRF
 * token, the CSP nonce and the email address the person typed.
 */
export function normalisePage(html: string, ...emails: string[]): string {
  let out = html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="CSRF"').replace(/nonce="[^"]*"/g, 'nonce="NONCE"');
  for (const e of emails) out = out.split(e).join('EMAIL');
  return out;
}

/** The visible error summary text of a GOV.UK page, whitespace collapsed. */
export function errorSummary(html: string): string {
  const m = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  return m
    ? m[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : '';
}

export function h1(html: string): string {
  const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return m
    ? m[1]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : '';
}

// ---- email --------------------------------------------------------------------------------

export interface OutboxEmail {
  template: string;
  to_address: string;
  subject: string;
  text_body: string;
}

export async function emailsTo(t: TestApp, to: string): Promise<OutboxEmail[]> {
  return t.dataSource.query(`SELECT template, to_address, subject, text_body FROM notification_outbox WHERE to_address = $1 ORDER BY created_at, id`, [to]);
}

/** The path and query of the one link to `path` in an email body (links are absolute). */
export function linkIn(body: string, path: string): string {
  const m = new RegExp(`https?://[^/\\s]+(${path.replace(/[/?]/g, '\\$&')}\\?token=[A-Za-z0-9_-]+)`).exec(body);
  if (!m) throw new Error(`no ${path} link in:\n${body}`);
  return m[1];
}

// ---- audit ----------------------------------------------------------------------------------

export interface AuditRow {
  action: string;
  entity_type: string;
  entity_id: string;
  actor_id: string | null;
  before: unknown;
  after: unknown;
}

export async function auditRows(t: TestApp, action: string, entityId: string): Promise<AuditRow[]> {
  return t.dataSource.query(
    `SELECT action, entity_type, entity_id, actor_id, before, after FROM audit_event WHERE action = $1 AND entity_id = $2 ORDER BY id`,
    [action, entityId],
  );
}

// ---- TOTP -----------------------------------------------------------------------------------

const PERIOD = 30;

export function currentStep(): number {
  return Math.floor(Date.now() / 1000 / PERIOD);
}

/** The code for one 30-second time step. The server accepts the current step and one either side. */
export function totpAt(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * PERIOD });
}

/**
 * Waits, if need be, until the current time step has at least `seconds` left, and returns it:
 * tests that use the previous, current and next steps' codes then cannot straddle a boundary.
 */
export async function freshStep(seconds = 8): Promise<number> {
  const left = PERIOD - ((Date.now() / 1000) % PERIOD);
  if (left < seconds) await new Promise((r) => setTimeout(r, left * 1000 + 50));
  return currentStep();
}

/** A six-digit string that is not a valid code for any step the server would accept now. */
export function wrongCode(secret: string): string {
  const s = currentStep();
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpAt(secret, s + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** Turns MFA on for a user through the real pages; returns the secret and the recovery codes. */
export async function enrolThroughPages(agent: Agent, code: (secret: string) => string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await agent.get('/account/mfa');
  expect(page.status).toBe(200);
  const secret = /<code id="mfa-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(page.text)?.[1];
  if (!secret) throw new Error('no #mfa-secret on the MFA set-up page');
  const done = await agent
    .post('/account/mfa')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code: code(secret) });
  expect(done.status).toBe(200);
  const list = /<ul class="govuk-list" id="recovery-codes">([\s\S]*?)<\/ul>/.exec(done.text)?.[1] ?? '';
  const recoveryCodes = [...list.matchAll(/<code>([a-z0-9-]+)<\/code>/g)].map((m) => m[1]);
  return { secret, recoveryCodes };
}

/**
 * Forgets every sign-in throttle and email-limit count: all test requests come from one IP
 * address, whose counts would otherwise carry from one test into the next.
 */
export async function clearThrottle(t: TestApp): Promise<void> {
  await t.dataSource.query(`DELETE FROM auth_throttle`);
  await t.dataSource.query(`DELETE FROM email_quota`);
}

export type { TestUser };
