import request from 'supertest';
import { bearer, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 11's decision records from draft to the public register, through the API and the public
 * pages: submitted by a fund manager, approved or rejected by the Commissioner (never one's own),
 * published; the register lists published and rejected decisions newest first by year; and no
 * confidential decision's content appears in any public page or response.
 */
const SECRET = 'Six armoured vehicles from the sole supplier at a cost of £1.2 million';

describe('decision records and the public register (issue 11)', () => {
  let t: TestApp;
  let manager: Awaited<ReturnType<typeof staffMember>>;
  let commissioner: Awaited<ReturnType<typeof staffMember>>;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await staffMember(t, 'fund_manager');
    commissioner = await staffMember(t, 'commissioner');
  });
  afterAll(() => t.close());

  const as = (who: { token: string }) => ({
    post: (path: string, body: object = {}) => request(t.http).post(`/api/v1/decisions${path}`).set(bearer(who.token)).send(body),
  });

  async function decided(body: object, outcome: 'approve' | 'reject' | 'publish') {
    const drafted = await as(manager).post('', body).expect(201);
    await as(manager).post(`/${drafted.body.id}/submit`).expect(200);
    if (outcome === 'reject') await as(commissioner).post(`/${drafted.body.id}/reject`, { reason: 'Not value for money' }).expect(200);
    else await as(commissioner).post(`/${drafted.body.id}/approve`).expect(200);
    if (outcome === 'publish') await as(commissioner).post(`/${drafted.body.id}/publish`).expect(200);
    return drafted.body as { id: string; number: string };
  }

  it('takes a decision from draft to the register, in order, and refuses steps out of turn', async () => {
    const victims = await decided({ title: 'Victims Services', summary: 'Awards from Victims Fund 7.\nSee the annex.' }, 'publish');
    const vehicles = await decided(
      { title: 'Vehicles', summary: SECRET, confidential: true, confidentialSubject: 'the emergency purchase of vehicles' },
      'publish',
    );
    const rejected = await decided({ title: 'A rejected proposal', summary: 'Not approved' }, 'reject');
    const approvedOnly = await decided({ title: 'Approved, not yet published', summary: 'Waiting' }, 'approve');
    const withdrawnDraft = (await as(manager).post('', { title: 'A withdrawn proposal', summary: 'Superseded' }).expect(201)).body;
    expect((await as(manager).post(`/${withdrawnDraft.id}/withdraw`, { reason: '' })).body.details[0].field).toBe('reason');
    await as(manager).post(`/${withdrawnDraft.id}/withdraw`, { reason: 'Superseded by a later decision' }).expect(200);
    expect((await as(manager).post(`/${withdrawnDraft.id}/submit`)).body.error).toBe('decisions.wrong_state');

    const register = await request(t.http).get('/api/v1/decisions').expect(200);
    expect(register.body.items.map((i: { number: string }) => i.number)).toEqual([withdrawnDraft.number, rejected.number, vehicles.number, victims.number]);
    expect(register.body.items[0]).toMatchObject({ status: 'withdrawn', title: 'A withdrawn proposal', date: null });
    register.body.items.shift();
    expect(register.body.items[0]).toMatchObject({ status: 'rejected', title: 'A rejected proposal' });
    expect(register.body.items[1]).toMatchObject({ confidential: true, summary: null, relatesTo: 'the emergency purchase of vehicles', title: 'Vehicles' });
    expect((await request(t.http).get(`/api/v1/decisions/${approvedOnly.number}`)).status).toBe(404);
    expect((await request(t.http).get('/api/v1/decisions/16-2020')).body.details[0]).toMatchObject({ field: 'number', rule: 'decisionNumber' });
    const year = Number(victims.number.slice(-4));
    expect(
      (
        await request(t.http)
          .get(`/api/v1/decisions?year=${year - 1}`)
          .expect(200)
      ).body.total,
    ).toBe(0);

    // Out of turn: publishing a draft, approving twice, a commissioner approving their own draft, a fund manager approving.
    const draft = (await as(manager).post('', { title: 'T', summary: 'S' }).expect(201)).body;
    expect((await as(commissioner).post(`/${draft.id}/publish`)).body.error).toBe('decisions.wrong_state');
    expect((await as(commissioner).post(`/${victims.id}/approve`)).body.error).toBe('decisions.wrong_state');
    expect((await as(manager).post(`/${draft.id}/approve`)).status).toBe(403);
    await as(manager).post(`/${draft.id}/submit`).expect(200);
    expect((await as(commissioner).post(`/${draft.id}/reject`, { reason: ' ' })).body.details[0].field).toBe('reason');
  });

  it('stops a commissioner approving a decision they drafted themselves', async () => {
    // Someone with both roles drafts; the service refuses them the approval.
    const both = await staffMember(t, 'fund_manager');
    await t.dataSource.query(`UPDATE user_account SET roles = '{fund_manager,commissioner}' WHERE id = $1`, [both.id]);
    const own = (await as(both).post('', { title: 'Own', summary: 'S' }).expect(201)).body;
    await as(both).post(`/${own.id}/submit`).expect(200);
    const refused = await as(both).post(`/${own.id}/approve`);
    expect([refused.status, refused.body.error]).toEqual([403, 'decisions.own_decision']);
  });

  it('shows no confidential content on any public page or in any public response', async () => {
    const pages = ['/decisions', '/api/v1/decisions', '/api/v1/decisions?limit=200'];
    const register = (await request(t.http).get('/api/v1/decisions?limit=200').expect(200)).body.items as { number: string }[];
    for (const d of register) pages.push(`/decisions/${d.number}`, `/api/v1/decisions/${d.number}`);
    for (const path of pages) {
      const res = await request(t.http).get(path).expect(200);
      expect(`${path}: ${res.text}`).not.toContain('armoured');
      expect(res.text).not.toContain(SECRET);
    }
    const page = await request(t.http).get('/decisions').expect(200);
    expect(page.text).toContain('is a confidential decision and relates to the emergency purchase of vehicles');
  });
});
