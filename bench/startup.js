'use strict';
/**
 * Scenario "startup": what a newcomer waits for, through the launcher `npm start` runs
 * (scripts/start.js: build if the sources changed, then the app), against a bare Express start
 * measured in the same run.
 *
 *   0. the build `npm ci` runs (package.json "prepare": scripts/build.js) in a private copy of the
 *      sources with no dist/ (node_modules linked, so nothing is downloaded); timed on its own.
 *   1. first start after install: that copy with an empty DATA_DIR -> first 200 from /health.
 *      Includes creating the embedded PostgreSQL cluster, every migration and loading the demo
 *      data, exactly as `npm start` right after `npm ci` on a fresh clone.
 *   2. stop it (SIGTERM), then a warm start of the same copy -> first 200 from /health. The
 *      sources are unchanged, so no build and no demo data: this is every later `npm start`.
 *   3. bare Express (bench/baseline-server.js) in its own process -> first 200 from /hello.
 *
 * The copy keeps the shared dist/ of the working tree untouched (others may be running it).
 * Targets (bench/README.md): warm start under 5 s, first start under 10 s.
 */
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const TARGETS = { firstMs: 10_000, warmMs: 5_000 };
const COPY = ['src', 'libs', 'migrations', 'config', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function freshCheckout(resources) {
  const dir = lib.makeDataDir(resources, 'pcc-grants-bench-checkout-');
  for (const item of COPY) fs.cpSync(path.join(lib.ROOT, item), path.join(dir, item), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(path.join(lib.ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function startLauncher({ resources, checkout, dataDir, port, name, s }) {
  const service = lib.spawnService({
    name,
    args: [path.join(checkout, 'scripts', 'start.js')],
    cwd: checkout,
    env: {
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: lib.HOST,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '', // always the embedded database, never a developer's real one
      EMBEDDED_PG_PORT: '', // chosen by the app, as on a fresh clone
      DEMO_PASSWORD: '', // generated and printed, as on a fresh clone
    },
    resources,
    verbose: s.verbose,
    stopTimeoutMs: s.stopTimeoutMs,
  });
  const startupMs = await lib.waitForOk(`http://${lib.HOST}:${port}/health`, { service, pollMs: s.pollMs, timeoutMs: s.startTimeoutMs });
  return { service, startupMs: lib.round(startupMs, 0) };
}

module.exports = {
  name: 'startup',
  description:
    'the build npm ci runs, first start after install (new database + demo data) and warm start via the npm start launcher, against a bare Express start',

  async run({ resources, settings: s }) {
    const checkout = freshCheckout(resources);
    const dataDir = path.join(checkout, 'var');
    const [appPort, baselinePort] = await lib.freePorts(2);

    lib.log(`install: building a fresh copy in ${checkout}, as npm ci's "prepare" does`);
    const buildStarted = process.hrtime.bigint();
    const build = require('node:child_process').spawnSync(process.execPath, [path.join(checkout, 'scripts', 'build.js'), '--if-needed'], {
      cwd: checkout,
      stdio: s.verbose ? 'inherit' : 'pipe',
    });
    if (build.status !== 0) throw new Error(`the build failed: ${build.stderr?.toString() ?? ''}`);
    const installBuildMs = lib.round(Number(process.hrtime.bigint() - buildStarted) / 1e6, 0);
    lib.log(`install: build took ${installBuildMs} ms`);
    lib.log(`first start: empty DATA_DIR`);
    const first = await startLauncher({ resources, checkout, dataDir, port: appPort, name: 'app (first start)', s });
    const printedPassword = first.service.output().includes('Their password is');
    const firstRebuilt = /Building the app/.test(first.service.output());
    lib.log(`first start: first 200 from /health after ${first.startupMs} ms`);
    const firstStop = await first.service.stop();

    const warm = await startLauncher({ resources, checkout, dataDir, port: appPort, name: 'app (warm start)', s });
    lib.log(`warm start: first 200 from /health after ${warm.startupMs} ms`);
    const rebuilt = /Building the app/.test(warm.service.output());
    const warmStop = await warm.service.stop();

    const baseline = await lib.startBaseline({ resources, port: baselinePort, s });
    lib.log(`baseline: first 200 from /hello after ${baseline.startupMs} ms`);
    await baseline.service.stop();

    const data = {
      startup: {
        installBuildMs,
        firstMs: first.startupMs,
        warmMs: warm.startupMs,
        baselineMs: baseline.startupMs,
        note: 'spawn of scripts/start.js (what npm start runs) to first HTTP 200 from /health, polled every ' + s.pollMs + ' ms',
      },
      ratios: { first: lib.ratio(first.startupMs, baseline.startupMs), warm: lib.ratio(warm.startupMs, baseline.startupMs) },
      targets: { ...TARGETS, firstMet: first.startupMs < TARGETS.firstMs, warmMet: warm.startupMs < TARGETS.warmMs },
      checks: { firstStartPrintedPassword: printedPassword, firstStartRebuilt: firstRebuilt, warmStartRebuilt: rebuilt },
      shutdown: { first: firstStop, warm: warmStop },
    };
    if (!printedPassword) throw new Error('the first start did not load the demo data (no password printed)');
    if (firstRebuilt) throw new Error('the first start rebuilt the app although npm ci had built it');
    if (rebuilt) throw new Error('the warm start rebuilt the app although no source changed');
    return { data, report: report(data) };
  },
};

function report(d) {
  const met = (ok) => (ok ? 'met' : 'NOT met');
  return [
    `build during npm ci ("prepare"):                                ${d.startup.installBuildMs} ms`,
    `first start after install (new database + demo data):          ${d.startup.firstMs} ms = ${d.ratios.first}x bare Express; target < ${d.targets.firstMs} ms ${met(d.targets.firstMet)}`,
    `warm start (no build):                                         ${d.startup.warmMs} ms = ${d.ratios.warm}x bare Express; target < ${d.targets.warmMs} ms ${met(d.targets.warmMet)}`,
    `bare Express start:                                            ${d.startup.baselineMs} ms`,
  ].join('\n');
}
