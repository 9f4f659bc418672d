import request from 'supertest';
import { Clock } from '../../src/platform/clock';
import { ScoringRemindersService } from '../../src/modules/assessment/scoring-reminders.service';
import { createUser } from '../support/identity';
import { seedRoundApplications } from '../support/application-lists';
import { type RoundJson, type StaffMember, bearer, createPublishedRound, roundBody, seedFunds, staffMember, MINIMAL_PDF } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 10's rules, through the API against PostgreSQL: conflicts of interest block the answers,
 * the files and scoring even through crafted calls; nobody sees another's scores before giving
 * their own; the criteria freeze at the first score; the arithmetic matches a table worked by
 * hand; divergence, moderation and calibration; automatic assignment is balanced, respects
 * declared interests and never over-assigns, even when two fund managers press at once.
 */

const AFTER_CLOSE = new Date('2027-01-20T10:00:00Z');
const SCORING_CLOSES = '2027-02-12T17:00:00.000Z';

/**
 * Awkward weights on two different scales, as the issue asks: 3 on 0–4, 7 on 1–10, 11 on 0–4.
 * The highest weight (11, "Value for money") breaks ties.
 */
const CRITERIA = [
  { name: 'Need', guidance: 'Evidence of need', weight: 3, scaleMin: 0, scaleMax: 4 },
  { name: 'Delivery', guidance: 'Can they deliver it?', weight: 7, scaleMin: 1, scaleMax: 10 },
  { name: 'Value for money', guidance: 'Costs against outcomes', weight: 11, scaleMin: 0, scaleMax: 4 },
];

/*
 * The hand-worked table. Percentage = Σ weight × (score − min)/(max − min) ÷ Σ weight × 100, with
 * Σ weight = 21.
 *
 *   scores (Need, Delivery, Value)   3·(s−0)/4   7·(s−1)/9   11·(s−0)/4    sum          ÷21 ×100 (exact)      shown
 *   (3, 7, 2)                          9/4        14/3          11/2        149/12       14900/252 = 59.1269…  59.13
 *   (4, 10, 4)                         3          7             11          21           100                   100.00
 *   (1, 4, 3)                          3/4        7/3           33/4        34/3         3400/63 = 53.9682…    53.97
 *   (2, 5, 1)                          3/2        28/9          11/4        265/36       26500/756 = 35.0529…  35.05
 *
 * Means: (59.1269… + 100) / 2 = 79.5634…, shown 79.56; (53.9682… + 35.0529…) / 2 = 44.5105…,
 * shown 44.51 — from the exact fractions, not from the rounded figures (which would give 44.51
 * here too, but 59.13 + 100 would give 79.565 → 79.57 where the exact answer is 79.56).
 */
const HAND_WORKED = [
  { scores: [3, 7, 2], percent: '59.13' },
  { scores: [4, 10, 4], percent: '100.00' },
  { scores: [1, 4, 3], percent: '53.97' },
  { scores: [2, 5, 1], percent: '35.05' },
];

describe('assessment (issue 10)', () => {
  let t: TestApp;
  let clock: Clock;
  let manager: StaffMember;
  let programmeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    programmeId = (await seedFunds(t)).VF;
    manager = await staffMember(t, 'fund_manager');
  });
  afterAll(async () => {
    clock.set(null);
    await t.close();
  });
  afterEach(() => clock.set(null));

  const api = () => request(t.http);

  /** A closed round with `n` eligible applications (references <prefix>-0001…), each from its own organisation. */
  async function closedRound(
    n: number,
    overrides: Record<string, unknown> = {},
  ): Promise<{ round: RoundJson; apps: { id: string; reference: string; organisationId: string }[] }> {
    const round = await createPublishedRound(t, manager, roundBody(programmeId, { criteria: CRITERIA, scoringClosesAt: SCORING_CLOSES, ...overrides }));
    const tag = round.referencePrefix;
    await seedRoundApplications(t.dataSource, { roundId: round.id, prefix: tag, n, createdBy: manager.id, categories: ['hate_crime', 'domestic_abuse'], tag });
    await t.dataSource.query(`UPDATE application SET status = 'eligible', screened_by = $2, screened_at = now() WHERE round_id = $1`, [round.id, manager.id]);
    const apps = await t.dataSource.query<{ id: string; reference: string; organisationId: string }[]>(
      `SELECT id, reference, organisation_id AS "organisationId" FROM application WHERE round_id = $1 ORDER BY reference`,
      [round.id],
    );
    clock.set(AFTER_CLOSE);
    return { round, apps };
  }

  async function assessors(n: number): Promise<StaffMember[]> {
    const out: StaffMember[] = [];
    for (let i = 0; i < n; i++) out.push(await staffMember(t, 'assessor'));
    return out;
  }

  async function assign(roundId: string, applicationId: string, who: StaffMember[]): Promise<string[]> {
    const res = await api()
      .post(`/api/v1/rounds/${roundId}/assignments`)
      .set(bearer(manager.token))
      .send({ applicationId, assessorIds: who.map((w) => w.id) });
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    return res.body.items.map((i: { id: string }) => i.id);
  }

  async function criteriaOf(assessmentId: string, who: StaffMember): Promise<string[]> {
    const res = await api().get(`/api/v1/assessments/${assessmentId}`).set(bearer(who.token)).expect(200);
    return res.body.criteria.map((c: { id: string }) => c.id);
  }

  /** Declares no conflict, saves the scores with comments and a recommendation, submits. */
  async function score(assessmentId: string, who: StaffMember, scores: number[], submit = true) {
    await api().post(`/api/v1/assessments/${assessmentId}/declaration`).set(bearer(who.token)).send({ conflict: false });
    const ids = await criteriaOf(assessmentId, who);
    const saved = await api()
      .put(`/api/v1/assessments/${assessmentId}/scores`)
      .set(bearer(who.token))
      .send({
        scores: ids.map((criterionId, i) => ({ criterionId, score: scores[i], comment: 'Reasoned comment' })),
        recommendation: 'fund',
        comment: 'Recommend',
      });
    expect([saved.status, saved.body.error]).toEqual([200, undefined]);
    if (submit) await api().post(`/api/v1/assessments/${assessmentId}/submit`).set(bearer(who.token)).expect(200);
    return saved.body;
  }

  it('a declared conflict blocks the answers, the files and scoring, even through crafted calls', async () => {
    const { round, apps } = await closedRound(1);
    const [app] = apps;
    const file = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO application_attachment (application_id, question_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
       VALUES ($1, 'safeguardingPolicy', 'policy.pdf', 'application/pdf', $2, encode(sha256($3), 'hex'), $3, $4) RETURNING id`,
      [app.id, MINIMAL_PDF.length, MINIMAL_PDF, manager.id],
    );
    const [conflicted, clear] = await assessors(2);
    const [aConflicted, aClear] = await assign(round.id, app.id, [conflicted, clear]);

    // Before any declaration: the reference and the organisation only.
    const before = await api().get(`/api/v1/assessments/${aConflicted}`).set(bearer(conflicted.token)).expect(200);
    expect(before.body.status).toBe('awaiting_declaration');
    expect(before.body.application).toMatchObject({ reference: app.reference, answers: null, attachments: null, amountRequestedPence: null });
    expect(before.body.application.organisationName).toEqual(expect.any(String));
    const early = await api().get(`/api/v1/assessments/${aConflicted}/attachments/${file[0].id}`).set(bearer(conflicted.token));
    expect([early.status, early.body.error]).toEqual([409, 'assessment.declaration_required']);
    const earlyScore = await api().put(`/api/v1/assessments/${aConflicted}/scores`).set(bearer(conflicted.token)).send({ scores: [] });
    expect([earlyScore.status, earlyScore.body.error]).toEqual([409, 'assessment.declaration_required']);

    // A conflict needs its reason, then ends the assignment.
    const noReason = await api().post(`/api/v1/assessments/${aConflicted}/declaration`).set(bearer(conflicted.token)).send({ conflict: true, reason: '  ' });
    expect([noReason.status, noReason.body.details?.[0]?.field]).toEqual([400, 'reason']);
    await api()
      .post(`/api/v1/assessments/${aConflicted}/declaration`)
      .set(bearer(conflicted.token))
      .send({ conflict: true, reason: 'I am a trustee of this group' })
      .expect(200);
    const after = await api().get(`/api/v1/assessments/${aConflicted}`).set(bearer(conflicted.token)).expect(200);
    expect(after.body).toMatchObject({ status: 'conflicted', conflictReason: 'I am a trustee of this group' });
    expect(after.body.application).toMatchObject({ answers: null, attachments: null });

    const ids = await criteriaOf(aConflicted, conflicted);
    const crafted = [
      api().get(`/api/v1/assessments/${aConflicted}/attachments/${file[0].id}`).set(bearer(conflicted.token)),
      api()
        .put(`/api/v1/assessments/${aConflicted}/scores`)
        .set(bearer(conflicted.token))
        .send({ scores: [{ criterionId: ids[0], score: 2 }] }),
      api().post(`/api/v1/assessments/${aConflicted}/submit`).set(bearer(conflicted.token)),
      api().get(`/api/v1/applications/${app.id}/assessments`).set(bearer(conflicted.token)),
      // Declaring again to undo the conflict is refused too.
      api().post(`/api/v1/assessments/${aConflicted}/declaration`).set(bearer(conflicted.token)).send({ conflict: false }),
      // Another assessor's assessment of the same application looks missing.
      api().get(`/api/v1/assessments/${aClear}`).set(bearer(conflicted.token)),
    ];
    const answers = await Promise.all(crafted);
    expect(answers.map((r) => [r.status, r.body.error])).toEqual([
      [403, 'assessment.conflicted'],
      [403, 'assessment.conflicted'],
      [403, 'assessment.conflicted'],
      [403, 'assessment.conflicted'],
      [409, 'assessment.already_declared'],
      [404, 'assessment.not_found'],
    ]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM assessment_score WHERE assessment_id = $1`, [aConflicted])).toEqual([{ n: 0 }]);

    // The other assessor, once clear, reads the answers and downloads the file.
    await api().post(`/api/v1/assessments/${aClear}/declaration`).set(bearer(clear.token)).send({ conflict: false }).expect(200);
    const cleared = await api().get(`/api/v1/assessments/${aClear}`).set(bearer(clear.token)).expect(200);
    // (The seeded application's answers are {}: answers are frozen once submitted.)
    expect(cleared.body.application).toMatchObject({ answers: {}, attachments: [{ id: file[0].id, filename: 'policy.pdf' }] });
    const download = await api().get(`/api/v1/assessments/${aClear}/attachments/${file[0].id}`).set(bearer(clear.token)).expect(200);
    expect(Buffer.compare(download.body as Buffer, MINIMAL_PDF)).toBe(0);

    // The fund managers were told, in the same transaction as the declaration.
    const emails = await t.dataSource.query<{ subject: string }[]>(
      `SELECT subject FROM notification_outbox WHERE template = 'assessment-conflict-declared' AND to_address = $1`,
      [manager.email],
    );
    expect(emails.map((e) => e.subject)).toEqual([`Conflict of interest declared on ${app.reference}: it needs another assessor`]);
    // …and the declaration is listed for the round.
    const declarations = await api().get(`/api/v1/rounds/${round.id}/declarations`).set(bearer(manager.token)).expect(200);
    const listed = declarations.body.items.map((d: { assessor: { id: string }; conflict: boolean; reason: string | null }) => [
      d.assessor.id,
      d.conflict,
      d.reason,
    ]);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        [conflicted.id, true, 'I am a trustee of this group'],
        [clear.id, false, null],
      ]),
    );
  });

  it('keeps other assessors’ scores hidden until you submit your own', async () => {
    const { round, apps } = await closedRound(1);
    const [first, second] = await assessors(2);
    const [aFirst, aSecond] = await assign(round.id, apps[0].id, [first, second]);
    await score(aFirst, first, [3, 7, 2]);
    await score(aSecond, second, [4, 10, 4], false);

    const early = await api().get(`/api/v1/applications/${apps[0].id}/assessments`).set(bearer(second.token));
    expect([early.status, early.body.error]).toEqual([409, 'assessment.not_submitted']);

    // The first (submitted) sees their own and not the second's draft.
    const firstView = await api().get(`/api/v1/applications/${apps[0].id}/assessments`).set(bearer(first.token)).expect(200);
    const secondRow = firstView.body.assessments.find((a: { assessor: { id: string } }) => a.assessor.id === second.id);
    expect(secondRow).toMatchObject({ status: 'in_progress', scores: [], recommendation: null, comment: null, scorePercent: null });

    await api().post(`/api/v1/assessments/${aSecond}/submit`).set(bearer(second.token)).expect(200);
    const now = await api().get(`/api/v1/applications/${apps[0].id}/assessments`).set(bearer(second.token)).expect(200);
    const percents = Object.fromEntries(now.body.assessments.map((a: { assessor: { id: string }; scorePercent: string }) => [a.assessor.id, a.scorePercent]));
    expect(percents).toEqual({ [first.id]: '59.13', [second.id]: '100.00' });
    // Someone who is not an assessor of it at all: not found.
    const [outsider] = await assessors(1);
    const none = await api().get(`/api/v1/applications/${apps[0].id}/assessments`).set(bearer(outsider.token));
    expect([none.status, none.body.error]).toEqual([404, 'assessment.not_found']);
  });

  it('freezes the criteria at the first saved score; guidance can still be reworded', async () => {
    const { round, apps } = await closedRound(1);
    const [who] = await assessors(1);
    const [id] = await assign(round.id, apps[0].id, [who]);
    const body = roundBody(programmeId, { name: round.name, referencePrefix: round.referencePrefix, criteria: CRITERIA, scoringClosesAt: SCORING_CLOSES });

    // Before any score the criteria may change.
    const reweighted = CRITERIA.map((c) => (c.name === 'Need' ? { ...c, weight: 4 } : c));
    await api()
      .put(`/api/v1/rounds/${round.id}`)
      .set(bearer(manager.token))
      .send({ ...body, criteria: reweighted })
      .expect(200);
    await api().put(`/api/v1/rounds/${round.id}`).set(bearer(manager.token)).send(body).expect(200);

    await score(id, who, [2, 5, 1], false);
    const before = await criteriaOf(id, who);
    const refused = await api()
      .put(`/api/v1/rounds/${round.id}`)
      .set(bearer(manager.token))
      .send({ ...body, criteria: reweighted });
    expect([refused.status, refused.body.error, refused.body.details?.[0]?.field]).toEqual([409, 'rounds.criteria_frozen', 'criteria']);
    const renamed = await api()
      .put(`/api/v1/rounds/${round.id}`)
      .set(bearer(manager.token))
      .send({ ...body, criteria: CRITERIA.map((c, i) => (i === 2 ? { ...c, scaleMax: 5 } : c)) });
    expect(renamed.body.error).toBe('rounds.criteria_frozen');

    const reworded = await api()
      .put(`/api/v1/rounds/${round.id}`)
      .set(bearer(manager.token))
      .send({ ...body, criteria: CRITERIA.map((c) => ({ ...c, guidance: `${c.guidance} (see the guide)` })) })
      .expect(200);
    expect(reworded.body.criteriaFrozen).toBe(true);
    expect(reworded.body.criteria.map((c: { id: string }) => c.id)).toEqual(before);
    expect(reworded.body.criteria[0].guidance).toBe('Evidence of need (see the guide)');
    // The draft's scores survive the edit.
    const view = await api().get(`/api/v1/assessments/${id}`).set(bearer(who.token)).expect(200);
    expect(view.body.scorePercent).toBe('35.05');
  });

  it('computes scores exactly, as in the hand-worked table, and flags, moderates and calibrates', async () => {
    const { round, apps } = await closedRound(2, { moderationThreshold: 10 });
    const [a1, a2] = await assessors(2);
    const [x1, x2] = await assign(round.id, apps[0].id, [a1, a2]);
    const [y1, y2] = await assign(round.id, apps[1].id, [a1, a2]);
    const results = [
      await score(x1, a1, HAND_WORKED[0].scores),
      await score(x2, a2, HAND_WORKED[1].scores),
      await score(y1, a1, HAND_WORKED[2].scores),
      await score(y2, a2, HAND_WORKED[3].scores),
    ];
    expect(results.map((r) => r.scorePercent)).toEqual(HAND_WORKED.map((h) => h.percent));

    const first = await api().get(`/api/v1/applications/${apps[0].id}/assessments`).set(bearer(manager.token)).expect(200);
    expect(first.body).toMatchObject({ rawScore: '79.56', divergent: true, moderation: null });
    const secondApp = await api().get(`/api/v1/applications/${apps[1].id}/assessments`).set(bearer(manager.token)).expect(200);
    // 53.97 and 35.05 are 18.9 points apart: over the threshold of 10 too.
    expect(secondApp.body).toMatchObject({ rawScore: '44.51', divergent: true });

    // Moderation needs a reason and a well-formed score; then the final score is the moderated one.
    const bad = await Promise.all([
      api().post(`/api/v1/applications/${apps[0].id}/moderation`).set(bearer(manager.token)).send({ scorePercent: '72.50', reason: ' ' }),
      api().post(`/api/v1/applications/${apps[0].id}/moderation`).set(bearer(manager.token)).send({ scorePercent: '100.01', reason: 'Panel view' }),
      api().post(`/api/v1/applications/${apps[0].id}/moderation`).set(bearer(manager.token)).send({ scorePercent: 72.5, reason: 'Panel view' }),
    ]);
    expect(bad.map((r) => [r.status, r.body.details?.[0]?.field])).toEqual([
      [400, 'reason'],
      [400, 'scorePercent'],
      [400, 'scorePercent'],
    ]);
    const moderated = await api()
      .post(`/api/v1/applications/${apps[0].id}/moderation`)
      .set(bearer(manager.token))
      .send({ scorePercent: '72.5', reason: 'The panel agreed delivery is less certain than the second assessor found' })
      .expect(200);
    expect(moderated.body).toMatchObject({ scorePercent: '72.50', moderatedBy: manager.id });

    const ranking = await api().get(`/api/v1/rounds/${round.id}/ranking`).set(bearer(manager.token)).expect(200);
    expect(ranking.body.ready).toBe(true);
    expect(
      ranking.body.rows.map((r: Record<string, unknown>) => [r.rank, r.reference, r.finalScore, r.rawScore, r.rawScores, r.moderated, r.divergent]),
    ).toEqual([
      [1, apps[0].reference, '72.50', '79.56', ['59.13', '100.00'], true, true],
      [2, apps[1].reference, '44.51', '44.51', ['53.97', '35.05'], false, true],
    ]);

    // Calibration: a1 scored 59.13 and 53.97 (mean 56.5476…), the panel 79.56 and 44.51 (mean 62.0370…).
    const calibration = await api().get(`/api/v1/rounds/${round.id}/calibration`).set(bearer(manager.token)).expect(200);
    expect(
      calibration.body.items.map((c: Record<string, unknown>) => [(c.assessor as { id: string }).id, c.assessed, c.assessorMean, c.panelMean, c.difference]),
    ).toEqual([
      [a1.id, 2, '56.55', '62.04', '-5.49'],
      [a2.id, 2, '67.53', '62.04', '5.49'],
    ]);

    // A fund manager with a standing interest in the organisation cannot moderate it.
    const conflictedManager = await staffMember(t, 'fund_manager');
    await api()
      .post('/api/v1/interests')
      .set(bearer(conflictedManager.token))
      .send({ organisationId: apps[1].organisationId, reason: 'My sister chairs it' })
      .expect(200);
    const refused = await api()
      .post(`/api/v1/applications/${apps[1].id}/moderation`)
      .set(bearer(conflictedManager.token))
      .send({ scorePercent: '50', reason: 'Panel view' });
    expect([refused.status, refused.body.error]).toEqual([403, 'assessment.conflicted']);
  });

  it('breaks ties by the top criterion, then the earlier submission, then the reference, and says which', async () => {
    const { round, apps } = await closedRound(4, { assessorsPerApplication: 1 });
    const [who] = await assessors(1);
    const ids = [];
    for (const app of apps) ids.push((await assign(round.id, app.id, [who]))[0]);
    // Value for money (weight 11, 0–4) scores: 2, 2, 1, 3.
    await score(ids[0], who, [2, 5, 2]);
    await score(ids[1], who, [2, 5, 2]);
    await score(ids[2], who, [4, 10, 1]);
    await score(ids[3], who, [0, 1, 3]);
    for (const app of apps)
      await api()
        .post(`/api/v1/applications/${app.id}/moderation`)
        .set(bearer(manager.token))
        .send({ scorePercent: '60.00', reason: 'Panel view' })
        .expect(200);
    // Every final score is 60.00. Value for money puts app 4 (3 of 4) first and app 3 (1 of 4)
    // last; apps 1 and 2 tie on it too (2 of 4), and app 1 was submitted first. Each row names
    // the rule that placed it against the row above (the first, against the row below).
    const ranking = await api().get(`/api/v1/rounds/${round.id}/ranking`).set(bearer(manager.token)).expect(200);
    const rows = ranking.body.rows.map((r: Record<string, unknown>) => [r.rank, r.reference, r.tieBreak]);
    expect(rows).toEqual([
      [1, apps[3].reference, 'top_criterion'],
      [2, apps[0].reference, 'top_criterion'],
      [3, apps[1].reference, 'submitted_at'],
      [4, apps[2].reference, 'top_criterion'],
    ]);
    // Asked again, the same answer.
    const again = await api().get(`/api/v1/rounds/${round.id}/ranking`).set(bearer(manager.token)).expect(200);
    expect(again.body.rows).toEqual(ranking.body.rows);
  });

  it('assigns automatically: balanced, deterministic, never to a declared interest', async () => {
    const { round, apps } = await closedRound(9);
    // Only these four are active assessors, so the balance is over exactly them.
    await t.dataSource.query(`UPDATE user_account SET status = 'deactivated' WHERE 'assessor' = ANY(roles)`);
    const team = await assessors(4);
    await api().post('/api/v1/interests').set(bearer(team[0].token)).send({ organisationId: apps[2].organisationId, reason: 'I volunteer there' }).expect(200);
    const res = await api().post(`/api/v1/rounds/${round.id}/assignments`).set(bearer(manager.token)).send({ mode: 'auto' }).expect(201);
    const rows = await t.dataSource.query<{ application_id: string; assessor_id: string }[]>(
      `SELECT application_id, assessor_id FROM assessment WHERE round_id = $1`,
      [round.id],
    );
    expect(rows).toHaveLength(res.body.items.length);
    const perApp = new Map<string, number>();
    for (const r of rows) perApp.set(r.application_id, (perApp.get(r.application_id) ?? 0) + 1);
    expect(apps.map((a) => perApp.get(a.id))).toEqual(apps.map(() => 2));
    expect(rows.some((r) => r.application_id === apps[2].id && r.assessor_id === team[0].id)).toBe(false);
    const loads = team.map((m) => rows.filter((r) => r.assessor_id === m.id).length);
    expect(loads.reduce((a, b) => a + b)).toBe(18);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    // Pressing again changes nothing: every application already has its assessors.
    const again = await api().post(`/api/v1/rounds/${round.id}/assignments`).set(bearer(manager.token)).send({ mode: 'auto' }).expect(201);
    expect(again.body.items).toEqual([]);
    // Each assessor was emailed once per assignment.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM notification_outbox WHERE template = 'assessment-assigned' AND idempotency_key = ANY($1)`,
      [res.body.items.map((i: { id: string }) => `assessment-assigned:${i.id}`)],
    );
    expect(n).toBe(18);
  });

  it('two fund managers assigning at once do not over-assign', async () => {
    const { round, apps } = await closedRound(6);
    await assessors(3);
    const other = await staffMember(t, 'fund_manager');
    const [a, b] = await Promise.all([
      api().post(`/api/v1/rounds/${round.id}/assignments`).set(bearer(manager.token)).send({ mode: 'auto' }),
      api().post(`/api/v1/rounds/${round.id}/assignments`).set(bearer(other.token)).send({ mode: 'auto' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const counts = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM assessment WHERE round_id = $1 GROUP BY application_id`, [
      round.id,
    ]);
    expect(counts.map((c) => c.n)).toEqual(apps.map(() => 2));
    expect(a.body.items.length + b.body.items.length).toBe(12);

    // By hand, one place left, two managers each adding a different assessor: one wins.
    const { round: r2, apps: apps2 } = await closedRound(1);
    const [p, q, s] = await assessors(3);
    await assign(r2.id, apps2[0].id, [p]);
    const [one, two] = await Promise.all([
      api()
        .post(`/api/v1/rounds/${r2.id}/assignments`)
        .set(bearer(manager.token))
        .send({ applicationId: apps2[0].id, assessorIds: [q.id] }),
      api()
        .post(`/api/v1/rounds/${r2.id}/assignments`)
        .set(bearer(other.token))
        .send({ applicationId: apps2[0].id, assessorIds: [s.id] }),
    ]);
    expect([one.status, two.status].sort()).toEqual([201, 409]);
    expect([one.body.error, two.body.error]).toContain('assessment.enough_assessors');
  });

  it('refuses bad input with a 4xx naming the field or rule, and changes nothing', async () => {
    const { round, apps } = await closedRound(2);
    const other = await closedRound(1);
    const [who, spare] = await assessors(2);
    const [id] = await assign(round.id, apps[0].id, [who]);
    await api().post(`/api/v1/assessments/${id}/declaration`).set(bearer(who.token)).send({ conflict: false }).expect(200);
    const ids = await criteriaOf(id, who);
    const [otherId] = await assign(other.round.id, other.apps[0].id, [spare]);
    const foreignCriterion = (await criteriaOf(otherId, spare))[0];
    const [{ amount }] = await t.dataSource.query(`SELECT amount_requested_pence::int AS amount FROM application WHERE id = $1`, [apps[0].id]);

    const put = (body: object) => api().put(`/api/v1/assessments/${id}/scores`).set(bearer(who.token)).send(body);
    const cases = await Promise.all([
      put({ scores: [{ criterionId: ids[0], score: 5, comment: 'x' }] }),
      put({ scores: [{ criterionId: ids[1], score: 0, comment: 'x' }] }),
      put({ scores: [{ criterionId: foreignCriterion, score: 2 }] }),
      put({ scores: [{ criterionId: ids[0], score: 4 }] }),
      put({ scores: [{ criterionId: ids[0], score: 2.5 }] }),
      put({ scores: [], recommendation: 'fund_in_part', recommendedAmountPence: amount + 1 }),
      put({ scores: [], recommendation: 'fund_in_part' }),
      put({ scores: [], recommendation: 'fund', recommendedAmountPence: 100 }),
      put({ scores: [], recommendation: 'maybe' }),
      put({
        scores: [
          { criterionId: ids[0], score: 2 },
          { criterionId: ids[0], score: 3 },
        ],
      }),
    ]);
    expect(cases.map((r) => [r.status, r.body.details?.[0]?.field, r.body.details?.[0]?.rule])).toEqual([
      [400, 'scores.0.score', 'onScale'],
      [400, 'scores.0.score', 'onScale'],
      [400, 'scores.0.criterionId', 'roundCriterion'],
      [400, 'scores.0.comment', 'requiredAtEnds'],
      [400, 'scores.0.score', 'isInt'],
      [400, 'recommendedAmountPence', 'notAboveRequest'],
      [400, 'recommendedAmountPence', 'requiredInPart'],
      [400, 'recommendedAmountPence', 'onlyInPart'],
      [400, 'recommendation', 'isIn'],
      [400, 'scores.1.criterionId', 'unique'],
    ]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM assessment_score WHERE assessment_id = $1`, [id])).toEqual([{ n: 0 }]);

    // Submitting an incomplete assessment names what is missing.
    const incomplete = await api().post(`/api/v1/assessments/${id}/submit`).set(bearer(who.token));
    expect([incomplete.status, incomplete.body.error, incomplete.body.details.map((d: { field: string }) => d.field)]).toEqual([
      422,
      'assessment.incomplete',
      ['scores.0.score', 'scores.1.score', 'scores.2.score', 'recommendation', 'comment'],
    ]);

    // After the scoring deadline nothing can be saved.
    clock.set(new Date(new Date(SCORING_CLOSES).getTime() + 60_000));
    const late = await put({ scores: [{ criterionId: ids[0], score: 2 }] });
    expect([late.status, late.body.error]).toEqual([409, 'assessment.scoring_closed']);
    clock.set(AFTER_CLOSE);

    // Assigning: not an assessor, deactivated, an ineligible application, a round still open.
    const notAssessor = await createUser(t, ['auditor']);
    const deactivated = await staffMember(t, 'assessor');
    await t.dataSource.query(`UPDATE user_account SET status = 'deactivated' WHERE id = $1`, [deactivated.id]);
    await t.dataSource.query(`UPDATE application SET status = 'ineligible', screening_reason = 'Outside the area' WHERE id = $1`, [apps[1].id]);
    const assign1 = (body: object, roundId = round.id) => api().post(`/api/v1/rounds/${roundId}/assignments`).set(bearer(manager.token)).send(body);
    const assignCases = await Promise.all([
      assign1({ applicationId: apps[0].id, assessorIds: [notAssessor.id] }),
      assign1({ applicationId: apps[0].id, assessorIds: [deactivated.id] }),
      assign1({ applicationId: apps[1].id, assessorIds: [spare.id] }),
      assign1({ applicationId: other.apps[0].id, assessorIds: [spare.id] }),
      assign1({ applicationId: apps[0].id, assessorIds: [who.id] }),
      assign1({ applicationId: apps[0].id }),
      assign1({ mode: 'auto', colour: 'blue' }),
    ]);
    expect(assignCases.map((r) => [r.status, r.body.error, r.body.details?.[0]?.field])).toEqual([
      [422, 'assessment.not_an_assessor', 'assessorIds.0'],
      [422, 'assessment.not_an_assessor', 'assessorIds.0'],
      [409, 'assessment.not_assessable', 'applicationId'],
      [400, 'validation_failed', 'applicationId'],
      [409, 'assessment.already_assigned', 'assessorIds.0'],
      [400, 'validation_failed', 'assessorIds'],
      [400, 'validation_failed', 'colour'],
    ]);
    clock.set(new Date('2027-01-10T10:00:00Z'));
    const open = await assign1({ mode: 'auto' });
    expect([open.status, open.body.error]).toEqual([409, 'assessment.round_not_closed']);
  });

  it('a submitted assessment is never silently removed; a fund manager reopens it with a reason', async () => {
    const { round, apps } = await closedRound(1);
    const [who] = await assessors(1);
    const [id] = await assign(round.id, apps[0].id, [who]);
    await score(id, who, [2, 5, 2]);
    const remove = await api().delete(`/api/v1/assessments/${id}`).set(bearer(manager.token));
    expect([remove.status, remove.body.error]).toEqual([409, 'assessment.submitted']);
    const noReason = await api().post(`/api/v1/assessments/${id}/reopen`).set(bearer(manager.token)).send({ reason: '' });
    expect([noReason.status, noReason.body.details?.[0]?.field]).toEqual([400, 'reason']);
    await api().post(`/api/v1/assessments/${id}/reopen`).set(bearer(manager.token)).send({ reason: 'Score 4 on need has no evidence' }).expect(200);
    const view = await api().get(`/api/v1/assessments/${id}`).set(bearer(who.token)).expect(200);
    expect(view.body.status).toBe('in_progress');
    const [audit] = await t.dataSource.query(`SELECT after FROM audit_event WHERE action = 'assessment.reopened' AND entity_id = $1`, [apps[0].id]);
    expect(audit.after).toMatchObject({ assessmentId: id, reason: 'Score 4 on need has no evidence' });
    // Unassigning one not yet submitted is audited.
    const [spare] = await assessors(1);
    const { round: r2, apps: apps2 } = await closedRound(1);
    const [draft] = await assign(r2.id, apps2[0].id, [spare]);
    await api().delete(`/api/v1/assessments/${draft}`).set(bearer(manager.token)).expect(204);
    const [unassigned] = await t.dataSource.query(`SELECT before FROM audit_event WHERE action = 'assessment.unassigned' AND entity_id = $1`, [apps2[0].id]);
    expect(unassigned.before).toMatchObject({ assessmentId: draft, assessorId: spare.id });
  });

  it('my assessments are paged, sorted, searched by reference and filtered by status', async () => {
    const { round, apps } = await closedRound(3);
    const [who] = await assessors(1);
    const ids: string[] = [];
    // Assigned one after another, so "newest first" is the reverse of the references.
    for (const app of apps) {
      ids.push(...(await assign(round.id, app.id, [who])));
      clock.set(new Date(clock.now().getTime() + 60_000));
    }
    await score(ids[1], who, [2, 5, 2]);
    const refs = (res: request.Response) => res.body.items.map((i: { reference: string }) => i.reference);
    const mine = (query: string) => api().get(`/api/v1/assessments?${query}`).set(bearer(who.token)).expect(200);
    expect(refs(await mine(''))).toEqual(apps.map((a) => a.reference).reverse());
    expect(refs(await mine('sort=reference'))).toEqual(apps.map((a) => a.reference));
    const paged = await mine('sort=-reference&limit=2&page=2');
    expect([refs(paged), paged.body.total]).toEqual([[apps[0].reference], 3]);
    expect(refs(await mine(`q=${apps[2].reference.slice(-4)}`))).toEqual([apps[2].reference]);
    expect(refs(await mine('status=submitted'))).toEqual([apps[1].reference]);
    // The amount asked for is shown only once the assessor has declared no conflict.
    const amounts = (await mine('sort=reference')).body.items.map((i: { amountRequestedPence: number | null }) => i.amountRequestedPence !== null);
    expect(amounts).toEqual([false, true, false]);
    // Another assessor's list holds none of these.
    const [other] = await assessors(1);
    const theirs = await api().get('/api/v1/assessments?sort=reference').set(bearer(other.token)).expect(200);
    expect(theirs.body.total).toBe(0);
  });

  it('reminds each assessor once, 48 hours before scores are due, of what they have still to submit', async () => {
    const { round, apps } = await closedRound(3);
    const [who, done] = await assessors(2);
    const ids = [await assign(round.id, apps[0].id, [who]), await assign(round.id, apps[1].id, [who]), await assign(round.id, apps[2].id, [done])].flat();
    await score(ids[1], who, [2, 5, 2]);
    await score(ids[2], done, [2, 5, 2]);
    const worker = t.app.get(ScoringRemindersService);
    const reminders = () =>
      t.dataSource.query<{ to_address: string; subject: string; text_body: string }[]>(
        `SELECT to_address, subject, text_body FROM notification_outbox WHERE template = 'assessment-reminder' AND text_body LIKE '%' || $1 || '%'`,
        [round.name],
      );
    // 49 hours before: not yet.
    clock.set(new Date(new Date(SCORING_CLOSES).getTime() - 49 * 3_600_000));
    await worker.sendDue();
    expect(await reminders()).toEqual([]);
    // 47 hours before: two workers at once send one email, to the assessor with work left, listing only that.
    clock.set(new Date(new Date(SCORING_CLOSES).getTime() - 47 * 3_600_000));
    await Promise.all([worker.sendDue(), worker.sendDue()]);
    const sent = await reminders();
    expect(sent.map((r) => r.to_address)).toEqual([who.email]);
    expect(sent[0].subject).toBe(`Scores for ${round.name} are due by 5pm on Friday 12 February 2027`);
    expect(sent[0].text_body.replace(/\s+/g, ' ')).toContain(`You have 1 assessment there still to submit: - ${apps[0].reference}:`);
    expect(sent[0].text_body).not.toContain(apps[1].reference);
    await worker.sendDue();
    expect(await reminders()).toHaveLength(1);
    // After the deadline nothing more is sent.
    clock.set(new Date(new Date(SCORING_CLOSES).getTime() + 60_000));
    expect(await worker.sendDue()).toBe(0);
  });
});
