import request from 'supertest';
import { Clock } from '../../src/platform/clock';
import { seedRoundApplications } from '../support/application-lists';
import { createUser, csrfFrom, signIn } from '../support/identity';
import { type RoundJson, type StaffMember, bearer, createPublishedRound, roundBody, seedFunds, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary, h1 } from './identity-support';

/*
 * Issue 10's pages, driven over HTTP as a browser without JavaScript would: an assessor lists
 * their assessments, declares, scores with every problem shown next to its criterion, saves a
 * draft and submits; a fund manager assigns, reads the ranking, moderates and reopens. What each
 * page shows and refuses is checked against PostgreSQL.
 */

const AFTER_CLOSE = new Date('2027-01-20T10:00:00Z');
const CRITERIA = [
  { name: 'Need', guidance: 'Evidence of need', weight: 3, scaleMin: 0, scaleMax: 4 },
  { name: 'Delivery', guidance: 'Can they deliver it?', weight: 7, scaleMin: 1, scaleMax: 10 },
];
const SECRET = 'A confidential plan for a refuge';

type Agent = Awaited<ReturnType<typeof signIn>>;

describe('assessment pages (issue 10)', () => {
  let t: TestApp;
  let clock: Clock;
  let manager: StaffMember;
  let assessor: StaffMember;
  let other: StaffMember;
  let fm: Agent;
  let me: Agent;
  let round: RoundJson;
  let apps: { id: string; reference: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    const programmeId = (await seedFunds(t)).VF;
    manager = await staffMember(t, 'fund_manager');
    assessor = await staffMember(t, 'assessor');
    other = await staffMember(t, 'assessor');
    round = await createPublishedRound(t, manager, roundBody(programmeId, { criteria: CRITERIA, assessorsPerApplication: 1 }));
    await seedRoundApplications(t.dataSource, {
      roundId: round.id,
      prefix: round.referencePrefix,
      n: 2,
      createdBy: manager.id,
      categories: ['hate_crime'],
      tag: round.referencePrefix,
    });
    const form = round.form as { sections: { questions: { id: string; type: string }[] }[] };
    const question = form.sections.flatMap((s) => s.questions).find((q) => q.type === 'long_text')!;
    // Answers are frozen once submitted (a database trigger), so they go in while the applications are drafts.
    await t.dataSource.query(`UPDATE application SET status = 'draft' WHERE round_id = $1`, [round.id]);
    await t.dataSource.query(`UPDATE application SET answers = jsonb_build_object($2::text, $3::text) WHERE round_id = $1`, [round.id, question.id, SECRET]);
    await t.dataSource.query(`UPDATE application SET status = 'eligible' WHERE round_id = $1 AND reference IS NOT NULL`, [round.id]);
    apps = await t.dataSource.query(`SELECT id, reference FROM application WHERE round_id = $1 ORDER BY reference`, [round.id]);
    clock.set(AFTER_CLOSE);
    fm = await signIn(t, manager);
    me = await signIn(t, assessor);
  });
  afterAll(async () => {
    clock.set(null);
    await t.close();
  });

  async function post(agent: Agent, path: string, fields: Record<string, string | string[]>, csrfPath: string) {
    const page = await agent.get(csrfPath);
    expect(page.status).toBe(200);
    const p = new URLSearchParams({ _csrf: csrfFrom(page.text) });
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    return agent.post(path).type('form').send(p.toString());
  }

  it('takes an assessor from the list through the declaration, a draft with mistakes, and the submission; a fund manager moderates and reopens', async () => {
    // The fund manager assigns automatically from the ranking page: one assessor each.
    const rankingPath = `/staff/rounds/${round.id}/assessment`;
    const assigned = await post(fm, `/staff/rounds/${round.id}/assignments`, {}, rankingPath);
    expect([assigned.status, assigned.headers.location]).toEqual([303, expect.stringMatching(/done=assigned-2$/)]);
    const [{ id: assessmentId }] = await t.dataSource.query(`SELECT id FROM assessment WHERE assessor_id = $1`, [assessor.id]);
    if (!assessmentId) throw new Error('the automatic assignment gave this assessor nothing');
    const [{ application_id: appId }] = await t.dataSource.query(`SELECT application_id FROM assessment WHERE id = $1`, [assessmentId]);
    const path = `/staff/assessments/${assessmentId}`;

    // My assessments: the one assigned, waiting for the declaration; a bad sort is refused on the page.
    const list = await me.get('/staff/assessments').expect(200);
    expect(h1(list.text)).toBe('My assessments');
    expect(list.text).toContain(path);
    expect(list.text).toContain('Declare interests');
    const badSort = await me.get('/staff/assessments?sort=colour');
    expect(badSort.status).toBe(400);
    expect(errorSummary(badSort.text)).toMatch(/sort/);

    // Nothing of the application before the declaration.
    const before = await me.get(path).expect(200);
    expect(before.text).toContain('Do you have a conflict of interest with this application?');
    expect(before.text).not.toContain(SECRET);
    // Scores posted before the declaration (a crafted form) are refused on the page, not with an error page.
    const undeclared = await post(me, `${path}/scores`, { action: 'submit' }, path);
    expect([undeclared.status, errorSummary(undeclared.text)]).toEqual([409, expect.stringContaining('Declare whether you have a conflict of interest')]);
    expect(undeclared.text).toContain('href="#scores"');
    expect(undeclared.text).toContain('id="scores"');
    const none = await post(me, `${path}/declaration`, {}, path);
    expect([none.status, errorSummary(none.text)]).toEqual([400, expect.stringContaining('Select whether you have a conflict of interest')]);
    const noReason = await post(me, `${path}/declaration`, { conflict: 'yes', reason: ' ' }, path);
    expect([noReason.status, errorSummary(noReason.text)]).toEqual([400, expect.stringContaining('Say what your conflict of interest is')]);
    expect(noReason.text).toContain('href="#reason"');
    const declared = await post(me, `${path}/declaration`, { conflict: 'no' }, path);
    expect([declared.status, declared.headers.location]).toEqual([303, `${path}?saved=declared`]);
    const page = await me.get(`${path}?saved=declared`).expect(200);
    expect(page.text).toContain(SECRET);
    // The list shows the amount asked for only now.
    expect(list.text).toContain('Shown once you declare');
    const [{ amount_requested_pence: asked }] = await t.dataSource.query(`SELECT amount_requested_pence FROM application WHERE id = $1`, [appId]);
    const listed = await me.get('/staff/assessments').expect(200);
    expect(listed.text).toContain(`£${(Number(asked) / 100).toLocaleString('en-GB')}`);
    expect(listed.text).not.toContain('Shown once you declare');
    // The assessor's dashboard counts it as being scored and links to the list.
    const dashboard = await me.get('/staff').expect(200);
    expect(dashboard.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Being scored (not yet submitted): 1');
    expect(dashboard.text).toContain('href="/staff/assessments?status=in_progress"');

    // Another assessor cannot open it.
    const otherAgent = await signIn(t, other);
    expect((await otherAgent.get(path)).status).toBe(404);

    // A draft with mistakes: every problem at once, next to its criterion; nothing saved.
    const criteria: { id: string; name: string }[] = await t.dataSource.query(
      `SELECT id, name FROM assessment_criterion WHERE round_id = $1 ORDER BY position`,
      [round.id],
    );
    const [need, delivery] = criteria.map((c) => c.id);
    const wrong = await post(
      me,
      `${path}/scores`,
      {
        [`score-${need}`]: '4',
        [`comment-${need}`]: '',
        [`score-${delivery}`]: '11',
        recommendation: 'fund_in_part',
        recommendedAmount: 'lots',
        action: 'save',
      },
      path,
    );
    expect(wrong.status).toBe(400);
    const summary = errorSummary(wrong.text);
    expect(summary).toContain('Need: Explain a score of 4');
    expect(summary).toContain('Delivery: Enter a score from 1 to 10');
    expect(summary).toContain('Enter the amount you would fund in pounds');
    expect(wrong.text).toContain(`href="#comment-${need}"`);
    expect(wrong.text).toContain(`href="#score-${delivery}"`);
    // What was typed is kept.
    expect(wrong.text).toMatch(new RegExp(`id="score-${delivery}"[^>]*value="11"`));
    expect(await t.dataSource.query(`SELECT 1 FROM assessment_score WHERE assessment_id = $1`, [assessmentId])).toEqual([]);

    // A partial draft is saved; submitting it without a recommendation is refused.
    const draft = await post(
      me,
      `${path}/scores`,
      { [`score-${need}`]: '2', [`comment-${need}`]: 'Some evidence', [`score-${delivery}`]: '', action: 'save' },
      path,
    );
    expect([draft.status, draft.headers.location]).toEqual([303, `${path}?saved=draft`]);
    const back = await me.get(`${path}?saved=draft`).expect(200);
    expect(back.text).toMatch(new RegExp(`id="score-${need}"[^>]*value="2"`));
    const early = await post(me, `${path}/scores`, { [`score-${need}`]: '2', [`score-${delivery}`]: '', action: 'submit' }, path);
    expect(early.status).toBe(400);
    expect(errorSummary(early.text)).toContain('Enter a score for Delivery');
    expect(errorSummary(early.text)).toContain('Select your recommendation');

    const done = await post(
      me,
      `${path}/scores`,
      { [`score-${need}`]: '2', [`score-${delivery}`]: '7', recommendation: 'fund', comment: 'A strong bid', action: 'submit' },
      path,
    );
    expect([done.status, done.headers.location]).toEqual([303, `${path}?saved=submitted`]);
    const [row] = await t.dataSource.query(`SELECT status, recommendation, comment FROM assessment WHERE id = $1`, [assessmentId]);
    expect(row).toEqual({ status: 'submitted', recommendation: 'fund', comment: 'A strong bid' });
    // 3·2/4 + 7·6/9 = 1.5 + 4.6667 = 6.1667 of 10 → 61.67%.
    expect((await me.get(path).expect(200)).text).toContain('61.67%');

    // The fund manager: the ranking, the application's assessments, moderation and reopening.
    const ranking = await fm.get(rankingPath).expect(200);
    expect(ranking.text).toContain('61.67%');
    const rankingText = ranking.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(rankingText).toContain('1 of 2 assessments submitted');
    expect(rankingText).toContain('No application is waiting for moderation.');
    expect(rankingText).toMatch(/Calibration .* Test Person Close to the panel 1 61\.67% 61\.67% 0\.00/);
    const declarations = await fm.get(`/staff/rounds/${round.id}/declarations`).expect(200);
    expect(h1(declarations.text)).toBe('Declarations of interest');
    expect(declarations.text).toContain(assessor.email);
    expect(declarations.text).toContain('No conflict');
    expect((await fm.get(`/staff/rounds/${round.id}/declarations?sort=colour`)).status).toBe(400);
    const appPath = `/staff/applications/${appId}/assessments`;
    const appPage = await fm.get(appPath).expect(200);
    expect(appPage.text).toContain('A strong bid');
    // The staff application page links here.
    expect((await fm.get(`/staff/applications/${appId}`).expect(200)).text).toContain(`href="${appPath}"`);
    const badModeration = await post(fm, `/staff/applications/${appId}/moderation`, { scorePercent: '101', reason: '' }, appPath);
    expect(badModeration.status).toBe(400);
    expect(errorSummary(badModeration.text)).toContain('Enter the moderated score as a percentage from 0 to 100');
    expect(errorSummary(badModeration.text)).toContain('Give the reason for the moderated score');
    const moderated = await post(fm, `/staff/applications/${appId}/moderation`, { scorePercent: '72.5%', reason: 'Delivery evidence was strong' }, appPath);
    expect([moderated.status, moderated.headers.location]).toEqual([303, `${appPath}?done=moderated`]);
    const [mod] = await t.dataSource.query(`SELECT score_hundredths, reason FROM moderation WHERE application_id = $1`, [appId]);
    expect(mod).toEqual({ score_hundredths: 7250, reason: 'Delivery evidence was strong' });
    expect((await fm.get(rankingPath).expect(200)).text).toContain('72.50%');

    const reopenPath = `/staff/applications/${appId}/assessments/${assessmentId}/reopen`;
    const noWhy = await post(fm, reopenPath, { reason: '' }, appPath);
    expect([noWhy.status, errorSummary(noWhy.text)]).toEqual([400, expect.stringContaining('Say why the assessment is being reopened')]);
    expect(noWhy.text).toContain(`href="#reopen-${assessmentId}"`);
    // An assessment of another application cannot be reopened from this page.
    const [{ id: otherAssessment }] = await t.dataSource.query(`SELECT id FROM assessment WHERE application_id <> $1 AND round_id = $2`, [appId, round.id]);
    expect((await post(fm, `/staff/applications/${appId}/assessments/${otherAssessment}/reopen`, { reason: 'x' }, appPath)).status).toBe(404);
    const reopened = await post(fm, reopenPath, { reason: 'Score on need has no evidence' }, appPath);
    expect(reopened.status).toBe(303);
    expect((await t.dataSource.query(`SELECT status FROM assessment WHERE id = $1`, [assessmentId]))[0].status).toBe('in_progress');
  });

  it('lets each role see only its own assessment pages (every staff role, an applicant, nobody signed in)', async () => {
    const pages = {
      list: '/staff/assessments',
      ranking: `/staff/rounds/${round.id}/assessment`,
      declarations: `/staff/rounds/${round.id}/declarations`,
      application: `/staff/applications/${apps[0].id}/assessments`,
    };
    const seen: Record<string, Record<string, number>> = {};
    for (const role of [
      'assessor',
      'fund_manager',
      'finance_officer',
      'finance_approver',
      'commissioner',
      'admin',
      'auditor',
      'applicant',
      'anonymous',
    ] as const) {
      const agent = role === 'anonymous' ? request.agent(t.http) : await signIn(t, await createUser(t, role === 'applicant' ? [] : [role]));
      seen[role] = {};
      for (const [name, path] of Object.entries(pages)) seen[role][name] = (await agent.get(path)).status;
    }
    // Staff without the permission get 403; an applicant is not staff (403); nobody signed in is sent to sign in (303).
    const only = (allowed: number, others: number) => ({ list: allowed, ranking: others, declarations: others, application: others });
    const none = { list: 403, ranking: 403, declarations: 403, application: 403 };
    expect(seen).toEqual({
      assessor: only(200, 403),
      fund_manager: { list: 403, ranking: 200, declarations: 200, application: 200 },
      finance_officer: none,
      finance_approver: none,
      commissioner: none,
      admin: none,
      auditor: none,
      applicant: none,
      anonymous: { list: 303, ranking: 303, declarations: 303, application: 303 },
    });
  });

  it('keeps assessors out of the fund managers’ pages and others out of the assessors’', async () => {
    expect((await me.get(`/staff/rounds/${round.id}/assessment`)).status).toBe(403);
    expect((await me.get(`/staff/applications/${apps[0].id}/assessments`)).status).toBe(403);
    expect((await fm.get('/staff/assessments')).status).toBe(403);
    // The API agrees with the pages about the assessor's list.
    const api = await request(t.http).get('/api/v1/assessments').set(bearer(assessor.token)).expect(200);
    expect(api.body.total).toBeGreaterThan(0);
  });
});
