'use strict';
/**
 * Scenario "open-data": the 360Giving export of 100,000 grants (issue 13). Targets: the whole
 * JSON package in under 10 seconds, with the app's peak RSS under 200 MB; the CSV is measured the
 * same way. Reported beside a bare Express baseline that sends a file of the same size (streamed
 * in 64 KB chunks from memory), so the ratio says what reading, mapping and writing the grants
 * costs over just sending the bytes on this machine.
 *
 *   1. start the app (embedded PostgreSQL, empty DATA_DIR) and the bare Express baseline
 *   2. set-up straight into the tables (a few INSERT … SELECT generate_series): a round, 100,000
 *      organisations (a third registered charities, a third companies, a third groups with a 360G-
 *      identifier), an application, a budget commitment and an accepted grant each, all under one
 *      published decision; then VACUUM ANALYZE, as autovacuum would soon after
 *   3. GET /open-data/360giving.json, read to the end and parsed (every grant there); then the CSV
 *   4. the app's peak RSS (VmHWM) before the export and after each file
 */
const lib = require('./lib');
const { helpers } = require('./submissions');

const GRANTS = 100_000;
const TARGET = { seconds: 10, peakRssMb: 200 };

function scenarioSettings() {
  return { grants: lib.positiveNumber('BENCH_OPEN_DATA_GRANTS', GRANTS, { integer: true, min: 1 }) };
}

async function seedGrants(db, round, n, managerId, categories, areas) {
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO organisation (name, type, charity_number, company_number, org_id, address_line1, town, postcode, area_ons_code, contact_name, contact_email)
     SELECT 'Bench open data group ' || g,
            CASE g % 3 WHEN 0 THEN 'registered_charity' WHEN 1 THEN 'company_limited_by_guarantee' ELSE 'unincorporated_group' END,
            CASE WHEN g % 3 = 0 THEN (1000000 + g)::text END,
            CASE WHEN g % 3 = 1 THEN lpad(g::text, 8, '0') END,
            CASE g % 3 WHEN 0 THEN 'GB-CHC-' || (1000000 + g) WHEN 1 THEN 'GB-COH-' || lpad(g::text, 8, '0') ELSE '360G-pccgrants-od-' || g END,
            g || ' High Street', 'Birmingham', 'B4 6NQ', ($1::text[])[1 + g % array_length($1::text[], 1)], 'Contact ' || g, 'od-' || g || '@example.org'
       FROM generate_series(1, $2::int) AS g`,
    [areas, n],
  );
  await db.query(
    `INSERT INTO application (round_id, organisation_id, created_by, status, reference, reference_seq, answers, amount_requested_pence, category, submitted_at, screened_at)
     SELECT $1, s.id, $2, 'eligible', $3 || '-' || lpad(s.g::text, 6, '0'), s.g,
            jsonb_build_object('projectTitle', 'Project ' || s.g, 'projectSummary', 'Helping victims of crime cope and recover, project ' || s.g,
                               'projectStart', '2027-04-01', 'areasServed', jsonb_build_array(s.area)),
            100000 + (s.g % 97) * 25000, ($4::text[])[1 + s.g % array_length($4::text[], 1)], now() - interval '30 days', now() - interval '20 days'
       FROM (SELECT id, area_ons_code AS area, row_number() OVER (ORDER BY name)::int AS g FROM organisation WHERE name LIKE 'Bench open data group %') AS s`,
    [round.id, managerId, round.referencePrefix, categories],
  );
  const year = new Date().getUTCFullYear();
  const [decision] = (
    await db.query(
      `INSERT INTO pcc_decision (year, seq, title, summary, status, round_id, drafted_by, submitted_at, decided_at, decided_by, published_at)
       VALUES ($1, 1, 'Bench open data awards', 'Awards for the open-data benchmark.', 'published', $2, $3, now(), now(), $3, now()) RETURNING id`,
      [year, round.id, managerId],
    )
  ).rows;
  await db.query(
    `INSERT INTO budget_commitment (round_id, application_id, amount_pence, committed_by)
     SELECT round_id, id, amount_requested_pence, $2 FROM application WHERE round_id = $1`,
    [round.id, managerId],
  );
  await db.query(
    `INSERT INTO "grant" (application_id, round_id, decision_id, commitment_id, amount_pence, status, offered_at, offer_expires_at, responded_at, responded_by, accepted_name)
     SELECT c.application_id, c.round_id, $2, c.id, c.amount_pence, 'accepted', now() - interval '10 days', now() + interval '18 days', now() - interval '5 days', $3, 'Bench Owner'
       FROM budget_commitment c WHERE c.round_id = $1`,
    [round.id, decision.id, managerId],
  );
  await db.query('COMMIT');
  for (const table of ['organisation', 'application', 'budget_commitment', '"grant"', 'pcc_decision']) await db.query(`VACUUM ANALYZE ${table}`);
}

/** Downloads a whole file, timing it to the last byte. */
async function download(url) {
  const started = process.hrtime.bigint();
  const res = await fetch(url);
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { status: res.status, body, ms: lib.round(ms, 0), bytes: Buffer.byteLength(body) };
}

const mbOf = (kb) => (kb === null ? null : lib.round(kb / 1024, 1));

module.exports = {
  name: 'open-data',
  description: 'exports 100,000 grants as the 360Giving JSON package and CSV; time and peak RSS against a baseline sending as many bytes',
  extraTimeMs: () => 240_000,

  async run({ resources, settings: s }) {
    const x = scenarioSettings();
    const d = helpers.demo();
    const dataDir = lib.makeDataDir(resources);
    const [appPort, pgPort, baselinePort] = await lib.freePorts(3);
    const app = await lib.startApp({
      resources,
      dataDir,
      port: appPort,
      pgPort,
      s,
      env: process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {},
    });
    lib.log(`app: first 200 from /health after ${app.startupMs} ms`);
    const baseline = await lib.startBaseline({ resources, port: baselinePort, s });

    const setupStarted = Date.now();
    const db = await helpers.connect(resources, dataDir, pgPort);
    const { programmeId, managerToken } = await helpers.prepareReferenceData(db, d);
    const round = await helpers.openRound(app.url, managerToken, d, { programmeId, name: 'Bench open data round', referencePrefix: 'BOD' });
    const [{ id: managerId }] = (await db.query(`SELECT id FROM user_account WHERE email = 'bench-fund-manager@example.org'`)).rows;
    await seedGrants(
      db,
      round,
      x.grants,
      managerId,
      d.VICTIMS_FUND_CATEGORIES.map((c) => c.code),
      d.DEMO_AREAS.map((a) => a.onsCode),
    );
    await db.close();
    const setupMs = Date.now() - setupStarted;
    lib.log(`set-up: ${x.grants} published grants in ${setupMs} ms`);

    const before = lib.memory(app.service.pid);
    const json = await download(`${app.url}/open-data/360giving.json`);
    if (json.status !== 200) throw new Error(`the JSON export answered ${json.status}: ${json.body.slice(0, 500)}`);
    const parsed = JSON.parse(json.body);
    if (parsed.grants.length !== x.grants) throw new Error(`the JSON export held ${parsed.grants.length} grants, not ${x.grants}`);
    const afterJson = lib.memory(app.service.pid);
    const csv = await download(`${app.url}/open-data/360giving.csv`);
    const csvRows = csv.body.split('\r\n').length - 2; // the title row and the final line break
    if (csv.status !== 200 || csvRows !== x.grants) throw new Error(`the CSV export answered ${csv.status} with ${csvRows} rows`);
    const afterCsv = lib.memory(app.service.pid);
    // The baseline: as many bytes as the JSON file, streamed by bare Express.
    const base = await download(`${baseline.url}/bytes?n=${json.bytes}`);
    const baseMemory = lib.memory(baseline.service.pid);
    const appStop = await app.service.stop();
    await baseline.service.stop();

    const peakMb = mbOf(afterCsv.vmHwmKb);
    const data = {
      scenarioSettings: x,
      setup: { ms: setupMs, grants: x.grants },
      json: { ms: json.ms, bytes: json.bytes, grants: parsed.grants.length },
      csv: { ms: csv.ms, bytes: csv.bytes, rows: csvRows },
      baseline: { ms: base.ms, bytes: base.bytes, peakRssMb: mbOf(baseMemory.vmHwmKb) },
      memory: {
        peakRssBeforeMb: mbOf(before.vmHwmKb),
        peakRssAfterJsonMb: mbOf(afterJson.vmHwmKb),
        peakRssAfterCsvMb: peakMb,
        rssAfterCsvMb: mbOf(afterCsv.vmRssKb),
      },
      ratios: { jsonTime: base.ms ? lib.round(json.ms / base.ms) : null },
      targets: {
        ...TARGET,
        met: { json: json.ms < TARGET.seconds * 1000, csv: csv.ms < TARGET.seconds * 1000, peakRss: peakMb !== null && peakMb < TARGET.peakRssMb },
      },
      shutdown: { app: appStop },
    };
    return { data, report: report(data) };
  },
};

function report(d) {
  const ok = (b) => (b ? 'met' : 'NOT met');
  return [
    `Set-up: ${d.setup.grants} published grants straight into the tables in ${d.setup.ms} ms`,
    '',
    `app GET /open-data/360giving.json: ${d.json.grants} grants, ${lib.round(d.json.bytes / 1048576, 1)} MB in ${d.json.ms} ms`,
    `app GET /open-data/360giving.csv:  ${d.csv.rows} rows, ${lib.round(d.csv.bytes / 1048576, 1)} MB in ${d.csv.ms} ms`,
    `baseline (bare Express, the same number of bytes): ${d.baseline.ms} ms; app/baseline time ${d.ratios.jsonTime}x`,
    `app peak RSS (VmHWM): ${d.memory.peakRssBeforeMb} MB before the exports, ${d.memory.peakRssAfterJsonMb} MB after the JSON, ${d.memory.peakRssAfterCsvMb} MB after the CSV (baseline ${d.baseline.peakRssMb} MB)`,
    `targets: JSON under ${d.targets.seconds} s: ${ok(d.targets.met.json)}; CSV under ${d.targets.seconds} s: ${ok(d.targets.met.csv)}; peak RSS under ${d.targets.peakRssMb} MB: ${ok(d.targets.met.peakRss)}`,
  ].join('\n');
}
