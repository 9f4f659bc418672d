'use strict';
/**
 * Shared helpers for the benchmark scenarios (bench/health.js, and later ones such as "submit
 * 2,000 applications"):
 *
 *   settings()                 BENCH_* environment overrides, checked once
 *   positiveNumber(name, ...)  one more BENCH_* number for a scenario, checked the same way
 *   Resources                  LIFO clean-up list: child processes, temp dirs (always run, even on error)
 *   freePorts(n)               n distinct free TCP ports on 127.0.0.1
 *   makeDataDir(resources)     throwaway DATA_DIR, removed on clean-up
 *   spawnService(...)          child process in its own process group, output kept for error reports
 *   waitForOk(url, ...)        poll until HTTP 200; returns ms since the service was spawned
 *   startApp(...)              the real app (node dist/src/main.js) on an embedded PostgreSQL
 *   startBaseline(...)         bare Express (bench/baseline-server.js) in its own process
 *   httpRequest(...)           one small request (sanity checks, setting up data)
 *   runLoad(...)               autocannon: discarded warm-up, then the measured run
 *   memory(pid), treePssKb()   VmHWM / VmRSS of a process, PSS of a process and its descendants (Linux /proc)
 *   cpuMeter(pids)             CPU used by server process trees, the harness, and everything else
 *   compare(app, baseline)     app/baseline ratios
 *   formatTable(rows, cols)    plain-text table
 *   writeResults(name, data)   bench/results/<name>-<timestamp>.json
 *
 * All traffic goes to 127.0.0.1. Plain CommonJS so it runs without a build step.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const APP_ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const BASELINE_ENTRY = path.join(__dirname, 'baseline-server.js');
const HOST = '127.0.0.1';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Settings

function positiveNumber(name, fallback, { integer = false, min = 0 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`Invalid environment: ${name}=${JSON.stringify(raw)} — expected ${integer ? 'a whole number' : 'a number'} >= ${min}`);
  }
  return n;
}

/** Benchmark knobs. Every scenario uses the same ones so app and baseline runs are comparable. */
function settings() {
  return {
    durationS: positiveNumber('BENCH_DURATION', 10, { min: 1 }),
    connections: positiveNumber('BENCH_CONNECTIONS', 10, { integer: true, min: 1 }),
    // Whether BENCH_CONNECTIONS was given: a scenario's own default (e.g. a surge's 20) yields to it.
    connectionsSet: (process.env.BENCH_CONNECTIONS ?? '') !== '',
    warmupS: positiveNumber('BENCH_WARMUP', 2, { min: 0 }),
    startTimeoutMs: positiveNumber('BENCH_START_TIMEOUT_MS', 120_000, { integer: true, min: 1000 }),
    stopTimeoutMs: positiveNumber('BENCH_STOP_TIMEOUT_MS', 30_000, { integer: true, min: 1000 }),
    pollMs: positiveNumber('BENCH_POLL_MS', 50, { integer: true, min: 1 }),
    verbose: process.env.BENCH_VERBOSE === '1' || process.env.BENCH_VERBOSE === 'true',
  };
}

// ---------------------------------------------------------------------------------------------
// Clean-up

/**
 * Things to undo, undone in reverse order of creation. `closeAll` never throws and is safe to call
 * twice (from `finally` and from a signal handler).
 */
class Resources {
  constructor() {
    this.items = [];
    this.closing = null;
  }

  add(label, close) {
    const item = { label, close, done: false };
    this.items.push(item);
    return item;
  }

  closeAll() {
    if (!this.closing) {
      this.closing = (async () => {
        while (this.items.length) {
          const item = this.items.pop();
          if (item.done) continue;
          item.done = true;
          try {
            await item.close();
          } catch (err) {
            log(`clean-up of ${item.label} failed: ${err && err.message ? err.message : err}`);
          }
        }
      })();
    }
    return this.closing;
  }
}

// ---------------------------------------------------------------------------------------------
// Ports and directories

/** n distinct free ports: all listeners are held open together so the ports cannot repeat. */
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, HOST, resolve);
      });
      servers.push(srv);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** A throwaway DATA_DIR, deleted when `resources` closes. */
function makeDataDir(resources, prefix = 'pcc-grants-bench-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // When run as root, the embedded PostgreSQL runs as a separate 'postgres' user that must be able
  // to reach this folder (same as test/support/global-setup.ts).
  fs.chmodSync(dir, 0o755);
  resources.add(`temp dir ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Child processes

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Spawns `command args` in its own process group (so a forced stop can also reach anything it
 * started, e.g. the embedded PostgreSQL). Output is kept (last `keepLines` lines) for error
 * messages, and echoed with a prefix when `verbose`.
 *
 * Returns a service: { name, pid, child, spawnedAt (performance.now()), exited (promise of
 * { code, signal }), isRunning(), output(), stop({ timeoutMs }) }. The service is registered with
 * `resources`, so it is stopped on clean-up if the scenario did not stop it itself.
 */
function spawnService({
  name,
  command = process.execPath,
  args = [],
  env = {},
  cwd = ROOT,
  resources,
  verbose = false,
  stopTimeoutMs = 30_000,
  keepLines = 200,
}) {
  const lines = [];
  const keep = (stream) => (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(`${stream}: ${line}`);
      if (lines.length > keepLines) lines.shift();
      if (verbose) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group; we forward signals ourselves
  });
  child.stdout.on('data', keep('out'));
  child.stderr.on('data', keep('err'));
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      lines.push(`spawn error: ${err.message}`);
      exitInfo = { code: null, signal: null, error: err.message };
      resolve(exitInfo);
    });
  });
  const pid = child.pid;

  let stopping = null;
  const service = {
    name,
    pid,
    child,
    spawnedAt,
    exited,
    isRunning: () => exitInfo === null,
    output: () => lines.join('\n'),
    /**
     * SIGTERM and wait (the app drains requests and stops its embedded PostgreSQL). If it does
     * not exit within timeoutMs, SIGKILL the whole process group. Anything left in the group after
     * the leader exits (e.g. PostgreSQL after an app crash) is stopped too.
     * Resolves { code, signal, stopMs, forced }.
     */
    stop: ({ timeoutMs = stopTimeoutMs, signal = 'SIGTERM' } = {}) => {
      if (!stopping) {
        stopping = (async () => {
          const t0 = performance.now();
          let forced = false;
          if (exitInfo === null && pid) {
            try {
              process.kill(pid, signal);
            } catch {
              // exited in the meantime
            }
            const timedOut = await Promise.race([exited.then(() => false), sleep(timeoutMs).then(() => true)]);
            if (timedOut) {
              forced = true;
              log(`${name} (pid ${pid}) did not exit ${timeoutMs} ms after ${signal}; killing its process group`);
              signalGroup(pid, 'SIGKILL');
              await exited;
            }
          }
          const stopMs = performance.now() - t0;
          if (pid && groupAlive(pid)) {
            log(`${name}: processes left in group ${pid} after exit; sending SIGTERM`);
            forced = true;
            signalGroup(pid, 'SIGTERM');
            for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(100);
            if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
          }
          const info = await exited;
          return { ...info, stopMs: round(stopMs, 1), forced };
        })();
      }
      return stopping;
    },
  };
  if (resources) resources.add(`${name} (pid ${pid})`, () => service.stop());
  return service;
}

/** One HTTP request to 127.0.0.1. Resolves { status, headers, body } (body as a string). */
function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.hostname !== HOST) return reject(new Error(`bench only talks to ${HOST}, not ${u.hostname}`));
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      {
        host: HOST,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Polls `url` every `pollMs` until it answers 200. Returns ms from `service.spawnedAt` to that
 * first 200. Fails early, with the service's output, if the service exits or `timeoutMs` passes.
 */
async function waitForOk(url, { service, pollMs = 50, timeoutMs = 120_000 }) {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (service && !service.isRunning()) {
      const info = await service.exited;
      throw new Error(`${service.name} exited (code ${info.code}, signal ${info.signal}) before ${url} answered 200.\n--- output ---\n${service.output()}`);
    }
    const attemptAt = performance.now();
    try {
      const res = await httpRequest(url, { timeoutMs: Math.max(250, pollMs * 10) });
      if (res.status === 200) return performance.now() - (service ? service.spawnedAt : attemptAt);
      last = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = err.code || err.message;
    }
    if (performance.now() > deadline) {
      throw new Error(
        `${url} did not answer 200 within ${timeoutMs} ms (last: ${last}).${service ? `\n--- ${service.name} output ---\n${service.output()}` : ''}`,
      );
    }
    const wait = pollMs - (performance.now() - attemptAt);
    if (wait > 0) await sleep(wait);
  }
}

/**
 * Starts the real app (dist/src/main.js; run `npm run build` first) against an embedded
 * PostgreSQL under `dataDir`, and waits for GET /health to answer 200.
 * Returns { service, port, pgPort, url, startupMs } where startupMs runs from spawn to that 200.
 * Extra environment (e.g. SEED_DEMO_ON_FIRST_START=true) goes in `env`.
 */
async function startApp({ resources, dataDir, port, pgPort, env = {}, name = 'app', s = settings() }) {
  const nodeEnv = process.env.BENCH_NODE_ENV || 'development';
  if (!fs.existsSync(APP_ENTRY)) throw new Error(`${path.relative(ROOT, APP_ENTRY)} not found: run \`npm run build\` first (npm run bench does).`);
  // BENCH_APP_PROFILE=<folder>: the app writes a V8 CPU profile there when it stops (open it in
  // Chrome's DevTools), to see where a scenario's time goes.
  const profile = process.env.BENCH_APP_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_APP_PROFILE)}`] : [];
  const service = spawnService({
    name,
    args: [...profile, ...(process.env.BENCH_APP_NODE_ARGS ? process.env.BENCH_APP_NODE_ARGS.split(' ') : []), APP_ENTRY],
    env: {
      NODE_ENV: nodeEnv,
      // Production insists on SMTP_URL (nothing listens on the discard port; the benchmarks send no
      // email) and on SESSION_SECRET (a throwaway one per run).
      ...(nodeEnv === 'production' ? { SMTP_URL: 'smtp://127.0.0.1:9', SESSION_SECRET: require('node:crypto').randomBytes(32).toString('hex') } : {}),
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: 'warn',
      SEED_DEMO_ON_FIRST_START: 'false',
      DATABASE_URL: '', // always the embedded database, never a developer's real one
      ...env,
    },
    resources,
    verbose: s.verbose,
    stopTimeoutMs: s.stopTimeoutMs,
  });
  const url = `http://${HOST}:${port}`;
  const startupMs = await waitForOk(`${url}/health`, { service, pollMs: s.pollMs, timeoutMs: s.startTimeoutMs });
  return { service, port, pgPort, url, startupMs: round(startupMs, 0) };
}

/** Starts the bare Express baseline (bench/baseline-server.js) and waits for GET /hello. */
async function startBaseline({ resources, port, name = 'baseline', s = settings() }) {
  const service = spawnService({
    name,
    args: [BASELINE_ENTRY],
    env: { PORT: String(port), NODE_ENV: process.env.BENCH_NODE_ENV || 'development' },
    resources,
    verbose: s.verbose,
    stopTimeoutMs: s.stopTimeoutMs,
  });
  const url = `http://${HOST}:${port}`;
  const startupMs = await waitForOk(`${url}/hello`, { service, pollMs: s.pollMs, timeoutMs: s.startTimeoutMs });
  return { service, port, url, startupMs: round(startupMs, 0) };
}

// ---------------------------------------------------------------------------------------------
// Memory (Linux /proc; null elsewhere)

function readStatusKb(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (key) => {
      const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { vmHwmKb: field('VmHWM'), vmRssKb: field('VmRSS') };
  } catch {
    return { vmHwmKb: null, vmRssKb: null };
  }
}

/** Peak (VmHWM) and current (VmRSS) resident memory of one process, in kB. */
function memory(pid) {
  return readStatusKb(pid);
}

/**
 * Proportional set size (kB) summed over `rootPid` and its descendants: for the app that is Node
 * plus the embedded PostgreSQL server and its backends. PSS shares shared memory out fairly, so
 * the sum is not inflated by PostgreSQL's shared buffers. Current, not peak.
 */
function treePssKb(rootPid) {
  let total = 0;
  let count = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const m = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
      if (m) {
        total += Number(m[1]);
        count++;
      }
    } catch {
      // went away, or not readable
    }
  }
  return count ? { pssKb: total, processes: count } : null;
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; null elsewhere)
//
// On a small or shared machine requests/s moves with whatever else is running; CPU time spent per
// request by the server's own processes moves much less, so it is reported next to throughput.

let clockTicks = null;
function ticksPerSecond() {
  if (clockTicks === null) {
    try {
      clockTicks =
        Number(
          execFileSync('getconf', ['CLK_TCK'], { stdio: ['ignore', 'pipe', 'ignore'] })
            .toString()
            .trim(),
        ) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** [{ pid, ppid, cpuTicks }] for every process, or null without /proc. */
function processTable() {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  const rows = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
      // comm may contain spaces, so split after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.push({ pid: Number(entry), ppid: Number(f[1]), pgrp: Number(f[2]), cpuTicks: Number(f[11]) + Number(f[12]) });
    } catch {
      // process went away
    }
  }
  return rows;
}

/** The pids of `rootPid` and all its descendants (e.g. the app, its PostgreSQL server and backends). */
function processTree(rootPid, table = processTable()) {
  if (!table) return [];
  const children = new Map();
  for (const row of table) {
    if (!children.has(row.ppid)) children.set(row.ppid, []);
    children.get(row.ppid).push(row.pid);
  }
  const alive = new Set(table.map((r) => r.pid));
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    if (!alive.has(pid)) continue;
    out.push(pid);
    for (const c of children.get(pid) || []) stack.push(c);
  }
  return out;
}

/** Machine-wide busy and total CPU ticks from /proc/stat. */
function machineTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

/**
 * Starts measuring CPU. `roots` are server pids whose whole process trees count as "server".
 * Call the returned function to stop; it resolves CPU seconds per second ("cores") for the servers,
 * this harness process (the load generator), and everything else on the machine.
 */
function cpuMeter(roots) {
  const table0 = processTable();
  if (!table0) return () => null;
  const byPid0 = new Map(table0.map((r) => [r.pid, r.cpuTicks]));
  const t0 = performance.now();
  const m0 = machineTicks();
  const self0 = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const table1 = processTable();
    const m1 = machineTicks();
    const self1 = process.cpuUsage(self0);
    const hz = ticksPerSecond();
    let serverTicks = 0;
    let rootTicks = 0;
    const pids = new Set();
    for (const root of roots) for (const pid of processTree(root, table1)) pids.add(pid);
    for (const row of table1) {
      if (!pids.has(row.pid)) continue;
      // Processes that started during the run count from zero.
      const used = row.cpuTicks - (byPid0.get(row.pid) ?? 0);
      serverTicks += used;
      if (roots.includes(row.pid)) rootTicks += used;
    }
    const serverCpuS = serverTicks / hz;
    const rootCpuS = rootTicks / hz;
    const harnessCpuS = (self1.user + self1.system) / 1e6;
    const machineBusyS = m0 && m1 ? (m1.busy - m0.busy) / hz : null;
    return {
      seconds: round(seconds, 2),
      processes: pids.size,
      serverCpuS: round(serverCpuS, 2),
      // split: the server processes themselves (Node) vs their descendants (e.g. PostgreSQL)
      rootCpuS: round(rootCpuS, 2),
      descendantsCpuS: round(serverCpuS - rootCpuS, 2),
      serverCores: round(serverCpuS / seconds, 2),
      harnessCores: round(harnessCpuS / seconds, 2),
      machineBusyCores: machineBusyS === null ? null : round(machineBusyS / seconds, 2),
      // Whatever else was running (other builds, tests...): if this is large, re-run on a quiet machine.
      otherCores: machineBusyS === null ? null : round(Math.max(0, machineBusyS - serverCpuS - harnessCpuS) / seconds, 2),
      machineCores: os.cpus().length,
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Load

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

function round(n, digits = 2) {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const activeLoads = new Set();
let loadsAborted = false;

/** Stops any autocannon run in progress (used on Ctrl-C / timeout so servers can drain and stop). */
function abortLoads() {
  loadsAborted = true;
  for (const instance of activeLoads) {
    try {
      instance.stop();
    } catch {
      // already finished
    }
  }
  activeLoads.clear();
}

function autocannonOnce(opts) {
  // Required lazily so `node bench/run.js --help` works without dev dependencies.
  const autocannon = require('autocannon');
  if (loadsAborted) return Promise.reject(new Error('load runs aborted'));
  return new Promise((resolve, reject) => {
    const latencies = [];
    const instance = autocannon({ ...opts, renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false }, (err, result) => {
      activeLoads.delete(instance);
      if (err) reject(err);
      else resolve({ result, latencies });
    });
    activeLoads.add(instance);
    // autocannon's own histogram has 1 ms resolution, too coarse for sub-millisecond responses;
    // keep every 2xx response time (float ms) and compute percentiles ourselves. Like autocannon,
    // only 2xx responses count towards latency.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * Runs autocannon against `url`: first a warm-up of `warmupS` seconds (discarded), then the
 * measured run of `durationS` seconds, both with `connections` connections. Other autocannon
 * options (method, headers, body, requests, amount, ...) pass straight through in `options`.
 * `serverPids`: the servers' root pids; CPU used by their process trees during the measured run
 * is reported (cpu.serverMsPerRequest is the number least disturbed by other load on the machine).
 * Returns a summary: rps, latency percentiles (ms), errors, non-2xx, status code counts, cpu.
 */
async function runLoad({ title, url, durationS, connections, warmupS, options = {}, serverPids = [] }) {
  const s = settings();
  durationS = durationS ?? s.durationS;
  connections = connections ?? s.connections;
  warmupS = warmupS ?? s.warmupS;
  if (new URL(url).hostname !== HOST) throw new Error(`bench only talks to ${HOST}`);
  const base = { url, connections, pipelining: 1, timeout: 10, ...options };
  if (warmupS > 0) {
    log(`${title}: warm-up ${warmupS}s, ${connections} connections, ${url}`);
    // A warm-up is always time-boxed, even when the measured run is a fixed `amount` of requests.
    const { amount: _amount, ...warm } = base;
    await autocannonOnce({ ...warm, title: `${title} (warm-up)`, duration: warmupS });
  }
  log(`${title}: measuring ${base.amount ? `${base.amount} requests` : `${durationS}s`}, ${connections} connections`);
  const stopMeter = cpuMeter(serverPids);
  const { result, latencies } = await autocannonOnce({ ...base, title, duration: durationS });
  const cpu = stopMeter();
  const summary = summarise(title, result, latencies);
  if (cpu && summary.requests) {
    cpu.serverMsPerRequest = round((cpu.serverCpuS * 1000) / summary.requests, 3);
    cpu.rootMsPerRequest = round((cpu.rootCpuS * 1000) / summary.requests, 3);
    cpu.descendantsMsPerRequest = round((cpu.descendantsCpuS * 1000) / summary.requests, 3);
  }
  summary.cpu = cpu;
  return summary;
}

function summarise(title, r, latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  const statusCodes = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats || {})) statusCodes[code] = count;
  return {
    title,
    url: r.url,
    connections: r.connections,
    durationS: r.duration,
    requests: r.requests.total,
    rps: round(r.requests.total / r.duration, 1),
    rpsPerSecondSamples: { mean: r.requests.average, stddev: r.requests.stddev, min: r.requests.min, max: r.requests.max },
    latencyMs: {
      p50: round(percentile(sorted, 50), 3),
      p90: round(percentile(sorted, 90), 3),
      p99: round(percentile(sorted, 99), 3),
      max: round(sorted.length ? sorted[sorted.length - 1] : null, 3),
      mean: round(mean, 3),
    },
    // autocannon's own (whole-millisecond) figures, for cross-checking.
    autocannonLatencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, max: r.latency.max },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    throughputBytesPerS: r.throughput.average,
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting

function ratio(a, b) {
  if (a === null || b === null || a === undefined || b === undefined || b === 0) return null;
  return round(a / b, 3);
}

/** App vs baseline. Throughput ratio: higher is better (1 = as fast as bare Express). Latency: lower is better. */
function compare(app, baseline) {
  return {
    throughput: ratio(app.rps, baseline.rps),
    p50Latency: ratio(app.latencyMs.p50, baseline.latencyMs.p50),
    p99Latency: ratio(app.latencyMs.p99, baseline.latencyMs.p99),
    cpuPerRequest: ratio(app.cpu && app.cpu.serverMsPerRequest, baseline.cpu && baseline.cpu.serverMsPerRequest),
  };
}

function formatTable(rows, columns) {
  const cell = (v) => (v === null || v === undefined ? '-' : typeof v === 'number' ? String(v) : String(v));
  const widths = columns.map((c) => Math.max(c.label.length, ...rows.map((r) => cell(c.value(r)).length)));
  const line = (vals) => vals.map((v, i) => (columns[i].align === 'left' ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(columns.map((c) => c.label)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(columns.map((c) => cell(c.value(r)))))].join(
    '\n',
  );
}

/** The standard load table: one row per summary from runLoad. */
function loadTable(rows) {
  return formatTable(rows, [
    { label: 'target', value: (r) => r.label, align: 'left' },
    { label: 'req/s', value: (r) => r.load.rps },
    { label: 'p50 ms', value: (r) => r.load.latencyMs.p50 },
    { label: 'p99 ms', value: (r) => r.load.latencyMs.p99 },
    { label: 'errors', value: (r) => r.load.errors }, // autocannon counts timeouts as errors too
    { label: 'non-2xx', value: (r) => r.load.non2xx },
    { label: 'requests', value: (r) => r.load.requests },
    { label: 'CPU ms/req', value: (r) => (r.load.cpu ? r.load.cpu.serverMsPerRequest : null) },
    { label: 'server cores', value: (r) => (r.load.cpu ? r.load.cpu.serverCores : null) },
    { label: 'other load', value: (r) => (r.load.cpu ? r.load.cpu.otherCores : null) },
  ]);
}

function mb(kb) {
  return kb === null || kb === undefined ? null : round(kb / 1024, 1);
}

/** Commit, and when the tree is dirty, how: results from uncommitted code are only comparable with the same diff. */
function gitInfo() {
  const git = (...args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 }).toString();
  try {
    const commit = git('rev-parse', 'HEAD').trim();
    const status = git('status', '--porcelain').split('\n').filter(Boolean);
    const dirty = status.length > 0;
    return {
      commit,
      dirty,
      ...(dirty
        ? {
            changedFiles: status.length,
            // sha256 of `git diff HEAD` (tracked files only): equal hashes = same uncommitted changes.
            diffSha256: require('node:crypto').createHash('sha256').update(git('diff', 'HEAD')).digest('hex').slice(0, 16),
          }
        : {}),
    };
  } catch {
    return null;
  }
}

/** Where and how the benchmark ran: results from different machines are not comparable in absolute terms. */
function environment() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0] ? cpus[0].model : null,
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAvg: os.loadavg().map((n) => round(n, 2)),
    git: gitInfo(),
  };
}

function timestamp(d = new Date()) {
  return d.toISOString().replace(/[:.]/g, '-');
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
function writeResults(name, data, when = new Date()) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}-${timestamp(when)}.json`);
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

module.exports = {
  ROOT,
  RESULTS_DIR,
  HOST,
  log,
  sleep,
  round,
  settings,
  positiveNumber,
  Resources,
  freePorts,
  makeDataDir,
  spawnService,
  httpRequest,
  waitForOk,
  startApp,
  startBaseline,
  memory,
  treePssKb,
  processTree,
  cpuMeter,
  runLoad,
  abortLoads,
  percentile,
  compare,
  ratio,
  formatTable,
  loadTable,
  mb,
  environment,
  writeResults,
};
