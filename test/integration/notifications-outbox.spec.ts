import { Client } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { MAIL_TRANSPORT } from '../../src/modules/notifications/mail-transport';
import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { DEFAULT_LEASE_MS, OutboxSender } from '../../src/modules/notifications/outbox-sender.service';
import { ADMIN_URL_ENV } from '../support/database';
import { createUser, signIn, tokenFor } from '../support/identity';
import { SmtpCapture } from '../support/smtp';
import { startTestApp, type TestApp } from '../support/test-app';

/** The notification_outbox row as PostgreSQL has it, read with SQL rather than through the entity. */
interface OutboxRow {
  id: string;
  idempotency_key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string;
  delivered_via: string | null;
  due_in_future: boolean;
}

// The first retry waits a minute: no retry can fall due by itself while a test runs. The tests never
// wait for time to pass; they move the row's times in the database instead (the sender judges
// next_attempt_at and locked_until against the database's now()).
const RETRY_BASE_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function messageData(overrides: Record<string, string> = {}) {
  return {
    name: 'Alex Morgan',
    sentBy: 'Grants & Commissioning team',
    reference: 'VF7-0001',
    link: 'https://grants.example.org/applications/VF7-0001',
    ...overrides,
  };
}

function helpers(t: () => TestApp) {
  const enqueue = (idempotencyKey: string, to = 'applicant@example.org', data: Record<string, string> = messageData()) =>
    t().dataSource.transaction((manager) => t().app.get(NotificationsService).enqueue(manager, { idempotencyKey, to, template: 'test-message', data }));
  const rows = async (): Promise<OutboxRow[]> =>
    t().dataSource.query(`SELECT *, next_attempt_at > now() AS due_in_future FROM notification_outbox ORDER BY created_at, id`);
  const row = async (idempotencyKey: string): Promise<OutboxRow> => {
    const found = (await rows()).filter((r) => r.idempotency_key === idempotencyKey);
    expect(found).toHaveLength(1);
    return found[0];
  };
  /** Seconds from the database's now() until the message may be tried again. */
  const backoffSeconds = async (idempotencyKey: string): Promise<number> => {
    const [{ seconds }] = await t().dataSource.query(
      `SELECT extract(epoch FROM next_attempt_at - now())::float AS seconds FROM notification_outbox WHERE idempotency_key = $1`,
      [idempotencyKey],
    );
    return seconds as number;
  };
  /**
   * Time passes for the outbox: every message's retry time and claim move `seconds` into the past,
   * as if the sender ran that much later. The sender compares them with the database's now().
   */
  const timePasses = (seconds: number) =>
    t().dataSource.query(
      `UPDATE notification_outbox SET next_attempt_at = next_attempt_at - make_interval(secs => $1),
              locked_until = locked_until - make_interval(secs => $1)`,
      [seconds],
    );
  return { enqueue, rows, row, backoffSeconds, timePasses, sender: () => t().app.get(OutboxSender) };
}

describe('email outbox delivered over SMTP', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  const { enqueue, rows, row, backoffSeconds, timePasses, sender } = helpers(() => t);

  beforeAll(async () => {
    // The port is chosen before the app starts so the app's SMTP_URL points at it even while
    // nothing is listening there.
    smtp = await SmtpCapture.create();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS) } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    // Each test counts every message the server receives, so nothing may be left over to send.
    await t.dataSource.query(`DELETE FROM notification_outbox`);
    smtp.rejectRecipient = null;
    smtp.beforeReply = null;
    await smtp.start();
    smtp.clear();
  });

  it('keeps a message through an SMTP outage and delivers it exactly once when the server returns', async () => {
    await smtp.stop();
    await expect(enqueue('outage:1')).resolves.toBe(true);

    const firstTry = await sender().sendDue();
    expect(firstTry).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const waiting = await row('outage:1');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, due_in_future: true, delivered_via: null });
    expect(waiting.last_error).toBeTruthy();
    expect(await rows()).toHaveLength(1);
    // The first retry waits OUTBOX_RETRY_BASE_MS.
    expect(await backoffSeconds('outage:1')).toBeGreaterThan(RETRY_BASE_MS / 1000 - 5);
    expect(await backoffSeconds('outage:1')).toBeLessThanOrEqual(RETRY_BASE_MS / 1000);

    // Still down at the first retry: the wait doubles.
    await timePasses(RETRY_BASE_MS / 1000);
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row('outage:1')).toMatchObject({ status: 'pending', attempts: 2, due_in_future: true });
    expect(await backoffSeconds('outage:1')).toBeGreaterThan((2 * RETRY_BASE_MS) / 1000 - 5);
    expect(await backoffSeconds('outage:1')).toBeLessThanOrEqual((2 * RETRY_BASE_MS) / 1000);

    await smtp.start();
    // Still inside the backoff (a second before it ends): the sender must leave it alone even though SMTP is back.
    await timePasses((2 * RETRY_BASE_MS) / 1000 - 1);
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
    expect((await row('outage:1')).attempts).toBe(2);

    await timePasses(1);
    expect(await sender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    const sent = await row('outage:1');
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, delivered_via: 'smtp', last_error: null });
    expect(mail.envelope.to).toEqual(['applicant@example.org']);
    expect(mail.envelope.from).toBe('grants@pcc.example.org');
    expect(mail.to).toBe('applicant@example.org');
    expect(mail.from).toBe('PCC Grants <grants@pcc.example.org>');
    expect(mail.subject).toBe('Test message from PCC Grants');
    expect(mail.messageId).toBe(sent.message_id);
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@localhost>$/);
    expect(mail.text).toBe(sent.text_body);
    expect(mail.text).toContain('Hello Alex Morgan,');
    expect(mail.text).toContain('- Sent by: Grants & Commissioning team\n- Reference: VF7-0001');
    expect(mail.text).toContain('\nhttps://grants.example.org/applications/VF7-0001\n');

    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    // However long afterwards: a sent message is never sent again.
    await timePasses(24 * 3600);
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect((await row('outage:1')).status).toBe('sent');
  });

  it('queues one message per idempotency key, however often the event is enqueued', async () => {
    await expect(enqueue('idempotent:1')).resolves.toBe(true);
    // A retried request re-renders with different data; the first version is the one that stands.
    await expect(enqueue('idempotent:1', 'applicant@example.org', messageData({ name: 'Someone Else' }))).resolves.toBe(false);

    expect(await rows()).toHaveLength(1);
    await sender().sendDue();
    await sender().sendDue();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].text).toContain('Hello Alex Morgan,');
    expect(smtp.messages[0].messageId).toBe((await row('idempotent:1')).message_id);
  });

  it('delivers each message exactly once when two senders run at the same time', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `concurrent:${i}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `applicant${i}@example.org`);

    // Small batches make the two senders interleave their claims instead of one taking all.
    const reports = await Promise.all([sender().sendDue(3), sender().sendDue(3)]);
    expect(reports[0].sent + reports[1].sent).toBe(keys.length);
    expect(reports.every((r) => r.retrying === 0 && r.failed === 0)).toBe(true);

    const stored = await rows();
    expect(stored.map((r) => r.status)).toEqual(keys.map(() => 'sent'));
    expect(stored.map((r) => r.attempts)).toEqual(keys.map(() => 1));
    expect(smtp.messages).toHaveLength(keys.length);
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(stored.map((r) => r.message_id).sort());
    expect(smtp.messages.flatMap((m) => m.envelope.to).sort()).toEqual(keys.map((_, i) => `applicant${i}@example.org`).sort());
  });

  it('marks a message the server rejects with 5xx as failed, keeps it and does not retry it', async () => {
    smtp.rejectRecipient = (address) => (address === 'nobody@example.org' ? 'Mailbox unavailable' : null);
    await enqueue('bounce:1', 'nobody@example.org');
    await enqueue('bounce:2', 'applicant@example.org');

    expect(await sender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 1 });
    const failed = await row('bounce:1');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, delivered_via: null });
    expect(failed.last_error).toMatch(/550/);
    expect(smtp.recipientsSeen.filter((a) => a === 'nobody@example.org')).toHaveLength(1);
    expect(smtp.messages.map((m) => m.envelope.to)).toEqual([['applicant@example.org']]);

    // Long after any retry would have been due, it is still not tried again.
    await timePasses(24 * 3600);
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await row('bounce:1')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(smtp.recipientsSeen.filter((a) => a === 'nobody@example.org')).toHaveLength(1);
  });

  it('does not send a message whose claim another sender took over while this one was stuck', async () => {
    await enqueue('lease:1', 'first@example.org');
    await enqueue('lease:2', 'second@example.org');
    let stuckOnServer!: () => void;
    const isStuck = new Promise<void>((resolve) => (stuckOnServer = resolve));
    let unstick!: () => void;
    const unstuck = new Promise<void>((resolve) => (unstick = resolve));
    // RETURNING does not keep the claim's ORDER BY, so which message A tries first is not fixed.
    let inFlight = '';
    smtp.beforeReply = (mail) => {
      smtp.beforeReply = null;
      inFlight = mail.envelope.to[0];
      stuckOnServer();
      return unstuck;
    };

    // Sender A claims both messages and hangs on the server while sending the first.
    const senderA = sender().sendDue();
    await isStuck;
    // Stands in for A's claim running out (CLAIM_SECONDS) while it waits on a slow server.
    await t.dataSource.query(`UPDATE notification_outbox SET locked_until = now() - interval '1 second' WHERE status = 'sending'`);
    expect(await sender().sendDue()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    unstick();
    // A's first message did reach the server; the second is no longer A's to send.
    expect(await senderA).toEqual({ sent: 1, retrying: 0, failed: 0 });

    const waitingBehind = inFlight === 'first@example.org' ? 'second@example.org' : 'first@example.org';
    expect(smtp.messages.filter((m) => m.envelope.to[0] === waitingBehind)).toHaveLength(1);
    // The message in flight when its claim ran out goes twice: the documented at-least-once case,
    // with one Message-ID so mail systems can drop the copy.
    const copies = smtp.messages.filter((m) => m.envelope.to[0] === inFlight);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
    expect((await rows()).map((r) => [r.idempotency_key, r.status, r.attempts])).toEqual([
      ['lease:1', 'sent', 2],
      ['lease:2', 'sent', 2],
    ]);
  });

  it('sends an HTML part derived from the text: same words, a list for "- " lines, a link for a URL line', async () => {
    await enqueue('html:1', 'applicant@example.org', messageData({ name: 'Sam <Ops> Lee' }));
    await sender().sendDue();

    expect(smtp.messages).toHaveLength(1);
    const { text, html } = smtp.messages[0];
    expect(text).toBeDefined();
    expect(html).toBeDefined();
    expect(html).toBe((await row('html:1')).html_body);
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('<title>Test message from PCC Grants</title>');

    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    // People's text (names, references) is wrapped so mail clients do not turn it into links;
    // without the wrappers the HTML says exactly what the text says.
    const USER_TEXT = '<span class="user-text" style="color: inherit; text-decoration: none;">';
    const unwrapped = html!
      .split(USER_TEXT)
      .join('')
      .replace(/<\/span>/g, '');
    for (const line of text!.split('\n').filter(Boolean)) {
      expect(unwrapped).toContain(escape(line.replace(/^- /, '')));
    }
    expect(text).toContain('Hello Sam <Ops> Lee,');
    expect(html).toContain(`<p>Hello ${USER_TEXT}Sam &lt;Ops&gt; Lee</span>,</p>`);
    expect(html).not.toContain('<Ops>');
    expect(unwrapped).toContain('<ul><li>Sent by: Grants &amp; Commissioning team</li><li>Reference: VF7-0001</li></ul>');
    expect(html).toContain('<p><a href="https://grants.example.org/applications/VF7-0001">https://grants.example.org/applications/VF7-0001</a></p>');
  });

  it('has no local mailbox while SMTP is configured', async () => {
    await enqueue('no-mailbox:1');
    await sender().sendDue();

    const admin = await createUser(t, ['admin']);
    const api = await request(t.http)
      .get('/api/v1/admin/mailbox')
      .set('Authorization', `Bearer ${await tokenFor(t, admin)}`)
      .expect(404);
    expect(api.body.error).toBe('notifications.mailbox_disabled');
    const browser = await signIn(t, admin);
    const page = await browser.get('/admin/mailbox').set('Accept', 'text/html').expect(404).expect('Content-Type', /html/);
    expect(page.text).toContain('Page not found');
    expect(page.text).not.toContain('Test message from PCC Grants');
  });
});

describe('email outbox when the database fails mid-batch or a sender dies', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  const { enqueue, rows, timePasses, sender } = helpers(() => t);

  /** Another app instance's sender: same database and mail server, its own claims and memory. */
  const otherSender = () => new OutboxSender(t.dataSource, t.app.get(MAIL_TRANSPORT), t.config, pino({ level: 'silent' }));

  /** Runs SQL as the server's superuser, outside the app's connection pool. */
  async function asAdmin(sql: string, params: unknown[] = []): Promise<void> {
    const admin = new Client({ connectionString: process.env[ADMIN_URL_ENV] });
    await admin.connect();
    try {
      await admin.query(sql, params);
    } finally {
      await admin.end();
    }
  }
  /** The database goes away: every open connection is cut and no new one is accepted. */
  const databaseDown = async () => {
    await asAdmin(`ALTER DATABASE ${t.database.name} ALLOW_CONNECTIONS false`);
    await asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [t.database.name]);
  };
  const databaseUp = () => asAdmin(`ALTER DATABASE ${t.database.name} ALLOW_CONNECTIONS true`);

  /** Holds the first message on the mail server until released, as a slow server would. */
  function holdFirstMessage() {
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    smtp.beforeReply = (mail) => {
      smtp.beforeReply = null;
      held();
      void mail;
      return released;
    };
    return { isHeld, release };
  }

  /** Every message reached the mail server exactly once, and every row says sent. */
  async function expectEachSentOnce(keys: string[]) {
    const stored = await rows();
    expect(stored.map((r) => [r.idempotency_key, r.status])).toEqual(keys.map((k) => [k, 'sent']));
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(stored.map((r) => r.message_id).sort());
  }

  beforeAll(async () => {
    smtp = await SmtpCapture.create();
    await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS) } });
  });
  afterAll(async () => {
    await databaseUp().catch(() => undefined);
    await t?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    await t.dataSource.query(`DELETE FROM notification_outbox`);
    smtp.beforeReply = null;
    smtp.clear();
    sender().leaseMs = DEFAULT_LEASE_MS;
  });

  it('claims for seconds, not minutes', async () => {
    expect(DEFAULT_LEASE_MS).toBeLessThanOrEqual(15_000);
    await enqueue('lease-length:1');
    const { isHeld, release } = holdFirstMessage();
    const sending = sender().sendDue();
    await isHeld;
    const claims = await t.dataSource.query(
      `SELECT extract(epoch FROM locked_until - now())::float AS seconds FROM notification_outbox WHERE status = 'sending'`,
    );
    release();
    expect(claims).toHaveLength(1);
    expect(claims[0].seconds).toBeGreaterThan(0);
    expect(claims[0].seconds).toBeLessThanOrEqual(DEFAULT_LEASE_MS / 1000);
    expect(await sending).toEqual({ sent: 1, retrying: 0, failed: 0 });
  });

  it('hands back the unsent rest of a batch when the database fails, so another sender sends it at once', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `drop:${i}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `drop${i}@example.org`);
    // The first message reaches the mail server, then recording it as sent loses its connection.
    const realQuery = t.dataSource.query.bind(t.dataSource);
    let cut = false;
    const spy = jest.spyOn(t.dataSource, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
      if (!cut && sql.includes(`SET status = 'sent'`)) {
        cut = true;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      }
      return realQuery(sql, params);
    }) as typeof t.dataSource.query);
    try {
      await expect(sender().sendDue()).rejects.toThrow('Connection terminated unexpectedly');
    } finally {
      spy.mockRestore();
    }
    expect(smtp.messages).toHaveLength(1);
    const afterFailure = await rows();
    // The database answered again at once (one lost connection), so the failing sender settled
    // straight away: the message the server accepted is recorded as sent, not released (that
    // would send it twice) …
    expect(afterFailure.filter((r) => r.status === 'sent').map((r) => r.to_address)).toEqual([smtp.messages[0].envelope.to[0]]);
    // … and the other four are pending again, due now.
    expect(afterFailure.filter((r) => r.status === 'pending' && !r.due_in_future)).toHaveLength(4);

    // Another instance takes them straight away, not after a lease.
    expect(await otherSender().sendDue()).toEqual({ sent: 4, retrying: 0, failed: 0 });
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(5);
    await expectEachSentOnce(keys);
  });

  it('resumes within seconds when the database comes back after an outage mid-batch, exactly once', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `outage-db:${i}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `outage${i}@example.org`);
    const { isHeld, release } = holdFirstMessage();

    const sending = sender().sendDue();
    await isHeld;
    await databaseDown();
    release();
    // Neither the "sent" mark nor the release can reach the database: both are kept for later.
    await expect(sending).rejects.toThrow();
    // Still down: the next run fails before claiming anything.
    await expect(sender().sendDue()).rejects.toThrow();
    await databaseUp();

    const recovered = Date.now();
    // The next run (a second later with the default OUTBOX_POLL_MS) settles and sends the rest.
    expect(await sender().sendDue()).toEqual({ sent: 5, retrying: 0, failed: 0 });
    expect(Date.now() - recovered).toBeLessThan(5_000);
    expect(smtp.messages).toHaveLength(6);
    await expectEachSentOnce(keys);
    expect(await otherSender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(6);
  });

  it('lets a dead sender’s claims lapse after the short lease, and not before', async () => {
    const keys = Array.from({ length: 3 }, (_, i) => `crash:${i}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `crash${i}@example.org`);
    // A sender claims a batch (for the default lease) and dies before sending: nothing renews or
    // releases its claims.
    const dead = otherSender();
    expect(await dead['claim'](10)).toHaveLength(3);
    const [{ seconds }] = await t.dataSource.query(`SELECT max(extract(epoch FROM locked_until - now()))::float AS seconds FROM notification_outbox`);
    expect(seconds).toBeGreaterThan(DEFAULT_LEASE_MS / 1000 - 5);
    expect(seconds).toBeLessThanOrEqual(DEFAULT_LEASE_MS / 1000);

    // While the lease lasts the messages are the dead sender's: no one else sends them, even a
    // second before it runs out.
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    await timePasses(DEFAULT_LEASE_MS / 1000 - 1);
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
    // Once it has run out, the next run sends them.
    await timePasses(1);
    expect(await sender().sendDue()).toEqual({ sent: 3, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(3);
    await expectEachSentOnce(keys);
    expect((await rows()).map((r) => r.attempts)).toEqual([2, 2, 2]);
  });

  it('renews a live sender’s claims while a slow mail server holds it, so no one else sends them', async () => {
    const keys = Array.from({ length: 4 }, (_, i) => `slow:${i}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `slow${i}@example.org`);
    sender().leaseMs = 400;
    const other = otherSender();
    other.leaseMs = 400;
    const { isHeld, release } = holdFirstMessage();

    const sending = sender().sendDue();
    await isHeld;
    // The renewal is a timer in the sender (every third of a lease), so this test alone runs on
    // real time — for about one lease. It runs the other sender until the batch's first claims
    // would have lapsed and every claim has been renewed past them; each run must find nothing.
    const [{ firstLease }] = await t.dataSource.query(`SELECT max(locked_until)::text AS "firstLease" FROM notification_outbox WHERE status = 'sending'`);
    const otherRuns = [];
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        otherRuns.push(await other.sendDue());
        const [state] = await t.dataSource.query(
          `SELECT now() > $1::timestamptz AS lapsed, count(*)::int AS held, count(*) FILTER (WHERE locked_until > $1::timestamptz)::int AS renewed
             FROM notification_outbox WHERE status = 'sending'`,
          [firstLease],
        );
        if (state.lapsed && state.renewed === keys.length) break;
        expect(state.held).toBe(keys.length);
        if (Date.now() > deadline) throw new Error(`claims not renewed: ${JSON.stringify(state)}`);
        await sleep(50);
      }
    } finally {
      release();
    }
    expect(otherRuns.length).toBeGreaterThan(1);
    expect(otherRuns).toEqual(otherRuns.map(() => ({ sent: 0, retrying: 0, failed: 0 })));
    expect(await sending).toEqual({ sent: 4, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(4);
    await expectEachSentOnce(keys);
    expect((await rows()).map((r) => r.attempts)).toEqual([1, 1, 1, 1]);
  });

  it('two senders racing through many small batches never send one message twice', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `race:${String(i).padStart(2, '0')}`);
    for (const [i, key] of keys.entries()) await enqueue(key, `race${i}@example.org`);
    sender().leaseMs = 2_000;
    const other = otherSender();
    other.leaseMs = 2_000;
    const reports = await Promise.all([sender().sendDue(2), other.sendDue(2), sender().sendDue(3), other.sendDue(1)]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(keys.length);
    expect(smtp.messages).toHaveLength(keys.length);
    await expectEachSentOnce(keys);
  });
});

describe('email outbox when the SMTP server refuses the login', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let serverPassword = 'rotated-password';
  const { enqueue, row, timePasses, sender } = helpers(() => t);

  beforeAll(async () => {
    smtp = await SmtpCapture.create();
    smtp.acceptLogin = (user, password) => user === 'grants' && password === serverPassword;
    await smtp.start();
    t = await startTestApp({
      env: { SMTP_URL: `smtp://grants:app-password@127.0.0.1:${smtp.port}`, OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS) },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  it('keeps messages waiting through a 535 login failure and sends them once the login works', async () => {
    await enqueue('login:1');
    expect(await sender().sendDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const waiting = await row('login:1');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, due_in_future: true });
    expect(waiting.last_error).toMatch(/535/);
    expect(smtp.messages).toHaveLength(0);

    serverPassword = 'app-password';
    await timePasses(RETRY_BASE_MS / 1000);
    expect(await sender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].messageId).toBe(waiting.message_id);
    expect(await row('login:1')).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('email outbox delivered to the local mailbox (no SMTP_URL)', () => {
  let t: TestApp;
  const { enqueue, row, sender } = helpers(() => t);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('shows a sent message at /api/v1/admin/mailbox and /admin/mailbox', async () => {
    await enqueue('mailbox:1', 'applicant@example.org');
    expect(await sender().sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const stored = await row('mailbox:1');
    expect(stored).toMatchObject({ status: 'sent', delivered_via: 'mailbox', attempts: 1 });

    // Only administrators may read other people's email.
    await request(t.http).get('/api/v1/admin/mailbox').expect(401);
    const applicant = await createUser(t);
    await request(t.http)
      .get('/api/v1/admin/mailbox')
      .set('Authorization', `Bearer ${await tokenFor(t, applicant)}`)
      .expect(403);
    const admin = await createUser(t, ['admin']);
    const api = await request(t.http)
      .get('/api/v1/admin/mailbox')
      .set('Authorization', `Bearer ${await tokenFor(t, admin)}`)
      .expect(200);
    expect(api.body).toMatchObject({ total: 1, limit: 50, page: 1 });
    expect(api.body.items).toHaveLength(1);
    expect(api.body.items[0]).toMatchObject({
      id: stored.id,
      to: 'applicant@example.org',
      subject: 'Test message from PCC Grants',
      text: stored.text_body,
      html: stored.html_body,
      template: 'test-message',
      status: 'sent',
    });
    expect(api.body.items[0].sentAt).toBeTruthy();

    const browser = await signIn(t, admin);
    const page = await browser.get('/admin/mailbox').set('Accept', 'text/html').expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('Local mailbox');
    expect(page.text).toContain('applicant@example.org');
    expect(page.text).toContain('test-message');
    // A list: the body is on the message's own page, reached from its subject.
    expect(page.text).not.toContain('Hello Alex Morgan,');
    expect(page.text).toContain(`<a class="govuk-link" href="/admin/mailbox/${stored.id}?returnTo=%2Fadmin%2Fmailbox">Test message from PCC Grants</a>`);

    const message = await browser.get(`/admin/mailbox/${stored.id}?returnTo=%2Fadmin%2Fmailbox`).expect(200);
    expect(message.text).toContain('Test message from PCC Grants');
    expect(message.text).toContain('Hello Alex Morgan,');
    // The body is shown as text, so the template's "&" must arrive escaped, not as markup.
    expect(message.text).toContain('Sent by: Grants &amp; Commissioning team');
    expect(message.text).toMatch(/<a href="\/admin\/mailbox" class="govuk-back-link">Back to the mailbox<\/a>/);
  });

  it('opens one message per page: 404 when unknown or malformed, and the back link only ever to the mailbox', async () => {
    await enqueue('mailbox-one:1', 'one@example.org');
    await sender().sendDue();
    const stored = await row('mailbox-one:1');
    const browser = await signIn(t, await createUser(t, ['admin']));
    const back = (html: string) => /<a href="([^"]*)" class="govuk-back-link">/.exec(html)?.[1];
    const fromPage = await browser.get(`/admin/mailbox/${stored.id}?returnTo=${encodeURIComponent('/admin/mailbox?q=one&page=2')}`).expect(200);
    expect(back(fromPage.text)).toBe('/admin/mailbox?q=one&amp;page=2');
    for (const elsewhere of ['https://evil.example/', '//evil.example/admin/mailbox', '/admin/users', '/admin/mailbox\\x']) {
      const res = await browser.get(`/admin/mailbox/${stored.id}?returnTo=${encodeURIComponent(elsewhere)}`).expect(200);
      expect([elsewhere, back(res.text)]).toEqual([elsewhere, '/admin/mailbox']);
    }
    const unknown = await browser.get('/admin/mailbox/00000000-0000-4000-8000-000000000000').set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/html/);
    // A malformed id is a page that does not exist, as everywhere on the site.
    await browser.get('/admin/mailbox/not-an-id').set('Accept', 'text/html').expect(404);
    // Only administrators read other people's email, one message as much as the list.
    const applicant = await signIn(t, await createUser(t));
    expect((await applicant.get(`/admin/mailbox/${stored.id}`).set('Accept', 'text/html')).status).toBe(403);
  });

  it('searches the mailbox by recipient or subject, on the page and the API, keeping the search when paging', async () => {
    for (let i = 0; i < 3; i++) await enqueue(`mailbox-search:${i}`, `needle${i}_x@example.org`);
    await enqueue('mailbox-search:other', 'haystack@example.org');
    await sender().sendDue();
    const admin = await createUser(t, ['admin']);
    const auth = { Authorization: `Bearer ${await tokenFor(t, admin)}` };
    const found = await request(t.http).get('/api/v1/admin/mailbox?q=NEEDLE').set(auth).expect(200);
    expect(found.body.items.map((m: { to: string }) => m.to)).toEqual(['needle2_x@example.org', 'needle1_x@example.org', 'needle0_x@example.org']);
    // A typed _ or % matches itself, not any character.
    expect((await request(t.http).get('/api/v1/admin/mailbox?q=needle1_x').set(auth).expect(200)).body.total).toBe(1);
    expect((await request(t.http).get('/api/v1/admin/mailbox?q=needle1%25').set(auth).expect(200)).body.total).toBe(0);
    // The subject is searched too.
    expect((await request(t.http).get('/api/v1/admin/mailbox?q=test+message+from').set(auth).expect(200)).body.total).toBeGreaterThanOrEqual(4);
    const tooLong = await request(t.http)
      .get(`/api/v1/admin/mailbox?q=${'x'.repeat(101)}`)
      .set(auth)
      .expect(400);
    expect(tooLong.body.details.map((d: { field: string }) => d.field)).toEqual(['q']);

    const browser = await signIn(t, admin);
    const page = await browser.get('/admin/mailbox?q=needle&limit=2').expect(200);
    expect(page.text).toContain('3 emails, newest first, showing 1 to 2');
    expect(page.text).toContain('needle2_x@example.org');
    expect(page.text).not.toContain('haystack@example.org');
    expect(page.text).toContain('href="/admin/mailbox?q=needle&amp;limit=2&amp;page=2"');
    expect(page.text).toContain('value="needle"');
    const none = await browser.get('/admin/mailbox?q=nothing-like-this').expect(200);
    expect(none.text).toContain('No emails match “nothing-like-this”.');
    const bad = await browser.get(`/admin/mailbox?q=${'x'.repeat(101)}`).expect(400);
    expect(bad.text).toContain('Search must be 100 characters or fewer');
  });
  it('pages the mailbox, newest first, and refuses bad paging with a 400 naming the field', async () => {
    for (let i = 0; i < 5; i++) await enqueue(`mailbox-page:${i}`, `page${i}@example.org`);
    const admin = await createUser(t, ['admin']);
    const auth = { Authorization: `Bearer ${await tokenFor(t, admin)}` };
    const all = await request(t.http).get('/api/v1/admin/mailbox?limit=200').set(auth).expect(200);
    const total = all.body.total as number;
    expect(total).toBeGreaterThanOrEqual(5);
    expect(all.body.items.slice(0, 5).map((m: { to: string }) => m.to)).toEqual([4, 3, 2, 1, 0].map((i) => `page${i}@example.org`));
    const second = await request(t.http).get('/api/v1/admin/mailbox?limit=2&page=2').set(auth).expect(200);
    expect(second.body).toMatchObject({ total, limit: 2, page: 2 });
    expect(second.body.items.map((m: { to: string }) => m.to)).toEqual(['page2@example.org', 'page1@example.org']);

    for (const [field, query] of [
      ['page', '?page=1&page=2'],
      ['limit', '?limit=5&limit=6'],
      ['limit', '?limit=201'],
      ['limit', '?limit=0'],
      ['page', '?page=1e300'],
      ['page', '?page=-3'],
      ['unread', '?unread=true'],
    ]) {
      const res = await request(t.http).get(`/api/v1/admin/mailbox${query}`).set(auth);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }

    const browser = await signIn(t, admin);
    const page = await browser.get('/admin/mailbox?limit=2&utm_source=x').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(`${total} emails, newest first, showing 1 to 2`);
    expect(page.text).toContain('page4@example.org');
    expect(page.text).not.toContain('page2@example.org');
    expect(page.text).toContain('href="/admin/mailbox?limit=2&amp;page=2"');
    for (const query of ['?page=0', '?limit=99999', '?page=abc']) {
      const bad = await browser.get(`/admin/mailbox${query}`).set('Accept', 'text/html');
      expect([query, bad.status]).toEqual([query, 400]);
      expect(bad.headers['content-type']).toMatch(/html/);
    }
  });
});
