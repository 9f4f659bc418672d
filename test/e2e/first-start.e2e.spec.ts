import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_EMBEDDED_PG_PORT, firstUnreachableFolder } from '../../src/platform/database/embedded-database';
import { freePort } from '../support/ports';

/**
 * The app as a newcomer meets it: `npm start` in a fresh checkout, on the embedded PostgreSQL,
 * stopped by SIGTERM to npm or by Ctrl-C, started again after a failure, next to another copy.
 * Real processes throughout; `npm test` has built the app, so no build happens here.
 */
const ROOT = path.resolve(__dirname, '../..');
const NPM_CLI = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : null;
const asRoot = process.getuid?.() === 0;
// A first start creates a cluster and loads the demo data: seconds alone, much more on a busy CI box.
const SLOW = 240_000;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], env: Record<string, string>, options: { cwd?: string; detached?: boolean } = {}): Run {
  let out = '';
  let err = '';
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    // Only what a person's shell would have, plus the settings under test.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': resolved once the output pipes are closed too, so no handle outlives the
  // test and keeps the Jest worker from exiting.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `npm start`, exactly as the README says, in its own process group (as a terminal would). */
function npmStart(env: Record<string, string>): Run {
  return NPM_CLI ? run(process.execPath, [NPM_CLI, 'start'], env, { detached: true }) : run('npm', ['start'], env, { detached: true });
}

/** Holds a port, as another program would. Resolves to null if something already holds it. */
function holdPort(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(null));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

async function waitHealthy(base: string, p: Run, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`exited with ${p.child.exitCode} before becoming healthy:\n${p.stdout()}\n${p.stderr()}`);
    // Only once this process says it is listening: a free port can be taken meanwhile by another
    // suite's server (CI runs them side by side), whose /health would otherwise answer for it.
    if (!/"message":"PCC Grants is ready"/.test(p.stdout())) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within ${timeoutMs} ms:\n${p.stdout()}\n${p.stderr()}`);
}

/** Every process descended from `pid` (Linux /proc), with its command line. */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; cmd: string }[] = [];
  const visit = (p: number) => {
    for (const c of children.get(p) ?? []) {
      let cmd = '';
      try {
        cmd = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        // gone meanwhile
      }
      out.push({ pid: c, cmd });
      visit(c);
    }
  };
  visit(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited; it only waits for its parent to notice.
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const errorLevel = (l: Record<string, unknown>) => l.level === 'error' || l.level === 'fatal';

function makeDataDir(): { dir: string; dataDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-first-start-'));
  // As root, PostgreSQL runs as 'postgres' and must reach DATA_DIR (see the 0700 test below).
  fs.chmodSync(dir, 0o755);
  return { dir, dataDir: path.join(dir, 'var') };
}

function killGroup(p: Run): void {
  if (p.child.exitCode === null && p.child.pid) {
    try {
      process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

jest.setTimeout(SLOW);

describe('npm start on the embedded database, as the README says', () => {
  // Made in beforeAll, not here: a filtered run (-t) that skips these tests runs no afterAll.
  let dir: string;
  let dataDir: string;
  const started: Run[] = [];
  let stray: number[] = [];
  beforeAll(() => ({ dir, dataDir } = makeDataDir()));
  afterAll(() => {
    for (const p of started) killGroup(p);
    for (const pid of stray) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts next to another copy holding port 54329, loads the demo data, and stops everything quietly on SIGTERM to npm', async () => {
    // Another copy (or anything else) on the default port: this start must not collide with it.
    const other = await holdPort(DEFAULT_EMBEDDED_PG_PORT);
    const port = await freePort();
    const p = npmStart({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    started.push(p);
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitHealthy(base, p);
      // The embedded server moved to a free port and remembers it for next time.
      const pgPort = Number(fs.readFileSync(path.join(dataDir, 'postgres.port'), 'utf8'));
      expect(pgPort).not.toBe(DEFAULT_EMBEDDED_PG_PORT);
      expect(p.stdout()).toMatch(/Their password is: demo-/);
      const funds = await fetch(`${base}/funds`).then((r) => r.text());
      expect(funds).toContain('Victims Fund 7');

      const tree = descendants(p.child.pid!);
      expect(tree.some((t) => /scripts\/start\.js/.test(t.cmd))).toBe(true);
      expect(tree.some((t) => /postgres -D/.test(t.cmd))).toBe(true);
      stray = tree.map((t) => t.pid);
      // Only npm's own pid is signalled, as `kill <pid>` or a process manager would.
      process.kill(p.child.pid!, 'SIGTERM');
      const { code } = await p.exited;
      expect(code).toBe(0);
      expect(tree.filter((t) => alive(t.pid))).toEqual([]);
      const lines = logLines(p.stdout());
      expect(lines.filter(errorLevel)).toEqual([]);
      expect(lines.map((l) => l.message)).toContain('stopped');
      // Built by `npm test` already: a start with unchanged sources must not build again.
      expect(p.stdout() + p.stderr()).not.toMatch(/Building the app|prestart|nest build/);
    } finally {
      other?.close();
    }
  });

  it('starts again without reloading the demo data, and stops quietly on Ctrl-C (SIGINT to the terminal’s process group)', async () => {
    const port = await freePort();
    const p = npmStart({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    started.push(p);
    await waitHealthy(`http://127.0.0.1:${port}`, p);
    const tree = descendants(p.child.pid!);
    stray = tree.map((t) => t.pid);
    // Ctrl-C: the terminal signals every process in the foreground group at once.
    process.kill(-p.child.pid!, 'SIGINT');
    await p.exited;
    expect(tree.filter((t) => alive(t.pid))).toEqual([]);
    const lines = logLines(p.stdout());
    // Before: "job queue error" 57P01 stack traces, because PostgreSQL got the Ctrl-C too.
    expect(lines.filter(errorLevel)).toEqual([]);
    expect(lines.map((l) => l.message)).toContain('stopped');
    expect(p.stdout()).not.toMatch(/Their password is/);
    expect(lines.some((l) => l.message === 'demo data loaded')).toBe(false);
  });
});

describe('npm start builds only when the sources changed', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require('../../scripts/build.js') as { fingerprint(root?: string): string };

  it('sees a re-saved, added or deleted source as a reason to build, and nothing else', () => {
    // A private tree, so the checkout's own files (and other runs' builds) are left alone.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-fingerprint-'));
    try {
      fs.mkdirSync(path.join(root, 'src/modules'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src/main.ts'), 'export {};\n');
      fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}\n');
      fs.mkdirSync(path.join(root, 'var'));
      const built = build.fingerprint(root);
      expect(build.fingerprint(root)).toBe(built);
      // Data and other folders the build does not read change nothing.
      fs.writeFileSync(path.join(root, 'var/data'), 'x');
      expect(build.fingerprint(root)).toBe(built);
      // The same content saved again (as an editor or a git checkout does) is a change.
      const later = new Date(fs.statSync(path.join(root, 'src/main.ts')).mtimeMs + 5_000);
      fs.utimesSync(path.join(root, 'src/main.ts'), later, later);
      const resaved = build.fingerprint(root);
      expect(resaved).not.toBe(built);
      fs.writeFileSync(path.join(root, 'src/modules/new.ts'), 'export {};\n');
      const added = build.fingerprint(root);
      expect(added).not.toBe(resaved);
      fs.rmSync(path.join(root, 'src/modules/new.ts'));
      expect(build.fingerprint(root)).toBe(resaved);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the built app when a first start goes wrong', () => {
  const MAIN = path.join(ROOT, 'dist/src/main.js');
  const node = (env: Record<string, string>, cwd?: string) => run(process.execPath, [MAIN], env, { cwd });
  const dirs: string[] = [];
  const runs: Run[] = [];
  afterAll(() => {
    for (const p of runs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function fatalLine(p: Run): string {
    const fatal = logLines(p.stdout()).filter((l) => l.level === 'fatal');
    expect(fatal).toHaveLength(1);
    return String(fatal[0].message);
  }

  it('says in one line that EMBEDDED_PG_PORT is taken', async () => {
    const { dir, dataDir } = makeDataDir();
    dirs.push(dir);
    const held = await holdPort(await freePort());
    const pgPort = (held!.address() as net.AddressInfo).port;
    try {
      const p = node({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: '0' });
      runs.push(p);
      expect((await p.exited).code).toBe(1);
      expect(fatalLine(p)).toMatch(new RegExp(`^start-up failed: EMBEDDED_PG_PORT=${pgPort} is already in use`));
    } finally {
      held!.close();
    }
  });

  it("loads the demo data on the next start when the database exists but has none (a first start that did not finish), and a second copy on the same DATA_DIR passes on PostgreSQL's own words", async () => {
    const { dir, dataDir } = makeDataDir();
    dirs.push(dir);
    // Leaves var/postgres with migrations applied and no demo data: what a failed first start left.
    const first = node({ DATA_DIR: dataDir, PORT: String(await freePort()), SEED_DEMO_ON_FIRST_START: 'false' });
    runs.push(first);
    await waitFor(() => /"message":"PCC Grants is ready"/.test(first.stdout()));
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(first.stdout()).not.toMatch(/Their password is/);

    const port = await freePort();
    const again = node({ DATA_DIR: dataDir, PORT: String(port) });
    runs.push(again);
    await waitHealthy(`http://127.0.0.1:${port}`, again);
    expect(again.stdout()).toMatch(/Their password is: demo-/);
    expect(await fetch(`http://127.0.0.1:${port}/funds`).then((r) => r.text())).toContain('Victims Fund 7');

    // A second copy on the same DATA_DIR while this one runs: PostgreSQL refuses, and the message
    // passes on its own words (postmaster.pid) in one line. (Checked here, on this test's running
    // copy, rather than in a test of its own, to spare a whole extra cluster and start.)
    const pgPort = fs.readFileSync(path.join(dataDir, 'postgres.port'), 'utf8');
    const second = node({ DATA_DIR: dataDir, PORT: '0' });
    runs.push(second);
    expect((await second.exited).code).toBe(1);
    const line = fatalLine(second);
    expect(line).toMatch(/postmaster\.pid/);
    expect(line).toMatch(/another copy of PCC Grants/);
    expect(line).not.toMatch(/\n/);
    // The first copy is unharmed and keeps its port.
    expect(fs.readFileSync(path.join(dataDir, 'postgres.port'), 'utf8')).toBe(pgPort);
    expect(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok)).toBe(true);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'demo-password.pending'))).toBe(false);
  });

  (asRoot ? it : it.skip)('as root, says which folder the postgres user cannot enter and what to change', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-private-')); // mode 0700
    dirs.push(dir);
    const p = node({ DATA_DIR: path.join(dir, 'var'), PORT: '0' });
    runs.push(p);
    expect((await p.exited).code).toBe(1);
    const line = fatalLine(p);
    expect(line).toContain(`cannot enter ${dir} (mode 0700)`);
    expect(line).toContain(`chmod o+x ${dir}`);
  });

  it('finds the folder the postgres user cannot enter (owner, group and other permissions)', () => {
    const stats: Record<string, { mode: number; uid: number; gid: number }> = {
      '/': { mode: 0o40755, uid: 0, gid: 0 },
      '/home': { mode: 0o40755, uid: 0, gid: 0 },
      '/home/ann': { mode: 0o40750, uid: 1000, gid: 1000 },
      '/home/ann/app': { mode: 0o40700, uid: 1000, gid: 1000 },
    };
    const stat = (p: string) => (stats[p] as unknown as fs.Stats) ?? null;
    const pg = { uid: 999, gid: 999 };
    expect(firstUnreachableFolder('/home/ann/app/var/postgres', pg, stat)).toEqual({ folder: '/home/ann', mode: '0750' });
    expect(firstUnreachableFolder('/home/ann/app/var/postgres', { uid: 999, gid: 1000 }, stat)).toEqual({ folder: '/home/ann/app', mode: '0700' });
    expect(firstUnreachableFolder('/home/ann/app/var/postgres', { uid: 1000, gid: 1000 }, stat)).toBeNull();
  });

  it('reads .env from the working folder, and the environment wins over it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-dotenv-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=loud\nOUTBOX_POLL_MS=-5\n');
    const fromFile = node({}, dir);
    runs.push(fromFile);
    expect((await fromFile.exited).code).toBe(78);
    expect(fromFile.stderr()).toMatch(/^Invalid environment: LOG_LEVEL="loud"/);
    const envWins = node({ LOG_LEVEL: 'info' }, dir);
    runs.push(envWins);
    expect((await envWins.exited).code).toBe(78);
    expect(envWins.stderr()).toMatch(/^Invalid environment: OUTBOX_POLL_MS="-5"/);
  });
});

async function waitFor<T>(check: () => T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
