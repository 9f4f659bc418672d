import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase, testDataEncryptionKey } from '../support/database';
import { freePort } from '../support/ports';

/**
 * The built application as a real process: what `npm start` runs. (`npm test` builds first.)
 */
const MAIN = path.resolve(__dirname, '../../dist/src/main.js');

function launch(env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" (npm test does it for you)`);
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': resolved once the output pipes are closed too, so no handle outlives the
  // test and keeps the Jest worker from exiting ("A worker process has failed to exit gracefully").
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

describe('the application process', () => {
  it.each([
    ['PORT', 'abc', 'PORT="abc"'],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL='],
    ['OUTBOX_POLL_MS', '-1', 'OUTBOX_POLL_MS="-1"'],
  ])('refuses to start when %s=%s, with one clear line', async (name, value, shown) => {
    const p = launch({ [name]: value, DATA_DIR: '/nonexistent-never-used' });
    expect(await p.exited).toBe(78);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(shown);
    expect(lines[0]).toMatch(/expected/);
  });

  it('requires SMTP_URL in production', async () => {
    const p = launch({ NODE_ENV: 'production' });
    expect(await p.exited).toBe(78);
    expect(p.stderr()).toContain('SMTP_URL');
  });

  it('requires DATA_ENCRYPTION_KEY in production, and refuses one that is not 32 bytes without showing it', async () => {
    const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: '/nonexistent-never-used' };
    const missing = launch(production);
    expect(await missing.exited).toBe(78);
    expect(missing.stderr().trim().split('\n')).toEqual([expect.stringContaining('DATA_ENCRYPTION_KEY=(not set)')]);
    expect(missing.stderr()).toContain('required when NODE_ENV=production');
    const short = launch({ ...production, DATA_ENCRYPTION_KEY: 'c2hvcnQta2V5LTE2LWJ5dGVz' });
    expect(await short.exited).toBe(78);
    expect(short.stderr()).toContain('DATA_ENCRYPTION_KEY="<hidden>"');
    expect(short.stderr()).not.toContain('c2hvcnQta2V5LTE2LWJ5dGVz');
  });

  describe('running against a database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it('serves, logs JSON lines carrying the request id, and shuts down gracefully on SIGTERM', async () => {
      const port = await freePort();
      // The run's key, not one made in the checkout's own ./var.
      const p = launch({ DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'info', OUTBOX_POLL_MS: '200', DATA_ENCRYPTION_KEY: testDataEncryptionKey() });
      try {
        const base = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 30_000;
        let healthy = false;
        while (!healthy && Date.now() < deadline) {
          healthy = await fetch(`${base}/health`).then(
            (r) => r.ok,
            () => false,
          );
          if (!healthy) await new Promise((r) => setTimeout(r, 100));
        }
        expect(healthy).toBe(true);
        const res = await fetch(`${base}/`, { headers: { 'X-Request-Id': 'test-request-0042' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-request-id')).toBe('test-request-0042');
        // Read the whole body first: an unread response keeps the request open, and its log line
        // could then be written as the server closes, after "stopped" (seen once on Node 24).
        await res.text();

        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
        const lines = p
          .stdout()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        const request = lines.find((l) => l.message === 'request completed' && (l.req as { url: string }).url === '/');
        expect(request).toMatchObject({ requestId: 'test-request-0042', level: 'info', res: { statusCode: 200 } });
        const messages = lines.map((l) => l.message);
        expect(messages).toContain('shutting down');
        expect(messages[messages.length - 1]).toBe('stopped');
        expect(lines.filter((l) => l.level === 'error')).toEqual([]);
      } finally {
        if (p.child.exitCode === null) p.child.kill('SIGKILL');
      }
    });
  });
});
