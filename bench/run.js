#!/usr/bin/env node
'use strict';
/**
 * Benchmark runner. `npm run bench` builds the app and runs every scenario; to run some:
 *
 *   npm run bench -- health
 *   node bench/run.js health        (after `npm run build`)
 *   node bench/run.js --list
 *
 * Each scenario writes bench/results/<name>-<timestamp>.json and prints a report. Child
 * processes and temp dirs are cleaned up on success, failure, Ctrl-C and on the overall timeout.
 * See bench/README.md.
 */
const lib = require('./lib');

/**
 * Add new scenarios here: modules exporting { name, description, run({ resources, settings }) -> { data, report } },
 * and optionally defaultConnections (used unless BENCH_CONNECTIONS is set) and extraTimeMs(settings)
 * (added to the watchdog's allowance, for scenarios measured by a fixed amount of work rather than time).
 */
const SCENARIOS = [
  require('./startup'),
  require('./health'),
  require('./submissions'),
  require('./lists'),
  require('./ranking'),
  require('./allocation'),
  require('./open-data'),
];

function usage() {
  return [
    'usage: node bench/run.js [scenario ...] [--list]',
    '',
    'scenarios:',
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`),
    '',
    'environment: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (10), BENCH_WARMUP (s, 2),',
    '             BENCH_START_TIMEOUT_MS (120000), BENCH_STOP_TIMEOUT_MS (30000), BENCH_TIMEOUT_MS,',
    '             BENCH_VERBOSE=1 (echo child output), BENCH_NODE_ENV (development),',
    '             BENCH_APP_PROFILE=<folder> (the app writes a V8 CPU profile there)',
    '             submissions: BENCH_SUBMISSIONS (2000), BENCH_SUBMIT_WARMUP (200); connections 20 unless BENCH_CONNECTIONS',
    '             lists: BENCH_LIST_APPLICATIONS (5000)',
    '             open-data: BENCH_OPEN_DATA_GRANTS (100000)',
  ].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  if (args.includes('--list')) {
    for (const s of SCENARIOS) console.log(`${s.name}\t${s.description}`);
    return 0;
  }
  const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
  if (unknown.length) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = args.length ? SCENARIOS.filter((s) => args.includes(s.name)) : SCENARIOS;
  const settings = lib.settings();

  // Hard upper bound so the run always ends by itself, even if something hangs.
  const perScenarioMs = 2 * settings.startTimeoutMs + 4 * settings.stopTimeoutMs + 4 * (settings.durationS + settings.warmupS) * 1000 + 60_000;
  const settingsFor = (scenario) =>
    scenario.defaultConnections && !settings.connectionsSet ? { ...settings, connections: scenario.defaultConnections } : settings;
  const overallMs =
    Number(process.env.BENCH_TIMEOUT_MS) || selected.reduce((ms, s) => ms + perScenarioMs + (s.extraTimeMs ? s.extraTimeMs(settingsFor(s)) : 0), 0);

  let current = null; // Resources of the running scenario
  let exiting = false;
  const bail = async (why, code) => {
    if (exiting) return;
    exiting = true;
    lib.log(`${why}: cleaning up`);
    lib.abortLoads();
    if (current) await current.closeAll();
    process.exit(code);
  };
  process.on('SIGINT', () => void bail('interrupted (SIGINT)', 130));
  process.on('SIGTERM', () => void bail('terminated (SIGTERM)', 143));
  process.on('SIGHUP', () => void bail('hang-up (SIGHUP)', 129));
  const watchdog = setTimeout(() => void bail(`overall timeout of ${overallMs} ms reached`, 124), overallMs);
  watchdog.unref();

  const env = lib.environment();
  let failures = 0;
  for (const scenario of selected) {
    const startedAt = new Date();
    const s = settingsFor(scenario);
    current = new lib.Resources();
    console.log(`\n=== ${scenario.name}: ${scenario.description}`);
    console.log(
      `    ${s.connections} connections, ${s.durationS} s measured after ${s.warmupS} s warm-up; ` + `${env.cpus} CPU(s) (${env.cpuModel}), Node ${env.node}`,
    );
    try {
      const { data, report } = await scenario.run({ resources: current, settings: s });
      await current.closeAll();
      const file = lib.writeResults(
        scenario.name,
        {
          scenario: scenario.name,
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          settings: { durationS: s.durationS, connections: s.connections, warmupS: s.warmupS, pollMs: s.pollMs },
          environment: env,
          ...data,
        },
        startedAt,
      );
      console.log('');
      console.log(report);
      console.log(`\nresults: ${require('node:path').relative(process.cwd(), file)}`);
    } catch (err) {
      failures++;
      console.error(`\nscenario ${scenario.name} failed: ${err && err.stack ? err.stack : err}`);
    } finally {
      await current.closeAll();
      current = null;
    }
  }
  clearTimeout(watchdog);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
