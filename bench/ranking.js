'use strict';
/**
 * Scenario "ranking" (issue 10): a fund manager reads the ranking of a round of 2,000 eligible
 * applications with 4,000 submitted assessments (two each, four criteria, 16,000 scores) from
 * `GET /api/v1/rounds/:id/ranking`; throughput and p99 latency as a ratio of bare Express
 * (`GET /hello`) on the same machine. Every request ranks the whole round: exact fractions for
 * every assessment, means, divergence, ties broken and explained, and 2,000 rows of JSON.
 *
 *   1. start the app (embedded PostgreSQL, empty DATA_DIR) and the bare Express baseline
 *   2. set-up: a fund manager with an API token; the round made and published through the API;
 *      2,000 organisations with eligible applications, 20 assessors, 4,000 submitted assessments
 *      and their scores (varied, some tied, some divergent) in a few SQL statements
 *   3. sanity: the ranking answers 200, ready, with 2,000 rows
 *   4. load: the ranking, over and over, with fewer connections than the list scenarios (each
 *      request is a whole round's work)
 */
const lib = require('./lib');
const { helpers } = require('./submissions');

const APPLICATIONS = 2000;
const ASSESSORS = 20;

function scenarioSettings() {
  return { applications: lib.positiveNumber('BENCH_RANKING_APPLICATIONS', APPLICATIONS, { integer: true, min: 10 }) };
}

/** `n` eligible applications, two submitted assessments each by a pool of assessors, and every criterion scored. */
async function seedAssessedRound(db, round, n, createdBy) {
  await db.query(
    `INSERT INTO organisation (name, type, org_id, address_line1, town, postcode, area_ons_code, contact_name, contact_email)
     SELECT 'Bench ranking group ' || lpad(g::text, 5, '0'), 'unincorporated_group', '360G-pccgrants-rank-' || g, '1 Lloyd House', 'Birmingham', 'B4 6NQ',
            'E08000025', 'Contact ' || g, 'rank-' || g || '@example.org'
       FROM generate_series(1, $1::int) AS g`,
    [n],
  );
  await db.query(
    `INSERT INTO application (round_id, organisation_id, created_by, status, reference, reference_seq, answers, amount_requested_pence, category, submitted_at, screened_at, screened_by)
     SELECT $1, s.id, $2, 'eligible', $3 || '-' || lpad(s.g::text, 4, '0'), s.g,
            jsonb_build_object('projectTitle', 'Project ' || s.g), 100000 + (s.g % 97) * 25000, ($4::text[])[1 + s.g % array_length($4::text[], 1)],
            now() - s.g * interval '1 minute', now(), $2
       FROM (SELECT id, row_number() OVER (ORDER BY name)::int AS g FROM organisation WHERE org_id LIKE '360G-pccgrants-rank-%') AS s`,
    [round.id, createdBy, round.referencePrefix, ['hate_crime', 'domestic_abuse', 'young_victims', 'other_victims']],
  );
  await db.query(
    `INSERT INTO user_account (email, full_name, email_verified_at, roles, mfa_enabled_at)
     SELECT 'bench-assessor-' || g || '@example.org', 'Bench Assessor ' || g, now(), '{assessor}', now() FROM generate_series(1, $1::int) AS g`,
    [ASSESSORS],
  );
  // Application k gets assessors k mod 20 and (k + 1) mod 20: balanced, and never the same one twice.
  await db.query(
    `WITH a AS (SELECT id, reference_seq AS k FROM application WHERE round_id = $1),
          u AS (SELECT id, row_number() OVER (ORDER BY email)::int - 1 AS i FROM user_account WHERE email LIKE 'bench-assessor-%')
     INSERT INTO assessment (round_id, application_id, assessor_id, status, assigned_by, declared_at, recommendation, comment, submitted_at)
     SELECT $1, a.id, u.id, 'submitted', $2, now(), CASE WHEN (a.k + u.i) % 3 = 0 THEN 'do_not_fund' ELSE 'fund' END, 'Bench comment', now()
       FROM a JOIN u ON u.i = a.k % $3 OR u.i = (a.k + 1) % $3`,
    [round.id, createdBy, ASSESSORS],
  );
  // Scores 0–5 set by the application and the criterion, each assessor a point apart on some
  // criteria (one pair in eleven further apart), so most pairs agree, some diverge, and equal
  // totals give ties to break.
  await db.query(
    `INSERT INTO assessment_score (assessment_id, criterion_id, score, comment)
     SELECT s.id, c.id,
            LEAST(5, GREATEST(0, (s.k * 7 + c.position * 5) % 6
              + CASE WHEN (s.i + c.position) % 3 = 0 THEN 1 ELSE 0 END
              - CASE WHEN s.k % 11 = 0 AND s.i % 2 = 0 THEN 2 ELSE 0 END)),
            'Bench reason'
       FROM (SELECT x.id, ap.reference_seq AS k, u.i FROM assessment x JOIN application ap ON ap.id = x.application_id
               JOIN (SELECT id, row_number() OVER (ORDER BY email)::int AS i FROM user_account WHERE email LIKE 'bench-assessor-%') u ON u.id = x.assessor_id
              WHERE x.round_id = $1) s
       CROSS JOIN assessment_criterion c WHERE c.round_id = $1`,
    [round.id],
  );
  await db.query(`UPDATE funding_round SET criteria_frozen_at = now() WHERE id = $1`, [round.id]);
  for (const table of ['application', 'organisation', 'assessment', 'assessment_score', 'user_account']) await db.query(`VACUUM ANALYZE ${table}`);
}

module.exports = {
  name: 'ranking',
  description: 'the ranking of a round of 2,000 applications and 4,000 assessments; ratio to the baseline',
  defaultConnections: 4,
  extraTimeMs: () => 90_000,

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
    const round = await helpers.openRound(app.url, managerToken, d, { programmeId, name: 'Bench ranking round', referencePrefix: 'BRR' });
    const [{ id: managerId }] = (await db.query(`SELECT id FROM user_account WHERE email = 'bench-fund-manager@example.org'`)).rows;
    await seedAssessedRound(db, round, x.applications, managerId);
    await db.close();
    const setupMs = Date.now() - setupStarted;
    lib.log(`set-up: ${x.applications} applications and ${x.applications * 2} assessments in ${setupMs} ms`);

    const path = `/api/v1/rounds/${round.id}/ranking`;
    const sample = await helpers.api(`${app.url}${path}`, managerToken);
    if (sample.status !== 200 || !sample.json || sample.json.ready !== true || sample.json.rows.length !== x.applications)
      throw new Error(`the ranking answered ${sample.status}: ${sample.body.slice(0, 500)}`);
    const tieBroken = sample.json.rows.filter((r) => r.tieBreak).length;
    const divergent = sample.json.rows.filter((r) => r.divergent).length;

    const baselineLoad = await lib.runLoad({
      title: 'baseline GET /hello',
      url: `${baseline.url}/hello`,
      connections: s.connections,
      serverPids: [baseline.service.pid],
    });
    const appLoad = await lib.runLoad({
      title: `app GET ${path}`,
      url: `${app.url}${path}`,
      connections: s.connections,
      serverPids: [app.service.pid],
      options: { headers: { authorization: `Bearer ${managerToken}`, accept: 'application/json' } },
    });
    const appStop = await app.service.stop();
    await baseline.service.stop();

    const data = {
      scenarioSettings: { ...x, assessors: ASSESSORS, connections: s.connections },
      setup: { ms: setupMs, applications: x.applications, assessments: x.applications * 2, tieBroken, divergent, bytes: sample.body.length },
      load: { baseline: baselineLoad, app: appLoad },
      ratios: lib.compare(appLoad, baselineLoad),
      shutdown: { app: appStop },
    };
    return { data, report: report(data) };
  },
};

function report(d) {
  const x = (v) => (v === null || v === undefined ? '-' : `${v}x`);
  const a = d.load.app;
  const lines = [
    `Set-up: ${d.setup.applications} applications, ${d.setup.assessments} submitted assessments in ${d.setup.ms} ms; ${d.setup.tieBroken} rows placed by a tie-break, ${d.setup.divergent} divergent; ${Math.round(d.setup.bytes / 1024)} KB of JSON per ranking; ${d.scenarioSettings.connections} connections`,
    '',
    lib.loadTable([
      { label: 'baseline GET /hello (bare Express)', load: d.load.baseline },
      { label: 'app GET /api/v1/rounds/:id/ranking', load: a },
    ]),
    '',
    `app/baseline: throughput ${x(d.ratios.throughput)}, p50 latency ${x(d.ratios.p50Latency)}, p99 latency ${x(d.ratios.p99Latency)}, CPU per request ${x(d.ratios.cpuPerRequest)}; status codes ${JSON.stringify(a.statusCodes)}`,
  ];
  if (a.cpu && a.cpu.rootMsPerRequest !== undefined)
    lines.push(`app CPU per ranking: ${a.cpu.rootMsPerRequest} ms in Node + ${a.cpu.descendantsMsPerRequest} ms in PostgreSQL`);
  return lines.join('\n');
}
