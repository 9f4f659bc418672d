'use strict';
/**
 * Scenario "submissions": a deadline surge. 2,000 organisations, each with a complete draft in an
 * open round, all press "submit" through the API at once; how many submissions per second does the
 * app take, at what p99 latency, as a ratio of bare Express on the same machine, and does every
 * one of them get its gap-free reference?
 *
 *   1. start the app (embedded PostgreSQL, empty DATA_DIR) and the bare Express baseline
 *   2. set-up, straight into the app's database with `pg` (seconds, not minutes: no argon2, no
 *      HTTP round trips per applicant): the areas and the Victims Fund programme, a fund manager
 *      with an API token; then, through the API as that fund manager, two open rounds with the demo
 *      Victims Fund form (POST /api/v1/rounds, then /publish): one for the warm-up, one measured.
 *      Then for every applicant: a verified user (no password), an organisation they own, an API
 *      token (only its sha256 is stored, as the app does) and a complete draft whose safeguarding
 *      policy is a real PDF attachment.
 *   3. sanity: one warm-up submission answers 200 with a reference
 *   4. warm-up: the rest of the warm-up round's drafts are submitted (thrown away: JIT, pools)
 *   5. baseline POST /echo (body {}), the harness's usual warm-up and BENCH_DURATION seconds
 *   6. measured: POST /api/v1/applications/:id/submit exactly once for every draft, each request
 *      with the next application id and its owner's bearer token, BENCH_CONNECTIONS at a time
 *   7. check in SQL: exactly N submitted, references <PREFIX>-0001..N with no gaps or repeats,
 *      one frozen snapshot each, no draft left, the reference counter at N
 *
 * A failed check fails the scenario (exit code 1); its results are still written, to
 * bench/results/submissions-failed-<timestamp>.json.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const DAY_MS = 86_400_000;
const AREA = 'E08000025'; // Birmingham

// A tiny but real PDF: the app checks uploads by content, and so does the CHECK on the table.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

function scenarioSettings(s) {
  return {
    submissions: lib.positiveNumber('BENCH_SUBMISSIONS', 2000, { integer: true, min: 1 }),
    warmupSubmissions: lib.positiveNumber('BENCH_SUBMIT_WARMUP', 200, { integer: true, min: 0 }),
    connections: s.connections,
  };
}

/** The demo data the app itself seeds (built to dist/ by `npm run build`). */
function demo() {
  const dir = path.join(lib.ROOT, 'dist', 'src', 'demo');
  for (const f of ['demo-data.js', 'demo-rounds.js']) {
    if (!fs.existsSync(path.join(dir, f))) throw new Error(`dist/src/demo/${f} not found: run \`npm run build\` first (npm run bench does).`);
  }
  return { ...require(path.join(dir, 'demo-data.js')), ...require(path.join(dir, 'demo-rounds.js')) };
}

/** The app's own database: the embedded server it started under DATA_DIR, with the password it generated. */
async function connect(resources, dataDir, pgPort) {
  const { Client } = require('pg');
  const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  const db = new Client({ host: lib.HOST, port: pgPort, user: 'postgres', password, database: 'pcc_grants', application_name: 'bench-submissions' });
  // The app stops its PostgreSQL when it stops; a connection still open then must not crash the harness.
  db.on('error', (err) => lib.log(`bench database connection: ${err.message}`));
  await db.connect();
  const item = resources.add('bench database connection', () => db.end());
  db.close = async () => {
    if (item.done) return;
    item.done = true;
    await db.end();
  };
  return db;
}

const newToken = () => `pccg_${crypto.randomBytes(32).toString('base64url')}`;
const sha256 = (v) => crypto.createHash('sha256').update(v).digest('hex');

async function transaction(db, work) {
  await db.query('BEGIN');
  try {
    const result = await work();
    await db.query('COMMIT');
    return result;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function insertToken(db, userId) {
  const token = newToken();
  await db.query(`INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) VALUES ($1, 'bench', $2, $3, now() + interval '30 days')`, [
    userId,
    sha256(token),
    token.slice(0, 11),
  ]);
  return token;
}

/** Areas, the Victims Fund programme and a fund manager with an API token. */
async function prepareReferenceData(db, d) {
  return transaction(db, async () => {
    for (const a of d.DEMO_AREAS)
      await db.query(`INSERT INTO local_authority_area (ons_code, name, in_force_area) VALUES ($1, $2, true) ON CONFLICT DO NOTHING`, [a.onsCode, a.name]);
    const vf = d.DEMO_PROGRAMMES.find((p) => p.code === 'VF');
    const [programme] = (
      await db.query(
        `INSERT INTO fund_programme (code, name, funding_source, summary, exclusions) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
        [vf.code, vf.name, vf.fundingSource, vf.summary, vf.exclusions ?? []],
      )
    ).rows;
    // Enrolled in MFA, as production insists for staff; the API is called with a token, so the
    // (absent) authenticator secret is never asked for.
    const [manager] = (
      await db.query(
        `INSERT INTO user_account (email, full_name, email_verified_at, roles, mfa_enabled_at) VALUES ('bench-fund-manager@example.org', 'Bench Fund Manager', now(), '{fund_manager}', now()) RETURNING id`,
      )
    ).rows;
    return { programmeId: programme.id, managerToken: await insertToken(db, manager.id) };
  });
}

async function api(url, token, { method = 'GET', body } = {}) {
  const res = await lib.httpRequest(url, { method, body, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeoutMs: 30_000 });
  let json = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    // not JSON
  }
  return { status: res.status, json, body: res.body };
}

/** An open round with the demo Victims Fund 7 form and settings, made and published through the API. */
async function openRound(appUrl, managerToken, d, { programmeId, name, referencePrefix }) {
  const now = Date.now();
  const created = await api(`${appUrl}/api/v1/rounds`, managerToken, {
    method: 'POST',
    body: {
      programmeId,
      name,
      referencePrefix,
      summary: 'Grants of £1,000 to £20,000 for groups that help victims of crime cope and recover.',
      guidance: 'You will need your safeguarding policy to upload.',
      opensAt: new Date(now - DAY_MS).toISOString(),
      closesAt: new Date(now + 28 * DAY_MS).toISOString(),
      totalBudgetPence: 200_000_00,
      minGrantPence: 1_000_00,
      maxGrantPence: 20_000_00,
      categories: d.VICTIMS_FUND_CATEGORIES,
      ringFences: [{ name: 'Victims of hate crime', amountPence: 50_000_00, category: 'hate_crime' }],
      criteria: d.VICTIMS_CRITERIA,
      form: d.VICTIMS_FUND_FORM,
      assessorsPerApplication: 2,
      moderationThreshold: 8,
      reminderHoursBefore: 72,
    },
  });
  if (created.status !== 201) throw new Error(`POST /api/v1/rounds answered ${created.status}: ${created.body.slice(0, 500)}`);
  const published = await api(`${appUrl}/api/v1/rounds/${created.json.id}/publish`, managerToken, { method: 'POST' });
  if (published.status !== 200 || published.json.status !== 'open')
    throw new Error(`publishing ${name} answered ${published.status}: ${published.body.slice(0, 500)}`);
  return { id: created.json.id, name, referencePrefix };
}

/**
 * `n` applicants for `round`, each a verified user owning one organisation, with an API token and
 * a complete draft (every required answer, and the safeguarding policy uploaded). One transaction,
 * a handful of statements. Returns [{ applicationId, token }].
 */
async function prepareApplicants(db, round, n, label) {
  const users = [];
  const orgs = [];
  const apps = [];
  const files = [];
  const tokens = [];
  for (let i = 1; i <= n; i++) {
    const tag = `${label}-${String(i).padStart(5, '0')}`;
    users.push(crypto.randomUUID());
    orgs.push(crypto.randomUUID());
    apps.push(crypto.randomUUID());
    files.push(crypto.randomUUID());
    tokens.push({ token: newToken(), tag });
  }
  const answers = (title) => ({
    projectTitle: title,
    projectSummary: 'Peer support sessions for victims of hate crime, with trained volunteers and a weekly drop-in.',
    category: 'hate_crime',
    areasServed: [AREA],
    amountRequested: 5_000_00,
    projectStart: '2027-04-01',
    budget: 'Sessional worker hours, venue hire, volunteer expenses and materials.',
    otherFunding: false,
    victimsSupported: 40,
    outcomes: 'Victims will feel safer, know where to get help and be supported through the criminal justice process.',
  });
  await transaction(db, async () => {
    const tags = tokens.map((t) => t.tag);
    await db.query(
      `INSERT INTO user_account (id, email, full_name, email_verified_at)
       SELECT u.id, 'bench-' || u.tag || '@example.org', 'Contact for group ' || u.tag, now() FROM unnest($1::uuid[], $2::text[]) AS u(id, tag)`,
      [users, tags],
    );
    // No charity or company number, so the organisation identifier is a 360Giving one (a CHECK insists).
    await db.query(
      `INSERT INTO organisation (id, name, type, org_id, address_line1, town, postcode, area_ons_code, contact_name, contact_email)
       SELECT o.id, 'Bench community group ' || o.tag, 'unincorporated_group', '360G-pccgrants-bench-' || o.tag, '1 Lloyd House', 'Birmingham', 'B4 6NQ', $3,
              'Contact for group ' || o.tag, 'bench-' || o.tag || '@example.org'
         FROM unnest($1::uuid[], $2::text[]) AS o(id, tag)`,
      [orgs, tags, AREA],
    );
    await db.query(`INSERT INTO organisation_membership (organisation_id, user_id, role) SELECT o, u, 'owner' FROM unnest($1::uuid[], $2::uuid[]) AS m(o, u)`, [
      orgs,
      users,
    ]);
    await db.query(
      `INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at)
       SELECT t.u, 'bench', t.h, t.p, now() + interval '30 days' FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(u, h, p)`,
      [users, tokens.map((t) => sha256(t.token)), tokens.map((t) => t.token.slice(0, 11))],
    );
    await db.query(
      `INSERT INTO application (id, round_id, organisation_id, created_by, status, answers, amount_requested_pence, category)
       SELECT a.id, $5, a.org, a.usr, 'draft', $6::jsonb || jsonb_build_object('projectTitle', 'Hate crime peer support ' || a.tag, 'safeguardingPolicy', a.file::text), $7, 'hate_crime'
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $8::uuid[]) AS a(id, org, usr, tag, file)`,
      [apps, orgs, users, tags, round.id, JSON.stringify(answers('')), 5_000_00, files],
    );
    await db.query(
      `INSERT INTO application_attachment (id, application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
       SELECT f.id, f.app, 'safeguardingPolicy', 'safeguarding-policy.pdf', 'application/pdf', $4, $5, $6, f.usr
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS f(id, app, usr)`,
      [files, apps, users, PDF.length, sha256(PDF), PDF],
    );
  });
  return apps.map((applicationId, i) => ({ applicationId, token: tokens[i].token }));
}

/**
 * autocannon `requests` that submit each target exactly once: every request takes the next
 * application id and its owner's token. (autocannon calls setupRequest once per request it sends;
 * `amount: targets.length` makes it send exactly that many.) Past the end, a request goes to a
 * path that does not exist, which shows up as non-2xx rather than being silently re-sent.
 */
function submitRequests(targets) {
  let next = 0;
  return [
    {
      method: 'POST',
      setupRequest: (req) => {
        const t = targets[next++];
        if (!t) return { ...req, path: '/api/v1/applications/ran-out-of-targets/submit' };
        return {
          ...req,
          path: `/api/v1/applications/${t.applicationId}/submit`,
          headers: { ...req.headers, authorization: `Bearer ${t.token}`, accept: 'application/json' },
        };
      },
    },
  ];
}

/** Everything the surge must leave behind: N submitted, references 1..N with no gaps, snapshots, no drafts. */
async function verify(db, round, expected) {
  const [counts] = (
    await db.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'submitted')::int AS submitted,
              count(*) FILTER (WHERE status = 'draft')::int AS drafts,
              count(*) FILTER (WHERE status NOT IN ('submitted', 'draft'))::int AS other,
              count(DISTINCT reference)::int AS distinct_references,
              count(DISTINCT reference_seq)::int AS distinct_seqs,
              min(reference_seq) AS min_seq, max(reference_seq) AS max_seq,
              count(*) FILTER (WHERE status = 'submitted' AND submitted_at IS NULL)::int AS submitted_without_time
         FROM application WHERE round_id = $1`,
      [round.id],
    )
  ).rows;
  const references = (
    await db.query(`SELECT reference FROM application WHERE round_id = $1 AND reference IS NOT NULL ORDER BY reference_seq`, [round.id])
  ).rows.map((r) => r.reference);
  const wanted = Array.from({ length: expected }, (_, i) => `${round.referencePrefix}-${String(i + 1).padStart(4, '0')}`);
  const wantedSet = new Set(wanted);
  const gotSet = new Set(references);
  const missing = wanted.filter((r) => !gotSet.has(r));
  const unexpected = references.filter((r) => !wantedSet.has(r));
  const [{ snapshots }] = (
    await db.query(`SELECT count(*)::int AS snapshots FROM application_snapshot s JOIN application a ON a.id = s.application_id WHERE a.round_id = $1`, [
      round.id,
    ])
  ).rows;
  const [counter] = (await db.query(`SELECT last_seq FROM application_reference_counter WHERE round_id = $1`, [round.id])).rows;
  const [{ audited }] = (
    await db.query(
      `SELECT count(*)::int AS audited FROM audit_event e JOIN application a ON a.id::text = e.entity_id WHERE e.action = 'application.submitted' AND a.round_id = $1`,
      [round.id],
    )
  ).rows;
  const [{ receipts }] = (
    await db.query(
      `SELECT count(*)::int AS receipts FROM notification_outbox o WHERE o.template = 'application-received' AND o.idempotency_key LIKE 'application-submitted:%'`,
    )
  ).rows;
  const problems = [];
  if (counts.submitted !== expected) problems.push(`${counts.submitted} submitted, expected ${expected}`);
  if (counts.drafts !== 0) problems.push(`${counts.drafts} still draft`);
  if (counts.other !== 0) problems.push(`${counts.other} in another status`);
  if (references.length !== counts.submitted || counts.distinct_references !== references.length)
    problems.push(`${references.length} references for ${counts.submitted} submissions (${counts.distinct_references} distinct)`);
  if (missing.length) problems.push(`missing references: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`);
  if (unexpected.length)
    problems.push(`unexpected references: ${unexpected.slice(0, 10).join(', ')}${unexpected.length > 10 ? ` and ${unexpected.length - 10} more` : ''}`);
  if (snapshots !== counts.submitted) problems.push(`${snapshots} frozen snapshots for ${counts.submitted} submissions`);
  if (!counter || counter.last_seq !== expected) problems.push(`reference counter at ${counter ? counter.last_seq : 'none'}, expected ${expected}`);
  if (audited !== counts.submitted) problems.push(`${audited} application.submitted audit events for ${counts.submitted} submissions`);
  if (counts.submitted_without_time) problems.push(`${counts.submitted_without_time} submitted without a time`);
  return {
    ok: problems.length === 0,
    problems,
    expected,
    ...counts,
    firstReference: references[0] ?? null,
    lastReference: references[references.length - 1] ?? null,
    missingReferences: missing.length,
    unexpectedReferences: unexpected.length,
    snapshots,
    referenceCounter: counter ? counter.last_seq : null,
    auditEvents: audited,
    receiptEmailsQueuedAllRounds: receipts,
  };
}

module.exports = {
  name: 'submissions',
  description: 'submits 2,000 applications (a deadline surge) and reports throughput and p99 latency as a ratio to the baseline',
  /** A surge is many people at once: more than the harness's default of 10, unless BENCH_CONNECTIONS says otherwise. */
  defaultConnections: 20,
  /** Measured by work done, not time: allow for as few as 5 submissions a second, and the set-up. */
  extraTimeMs(s) {
    const x = scenarioSettings(s);
    return (x.submissions + x.warmupSubmissions) * 200 + 60_000;
  },

  async run({ resources, settings: s }) {
    const x = scenarioSettings(s);
    const d = demo();
    const nodeEnv = process.env.BENCH_NODE_ENV || 'development';
    const dataDir = lib.makeDataDir(resources);
    const [appPort, pgPort, baselinePort] = await lib.freePorts(3);

    lib.log(`app on 127.0.0.1:${appPort} (NODE_ENV=${nodeEnv}), embedded PostgreSQL on ${pgPort}, DATA_DIR ${dataDir}`);
    const app = await lib.startApp({ resources, dataDir, port: appPort, pgPort, s });
    lib.log(`app: first 200 from /health after ${app.startupMs} ms`);
    const baseline = await lib.startBaseline({ resources, port: baselinePort, s });

    // ---- set-up -----------------------------------------------------------------------------
    const setupStarted = Date.now();
    const db = await connect(resources, dataDir, pgPort);
    const { programmeId, managerToken } = await prepareReferenceData(db, d);
    const warmRound = await openRound(app.url, managerToken, d, { programmeId, name: 'Bench warm-up round', referencePrefix: 'BWARM' });
    const round = await openRound(app.url, managerToken, d, { programmeId, name: 'Bench Victims Fund', referencePrefix: 'BVF' });
    const warmTargets = await prepareApplicants(db, warmRound, Math.max(1, x.warmupSubmissions), 'warm');
    const targets = await prepareApplicants(db, round, x.submissions, 'bvf');
    const setupMs = Date.now() - setupStarted;
    lib.log(`set-up: ${x.submissions} + ${warmTargets.length} warm-up organisations with complete drafts and API tokens in ${setupMs} ms`);

    // ---- sanity: one submission end to end ----------------------------------------------------
    const first = warmTargets.shift();
    const sample = await api(`${app.url}/api/v1/applications/${first.applicationId}/submit`, first.token, { method: 'POST' });
    if (sample.status !== 200 || !/^BWARM-0001$/.test(sample.json && sample.json.reference)) {
      throw new Error(`a sample submission answered ${sample.status}: ${sample.body.slice(0, 500)}`);
    }
    const echo = await lib.httpRequest(`${baseline.url}/echo`, { method: 'POST', body: '{}' });
    if (echo.status !== 201 || echo.body !== '{}') throw new Error(`baseline POST /echo answered ${echo.status}: ${echo.body}`);

    // ---- load ---------------------------------------------------------------------------------
    const connections = Math.min(x.connections, x.submissions);
    let warmup = null;
    if (warmTargets.length) {
      // The harness's warm-up is time-boxed and would re-use targets; submit the warm-up round's drafts instead.
      warmup = await lib.runLoad({
        title: 'app warm-up (separate round, discarded)',
        url: `${app.url}/api/v1/applications/warm-up/submit`,
        connections: Math.min(connections, warmTargets.length),
        warmupS: 0,
        options: { amount: warmTargets.length, requests: submitRequests(warmTargets) },
      });
    }
    const baselineLoad = await lib.runLoad({
      title: 'baseline POST /echo',
      url: `${baseline.url}/echo`,
      serverPids: [baseline.service.pid],
      connections,
      options: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    });
    const appLoad = await lib.runLoad({
      title: `app POST /api/v1/applications/:id/submit x ${x.submissions}`,
      url: `${app.url}/api/v1/applications/measured/submit`,
      serverPids: [app.service.pid],
      connections,
      warmupS: 0,
      options: { amount: x.submissions, requests: submitRequests(targets) },
    });
    const memoryAfter = { app: { ...lib.memory(app.service.pid), tree: lib.treePssKb(app.service.pid) }, baseline: lib.memory(baseline.service.pid) };

    // ---- check what the surge left behind -------------------------------------------------------
    const verification = await verify(db, round, x.submissions);
    const warmVerification = await verify(db, warmRound, warmTargets.length + 1);
    await db.close();

    const appStop = await app.service.stop();
    const baselineStop = await baseline.service.stop();
    lib.log(`app stopped in ${appStop.stopMs} ms (exit code ${appStop.code}${appStop.forced ? ', forced' : ''}); baseline in ${baselineStop.stopMs} ms`);

    const ratios = lib.compare(appLoad, baselineLoad);
    const data = {
      scenarioSettings: { ...x, connections, nodeEnv },
      startup: { appMs: app.startupMs, baselineMs: baseline.startupMs },
      setup: {
        ms: setupMs,
        organisations: x.submissions,
        warmupOrganisations: warmTargets.length + 1,
        note: 'users, organisations, memberships, API tokens, drafts and attachments inserted with SQL; rounds made and published through the API',
      },
      load: { baseline: baselineLoad, app: appLoad, appWarmup: warmup },
      ratios,
      verification,
      warmupVerification: warmVerification,
      memory: memoryAfter,
      shutdown: { app: appStop, baseline: baselineStop },
    };
    const text = report(data);
    if (!verification.ok || !warmVerification.ok) {
      const file = lib.writeResults('submissions-failed', { scenario: 'submissions', failed: true, environment: lib.environment(), ...data });
      throw new Error(`the submissions did not all arrive intact (results: ${path.relative(process.cwd(), file)})\n\n${text}`);
    }
    return { data, report: text };
  },
};

function report(d) {
  const x = (v) => (v === null || v === undefined ? '-' : `${v}x`);
  const a = d.load.app;
  const v = d.verification;
  const lines = [];
  lines.push(
    `Set-up: ${d.setup.organisations} organisations (+${d.setup.warmupOrganisations} for the warm-up) with complete drafts and API tokens in ${d.setup.ms} ms; app NODE_ENV=${d.scenarioSettings.nodeEnv}, ${d.scenarioSettings.connections} connections`,
  );
  lines.push('');
  lines.push(
    lib.loadTable([
      { label: 'baseline POST /echo (bare Express)', load: d.load.baseline },
      { label: `app POST …/submit (${d.setup.organisations} drafts)`, load: a },
    ]),
  );
  lines.push('');
  lines.push(
    `app/baseline: throughput ${x(d.ratios.throughput)}, p50 latency ${x(d.ratios.p50Latency)}, p99 latency ${x(d.ratios.p99Latency)}, CPU per request ${x(d.ratios.cpuPerRequest)}`,
  );
  lines.push(
    `app: ${a.requests} submissions in ${a.durationS} s = ${a.rps} submissions/s; latency p50 ${a.latencyMs.p50} ms, p90 ${a.latencyMs.p90} ms, p99 ${a.latencyMs.p99} ms, max ${a.latencyMs.max} ms; status codes ${JSON.stringify(a.statusCodes)}`,
  );
  if (a.cpu && a.cpu.rootMsPerRequest !== undefined)
    lines.push(`app CPU per submission: ${a.cpu.rootMsPerRequest} ms in Node + ${a.cpu.descendantsMsPerRequest} ms in PostgreSQL`);
  const other = Math.max(a.cpu ? a.cpu.otherCores : 0, d.load.baseline.cpu ? d.load.baseline.cpu.otherCores : 0);
  if (other >= 0.25)
    lines.push(
      `warning: other processes used up to ${other} of ${a.cpu.machineCores} cores during the runs; throughput and latency are disturbed (CPU ms/req less so)`,
    );
  lines.push('');
  if (v.ok) {
    lines.push(
      `check: ${v.submitted} submitted, references ${v.firstReference}..${v.lastReference} with no gaps or repeats, ${v.snapshots} frozen snapshots, ${v.auditEvents} audit events, no drafts left, counter at ${v.referenceCounter}: OK`,
    );
  } else {
    lines.push(`check FAILED: ${v.problems.join('; ')}`);
  }
  if (!d.warmupVerification.ok) lines.push(`warm-up round check FAILED: ${d.warmupVerification.problems.join('; ')}`);
  return lines.join('\n');
}

// Shared with the other scenarios that need an app with data in it (lists.js).
module.exports.helpers = { demo, connect, prepareReferenceData, openRound, api };
