'use strict';
/**
 * Scenario "health": how fast the app starts, and how GET /health (two small database queries
 * behind the full middleware stack) compares with a bare Express "hello world" on this machine.
 *
 *   1. cold start: spawn the app on an empty DATA_DIR -> first 200 from /health
 *      (includes creating the embedded PostgreSQL cluster and running every migration)
 *   2. stop it (SIGTERM, graceful), then a warm restart on the same DATA_DIR -> first 200
 *   3. start the bare Express baseline in its own process
 *   4. autocannon, identical settings: baseline GET /hello, then app GET /health (warm instance)
 *   5. memory: peak RSS (VmHWM) of the app's Node process vs the baseline's
 */
const lib = require('./lib');

module.exports = {
  name: 'health',
  description: 'cold/warm start time, and GET /health throughput and latency against bare Express GET /hello',

  async run({ resources, settings: s }) {
    const dataDir = lib.makeDataDir(resources);
    const [appPort, pgPort, baselinePort] = await lib.freePorts(3);

    lib.log(`cold start: app on 127.0.0.1:${appPort}, embedded PostgreSQL on ${pgPort}, DATA_DIR ${dataDir}`);
    const cold = await lib.startApp({ resources, dataDir, port: appPort, pgPort, name: 'app (cold)', s });
    lib.log(`cold start: first 200 from /health after ${cold.startupMs} ms`);
    const coldMemory = lib.memory(cold.service.pid);
    const coldStop = await cold.service.stop();
    lib.log(`cold instance stopped in ${coldStop.stopMs} ms (exit code ${coldStop.code}${coldStop.forced ? ', forced' : ''})`);

    const app = await lib.startApp({ resources, dataDir, port: appPort, pgPort, name: 'app', s });
    lib.log(`warm restart: first 200 from /health after ${app.startupMs} ms`);

    const baseline = await lib.startBaseline({ resources, port: baselinePort, s });
    lib.log(`baseline: first 200 from /hello after ${baseline.startupMs} ms`);

    // Sanity: both endpoints return what we think they return before we hammer them.
    const healthSample = await lib.httpRequest(`${app.url}/health`);
    const helloSample = await lib.httpRequest(`${baseline.url}/hello`);
    if (healthSample.status !== 200) throw new Error(`GET /health answered ${healthSample.status}: ${healthSample.body}`);
    if (helloSample.status !== 200 || helloSample.body !== '{"hello":"world"}')
      throw new Error(`GET /hello answered ${helloSample.status}: ${helloSample.body}`);

    const idle = {
      app: { ...lib.memory(app.service.pid), tree: lib.treePssKb(app.service.pid) },
      baseline: lib.memory(baseline.service.pid),
    };

    const load = { durationS: s.durationS, connections: s.connections, warmupS: s.warmupS };
    const baselineLoad = await lib.runLoad({ title: 'baseline GET /hello', url: `${baseline.url}/hello`, serverPids: [baseline.service.pid], ...load });
    const appLoad = await lib.runLoad({ title: 'app GET /health', url: `${app.url}/health`, serverPids: [app.service.pid], ...load });

    // Read memory while both processes are still alive (VmHWM disappears with the process).
    const after = {
      app: { ...lib.memory(app.service.pid), tree: lib.treePssKb(app.service.pid) },
      baseline: lib.memory(baseline.service.pid),
    };

    const appStop = await app.service.stop();
    const baselineStop = await baseline.service.stop();
    lib.log(`app stopped in ${appStop.stopMs} ms (exit code ${appStop.code}${appStop.forced ? ', forced' : ''}); baseline in ${baselineStop.stopMs} ms`);

    const ratios = lib.compare(appLoad, baselineLoad);
    ratios.peakRss = lib.ratio(after.app.vmHwmKb, after.baseline.vmHwmKb);

    const data = {
      startup: {
        coldMs: cold.startupMs,
        warmMs: app.startupMs,
        baselineMs: baseline.startupMs,
        note: 'spawn to first HTTP 200, polled every ' + s.pollMs + ' ms; cold includes creating the embedded PostgreSQL cluster and running all migrations',
      },
      shutdown: { coldInstance: coldStop, app: appStop, baseline: baselineStop },
      healthResponse: { status: healthSample.status, body: safeJson(healthSample.body) },
      load: { baseline: baselineLoad, app: appLoad },
      ratios,
      memory: {
        note: 'kB. vmHwmKb = peak resident set of the Node process (VmHWM); tree.pssKb = current PSS of the app Node process plus its embedded PostgreSQL server and backends',
        coldInstanceAfterStart: coldMemory,
        idle,
        afterLoad: after,
      },
    };
    return { data, report: report(data) };
  },
};

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function report(d) {
  const x = (v) => (v === null || v === undefined ? '-' : `${v}x`);
  const lines = [];
  lines.push(
    `Start-up (spawn -> first 200 from /health): cold ${d.startup.coldMs} ms (creates the database cluster), warm restart ${d.startup.warmMs} ms; bare Express ${d.startup.baselineMs} ms`,
  );
  lines.push(`Shutdown after SIGTERM: ${d.shutdown.app.stopMs} ms (exit code ${d.shutdown.app.code})`);
  lines.push('');
  lines.push(
    lib.loadTable([
      { label: 'baseline GET /hello (bare Express)', load: d.load.baseline },
      { label: 'app GET /health', load: d.load.app },
    ]),
  );
  lines.push('');
  lines.push(
    `app/baseline: throughput ${x(d.ratios.throughput)}, p50 latency ${x(d.ratios.p50Latency)}, p99 latency ${x(d.ratios.p99Latency)}, CPU per request ${x(d.ratios.cpuPerRequest)}`,
  );
  if (d.load.app.cpu && d.load.app.cpu.rootMsPerRequest !== undefined) {
    lines.push(`app CPU per /health request: ${d.load.app.cpu.rootMsPerRequest} ms in Node + ${d.load.app.cpu.descendantsMsPerRequest} ms in PostgreSQL`);
  }
  const other = Math.max(d.load.app.cpu ? d.load.app.cpu.otherCores : 0, d.load.baseline.cpu ? d.load.baseline.cpu.otherCores : 0);
  if (other >= 0.25)
    lines.push(
      `warning: other processes used up to ${other} of ${d.load.app.cpu.machineCores} cores during the runs; throughput and latency are disturbed (CPU ms/req less so)`,
    );
  const a = d.memory.afterLoad.app;
  const b = d.memory.afterLoad.baseline;
  if (a.vmHwmKb && b.vmHwmKb) {
    const group = a.tree ? `; app + embedded PostgreSQL (${a.tree.processes} processes) ${lib.mb(a.tree.pssKb)} MB PSS now` : '';
    lines.push(`peak RSS (VmHWM): app ${lib.mb(a.vmHwmKb)} MB vs baseline ${lib.mb(b.vmHwmKb)} MB = ${x(d.ratios.peakRss)}${group}`);
  } else {
    lines.push('peak RSS: not available (needs Linux /proc)');
  }
  return lines.join('\n');
}
