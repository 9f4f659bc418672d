'use strict';
/**
 * Scenario "lists": the staff list API on a big round. A fund manager pages through a round of
 * 5,000 applications with `GET /api/v1/rounds/:id/applications?limit=50` and a bearer token;
 * throughput and p99 latency as a ratio of bare Express (`GET /hello`) on the same machine.
 * Targets (issue 9): at least 0.25x the baseline's throughput and p99 under 40 ms.
 *
 *   1. start the app (embedded PostgreSQL, empty DATA_DIR) and the bare Express baseline
 *   2. set-up: areas, programme and a fund manager with an API token straight into the database;
 *      the round made and published through the API; 5,000 organisations and applications (a tenth
 *      drafts, the rest submitted or screened, amounts and categories varied) in two SQL statements
 *   3. sanity: the first page answers 200 with 50 items and the total
 *   4. load: each request asks for one of the first 20 pages in turn (the same default sort a
 *      person sees), so the database cannot answer every request from one cached page
 */
const lib = require('./lib');
const { helpers } = require('./submissions');

const APPLICATIONS = 5000;
const PAGES = 20;
const TARGET = { throughput: 0.25, p99Ms: 40 };

function scenarioSettings() {
  return { applications: lib.positiveNumber('BENCH_LIST_APPLICATIONS', APPLICATIONS, { integer: true, min: 50 }) };
}

/** `n` organisations, each with one application in the round (as a round allows one live application per organisation). */
async function seedApplications(db, round, n, createdBy, categories) {
  await db.query(
    `INSERT INTO organisation (name, type, org_id, address_line1, town, postcode, area_ons_code, contact_name, contact_email)
     SELECT 'Bench list group ' || lpad(g::text, 5, '0'), 'unincorporated_group', '360G-pccgrants-list-' || g, '1 Lloyd House', 'Birmingham', 'B4 6NQ',
            'E08000025', 'Contact ' || g, 'list-' || g || '@example.org'
       FROM generate_series(1, $1::int) AS g`,
    [n],
  );
  await db.query(
    `INSERT INTO application (round_id, organisation_id, created_by, status, reference, reference_seq, answers, amount_requested_pence, category, submitted_at, screened_at)
     SELECT $1, s.id, $2,
            CASE WHEN s.g % 10 = 0 THEN 'draft' WHEN s.g % 7 = 0 THEN 'eligible' ELSE 'submitted' END,
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE $3 || '-' || lpad(s.g::text, 4, '0') END,
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE s.g END,
            jsonb_build_object('projectTitle', 'Project ' || s.g), 100000 + (s.g % 97) * 25000, ($4::text[])[1 + s.g % array_length($4::text[], 1)],
            CASE WHEN s.g % 10 = 0 THEN NULL ELSE now() - s.g * interval '1 minute' END,
            CASE WHEN s.g % 10 <> 0 AND s.g % 7 = 0 THEN now() END
       FROM (SELECT id, row_number() OVER (ORDER BY name)::int AS g FROM organisation WHERE org_id LIKE '360G-pccgrants-list-%') AS s`,
    [round.id, createdBy, round.referencePrefix, categories],
  );
  // What autovacuum does soon after a bulk insert (its insert threshold is 1,000 rows): statistics,
  // and the visibility map that lets a count read the index alone.
  for (const table of ['application', 'organisation']) await db.query(`VACUUM ANALYZE ${table}`);
}

module.exports = {
  name: 'lists',
  description: 'pages a fund manager through a round of 5,000 applications with the list API; ratio to the baseline',
  extraTimeMs: () => 60_000,

  async run({ resources, settings: s }) {
    const x = scenarioSettings();
    const d = helpers.demo();
    const dataDir = lib.makeDataDir(resources);
    const [appPort, pgPort, baselinePort] = await lib.freePorts(3);
    const app = await lib.startApp({ resources, dataDir, port: appPort, pgPort, s });
    lib.log(`app: first 200 from /health after ${app.startupMs} ms`);
    const baseline = await lib.startBaseline({ resources, port: baselinePort, s });

    const setupStarted = Date.now();
    const db = await helpers.connect(resources, dataDir, pgPort);
    const { programmeId, managerToken } = await helpers.prepareReferenceData(db, d);
    const round = await helpers.openRound(app.url, managerToken, d, { programmeId, name: 'Bench list round', referencePrefix: 'BLR' });
    const [{ id: managerId }] = (await db.query(`SELECT id FROM user_account WHERE email = 'bench-fund-manager@example.org'`)).rows;
    await seedApplications(
      db,
      round,
      x.applications,
      managerId,
      d.VICTIMS_FUND_CATEGORIES.map((c) => c.code),
    );
    await db.close();
    const setupMs = Date.now() - setupStarted;
    lib.log(`set-up: a round of ${x.applications} applications in ${setupMs} ms`);

    const path = `/api/v1/rounds/${round.id}/applications?limit=50`;
    const sample = await helpers.api(`${app.url}${path}`, managerToken);
    if (sample.status !== 200 || !sample.json || sample.json.items.length !== 50 || sample.json.total !== x.applications)
      throw new Error(`the list answered ${sample.status}: ${sample.body.slice(0, 500)}`);

    const baselineLoad = await lib.runLoad({ title: 'baseline GET /hello', url: `${baseline.url}/hello`, serverPids: [baseline.service.pid] });
    let n = 0;
    const appLoad = await lib.runLoad({
      title: `app GET ${path}`,
      url: `${app.url}${path}`,
      serverPids: [app.service.pid],
      options: {
        headers: { authorization: `Bearer ${managerToken}`, accept: 'application/json' },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${path}&page=${1 + (n++ % PAGES)}` }) }],
      },
    });
    const appStop = await app.service.stop();
    await baseline.service.stop();

    const ratios = lib.compare(appLoad, baselineLoad);
    const met = { throughput: ratios.throughput !== null && ratios.throughput >= TARGET.throughput, p99: appLoad.latencyMs.p99 < TARGET.p99Ms };
    const data = {
      scenarioSettings: { ...x, pagesCycled: PAGES, connections: s.connections },
      setup: { ms: setupMs, applications: x.applications },
      load: { baseline: baselineLoad, app: appLoad },
      ratios,
      targets: { ...TARGET, met },
      shutdown: { app: appStop },
    };
    return { data, report: report(data) };
  },
};

function report(d) {
  const x = (v) => (v === null || v === undefined ? '-' : `${v}x`);
  const a = d.load.app;
  const lines = [
    `Set-up: a round of ${d.setup.applications} applications in ${d.setup.ms} ms; ${d.scenarioSettings.connections} connections, pages 1 to ${d.scenarioSettings.pagesCycled} in turn`,
    '',
    lib.loadTable([
      { label: 'baseline GET /hello (bare Express)', load: d.load.baseline },
      { label: 'app GET /api/v1/rounds/:id/applications?limit=50', load: a },
    ]),
    '',
    `app/baseline: throughput ${x(d.ratios.throughput)}, p50 latency ${x(d.ratios.p50Latency)}, p99 latency ${x(d.ratios.p99Latency)}, CPU per request ${x(d.ratios.cpuPerRequest)}`,
    `targets: throughput at least ${d.targets.throughput}x: ${d.targets.met.throughput ? 'met' : 'NOT met'}; p99 under ${d.targets.p99Ms} ms (${a.latencyMs.p99} ms): ${d.targets.met.p99 ? 'met' : 'NOT met'}; status codes ${JSON.stringify(a.statusCodes)}`,
  ];
  if (a.cpu && a.cpu.rootMsPerRequest !== undefined)
    lines.push(`app CPU per list request: ${a.cpu.rootMsPerRequest} ms in Node + ${a.cpu.descendantsMsPerRequest} ms in PostgreSQL`);
  const other = Math.max(a.cpu ? a.cpu.otherCores : 0, d.load.baseline.cpu ? d.load.baseline.cpu.otherCores : 0);
  if (other >= 0.25)
    lines.push(
      `warning: other processes used up to ${other} of ${a.cpu.machineCores} cores during the runs; throughput and latency are disturbed (CPU ms/req less so)`,
    );
  return lines.join('\n');
}
