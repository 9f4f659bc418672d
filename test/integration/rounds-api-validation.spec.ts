import request from 'supertest';
import { VICTIMS_FUND_FORM } from '../../src/demo/demo-rounds';
import { csrfFrom, signIn } from '../support/identity';
import { bearer, createPublishedRound, roundBody, seedFunds, staffMember, type StaffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary } from './identity-support';

/*
 * Issue 7, finding 10 (funds): POST/PUT /api/v1/rounds took any JSON and checked few types, so a
 * number for a name, a string for a list, a fraction of a penny or two identical requests at once
 * reached the database and came back as 500s. Every case here was a 500 (or a silent 201) before
 * RoundInputDto; each must now be a 400 naming the field as a dotted path, or a 409 for the race.
 */

type Body = Record<string, unknown>;

const firstQuestion = (patch: Body): Body => ({
  sections: [
    {
      ...VICTIMS_FUND_FORM.sections[0],
      questions: [{ ...VICTIMS_FUND_FORM.sections[0].questions[0], ...patch }, ...VICTIMS_FUND_FORM.sections[0].questions.slice(1)],
    },
    ...VICTIMS_FUND_FORM.sections.slice(1),
  ],
});
const firstSection = (patch: Body): Body => ({ sections: [{ ...VICTIMS_FUND_FORM.sections[0], ...patch }, ...VICTIMS_FUND_FORM.sections.slice(1)] });
const HATE = { name: 'Victims of hate crime', amountPence: 50_000_00, category: 'hate_crime' };
const NEED = { name: 'Need', guidance: 'Evidence of need', weight: 3 };

/** [what, overrides to a valid body (undefined removes the field), the field the 400 must name]. */
const BAD_BODIES: [string, Body, string][] = [
  ['a number for the name', { name: 12345 }, 'name'],
  ['a list for the name', { name: ['Victims Fund'] }, 'name'],
  ['a name of 5,000 characters', { name: 'V'.repeat(5000) }, 'name'],
  ['a line break in the name', { name: 'Victims Fund\r\nhttps://evil.example' }, 'name'],
  ['a text-direction override in a ring-fence name', { ringFences: [{ ...HATE, name: 'Hate \u202Eemirc' }] }, 'ringFences.0.name'],
  ['a tab in a section title', { form: firstSection({ title: 'About\tyour project' }) }, 'form.sections.0.title'],
  ['a number for the summary', { summary: 42 }, 'summary'],
  ['an object for the guidance', { guidance: { text: 'x' } }, 'guidance'],
  ['guidance of 200,000 characters', { guidance: 'g'.repeat(200_000) }, 'guidance'],
  ['a number for the reference prefix', { referencePrefix: 7 }, 'referencePrefix'],
  ['no programmeId', { programmeId: undefined }, 'programmeId'],
  ['a programmeId that is not a UUID', { programmeId: '------------------------------------' }, 'programmeId'],
  ['a number for the opening time', { opensAt: 1_700_000_000_000 }, 'opensAt'],
  ['31 February', { opensAt: '2027-02-31T09:00:00Z' }, 'opensAt'],
  ['a time without a time zone', { closesAt: '2027-01-17T23:59:00' }, 'closesAt'],
  ['a date in the year 275760', { closesAt: '+275760-09-13T00:00:00Z' }, 'closesAt'],
  ['a fraction of a penny', { totalBudgetPence: 200_000_00.5 }, 'totalBudgetPence'],
  ['a budget beyond any safe integer', { totalBudgetPence: 1e300 }, 'totalBudgetPence'],
  ['pence as a string', { minGrantPence: '100000' }, 'minGrantPence'],
  ['null pence', { maxGrantPence: null }, 'maxGrantPence'],
  ['a string for the ring-fences', { ringFences: 'hate_crime' }, 'ringFences'],
  ['a number in the ring-fences', { ringFences: [1] }, 'ringFences.0'],
  ['a number for a ring-fence name', { ringFences: [{ ...HATE, name: 7 }] }, 'ringFences.0.name'],
  ['a fractional ring-fence', { ringFences: [{ ...HATE, amountPence: 0.5 }] }, 'ringFences.0.amountPence'],
  ['a ring-fence of 10^20 pence', { ringFences: [{ ...HATE, amountPence: 1e20 }] }, 'ringFences.0.amountPence'],
  [
    'the same ring-fence category twice',
    {
      ringFences: [
        { ...HATE, amountPence: 1_000_00 },
        { ...HATE, name: 'Again', amountPence: 1_000_00 },
      ],
    },
    'ringFences.1.category',
  ],
  ['an object for the criteria', { criteria: { name: 'Need' } }, 'criteria'],
  ['a weight of 10^10', { criteria: [{ ...NEED, weight: 1e10 }] }, 'criteria.0.weight'],
  ['a fractional weight', { criteria: [{ ...NEED, weight: 2.5 }] }, 'criteria.0.weight'],
  ['a scale to 10^12', { criteria: [{ ...NEED, scaleMax: 1e12 }] }, 'criteria.0.scaleMax'],
  ['a string for the categories', { categories: 'hate_crime' }, 'categories'],
  ['a number for a category code', { categories: [{ code: 5, name: 'Five' }] }, 'categories.0.code'],
  ['a string for an array column', { eligibleOrgTypes: 'cio' }, 'eligibleOrgTypes'],
  ['numbers for organisation types', { eligibleOrgTypes: [1, 2] }, 'eligibleOrgTypes'],
  ['an unknown organisation type', { eligibleOrgTypes: ['pirate_ship'] }, 'eligibleOrgTypes'],
  ['a string for the areas', { eligibleAreas: 'E08000025' }, 'eligibleAreas'],
  ['assessors as a string', { assessorsPerApplication: '2' }, 'assessorsPerApplication'],
  ['a moderation threshold of 10^12', { moderationThreshold: 1e12 }, 'moderationThreshold'],
  ['a fractional reminder', { reminderHoursBefore: 1.5 }, 'reminderHoursBefore'],
  ['a string for the form', { form: 'my form' }, 'form'],
  ['a string for the sections', { form: { sections: 'one' } }, 'form.sections'],
  ['a number for a section title', { form: firstSection({ title: 5 }) }, 'form.sections.0.title'],
  ['a string for a section’s questions', { form: firstSection({ questions: 'q' }) }, 'form.sections.0.questions'],
  ['an unknown question type', { form: firstQuestion({ type: 'colour_picker' }) }, 'form.sections.0.questions.0.type'],
  ['a number for a question label', { form: firstQuestion({ label: 123 }) }, 'form.sections.0.questions.0.label'],
  ['a string for a question’s required flag', { form: firstQuestion({ required: 'yes' }) }, 'form.sections.0.questions.0.required'],
  ['a string for a question’s options', { form: firstQuestion({ options: 'a,b' }) }, 'form.sections.0.questions.0.options'],
  ['a word limit of 10^12', { form: firstQuestion({ wordLimit: 1e12 }) }, 'form.sections.0.questions.0.wordLimit'],
  ['an unknown field on the round', { colour: 'purple' }, 'colour'],
  ['an unknown field on a ring-fence', { ringFences: [{ ...HATE, colour: 'purple' }] }, 'ringFences.0.colour'],
  ['an unknown field on a category', { categories: [{ code: 'hate_crime', name: 'Hate crime', colour: 'purple' }] }, 'categories.0.colour'],
  ['an unknown field on a question', { form: firstQuestion({ colour: 'purple' }) }, 'form.sections.0.questions.0.colour'],
  ['payment shares adding up to 90%', { paymentSchedule: [{ percent: 90, trigger: 'acceptance' }] }, 'paymentSchedule'],
  [
    'a monitoring report without its months',
    {
      paymentSchedule: [
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report' },
      ],
    },
    'paymentSchedule.1.reportMonths',
  ],
  ['an unknown payment trigger', { paymentSchedule: [{ percent: 100, trigger: 'whenever' }] }, 'paymentSchedule.0.trigger'],
  [
    'a fractional payment share',
    {
      paymentSchedule: [
        { percent: 99.5, trigger: 'acceptance' },
        { percent: 0.5, trigger: 'acceptance' },
      ],
    },
    'paymentSchedule.0.percent',
  ],
  ['an offer period of 0 days', { offerPeriodDays: 0 }, 'offerPeriodDays'],
];

describe('rounds API: typed input (issue 7, finding 10)', () => {
  let t: TestApp;
  let manager: StaffMember;
  let programmeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    programmeId = (await seedFunds(t)).VF;
    manager = await staffMember(t, 'fund_manager');
  });
  afterAll(() => t?.close());

  const post = (body: unknown) =>
    request(t.http)
      .post('/api/v1/rounds')
      .set(bearer(manager.token))
      .send(body as object);
  const put = (id: string, body: unknown) =>
    request(t.http)
      .put(`/api/v1/rounds/${id}`)
      .set(bearer(manager.token))
      .send(body as object);

  const withOverrides = (overrides: Body): Body => {
    const body = roundBody(programmeId, overrides);
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete body[k];
    return body;
  };

  /** A 400 `validation_failed` whose details name `field` exactly. */
  function expectFieldError(res: request.Response, field: string) {
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'validation_failed' });
    const fields = (res.body.details as { field: string; rule: string; message: string }[]).map((d) => d.field);
    expect(fields).toContain(field);
    for (const d of res.body.details) {
      expect(typeof d.rule).toBe('string');
      expect(d.message.length).toBeGreaterThan(0);
    }
  }

  it.each(BAD_BODIES)('POST refuses %s with a 400 naming the field', async (_what, overrides, field) => {
    const res = await post(withOverrides(overrides));
    expectFieldError(res, field);
  });

  describe('PUT', () => {
    let draftId: string;
    beforeAll(async () => {
      const created = await post(roundBody(programmeId));
      expect(created.status).toBe(201);
      draftId = created.body.id;
    });

    it.each(BAD_BODIES)('refuses %s with a 400 naming the field', async (_what, overrides, field) => {
      const res = await put(draftId, withOverrides(overrides));
      expectFieldError(res, field);
    });

    it('still replaces a draft round’s settings, nested lists included', async () => {
      const body = roundBody(programmeId, {
        name: 'Victims Fund replaced',
        referencePrefix: 'VFREP',
        eligibleOrgTypes: ['cio', 'registered_charity'],
        eligibleAreas: ['E08000025'],
        ringFences: [{ name: 'Domestic abuse', amountPence: 20_000_00, category: 'domestic_abuse' }],
        criteria: [{ name: 'Need', weight: 2, scaleMin: 1, scaleMax: 4 }],
      });
      const res = await put(draftId, body);
      expect(res.body.details ?? []).toEqual([]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: draftId,
        name: 'Victims Fund replaced',
        referencePrefix: 'VFREP',
        status: 'draft',
        eligibleOrgTypes: ['cio', 'registered_charity'],
        ringFences: [{ name: 'Domestic abuse', amountPence: 20_000_00, category: 'domestic_abuse' }],
        criteria: [{ name: 'Need', guidance: '', weight: 2, scaleMin: 1, scaleMax: 4 }],
      });
    });
  });

  it('creates a valid round and answers with the documented shape', async () => {
    const body = roundBody(programmeId, { eligibleAreas: ['E08000025', 'E08000026'] });
    const res = await post(body);
    expect(res.body.details ?? []).toEqual([]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: body.name,
      referencePrefix: body.referencePrefix,
      programme: { id: programmeId, code: 'VF' },
      status: 'draft',
      opensAt: '2027-01-04T09:00:00.000Z',
      closesAt: '2027-01-17T23:59:00.000Z',
      totalBudgetPence: 200_000_00,
      eligibleAreas: ['E08000025', 'E08000026'],
      ringFences: [HATE],
    });
    expect(res.body.criteria).toHaveLength(4);
    expect(res.body.form.sections).toHaveLength(VICTIMS_FUND_FORM.sections.length);
  });

  it('refuses a body that is not a JSON object', async () => {
    const text = await request(t.http)
      .post('/api/v1/rounds')
      .set(bearer(manager.token))
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(roundBody(programmeId)));
    expectFieldError(text, 'programmeId');
    const list = await post([roundBody(programmeId)]);
    expect(list.status).toBe(400);
    expect(list.body.error).toBe('validation_failed');
  });

  it('refuses an area that does not exist and a programme that does not exist', async () => {
    expectFieldError(await post(roundBody(programmeId, { eligibleAreas: ['E08999999'] })), 'eligibleAreas.0');
    expectFieldError(await post(roundBody('3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f')), 'programmeId');
  });

  it('says which name or prefix is taken with 409 funds.round_exists', async () => {
    const body = roundBody(programmeId);
    expect((await post(body)).status).toBe(201);
    const again = await post({ ...body, referencePrefix: `${String(body.referencePrefix).slice(0, 8)}Z` });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('funds.round_exists');
    expect(again.body.details).toEqual([expect.objectContaining({ field: 'name', rule: 'unique' })]);
    const prefix = await post({ ...body, name: `${String(body.name)} again`, referencePrefix: String(body.referencePrefix).toLowerCase() });
    expect(prefix.status).toBe(409);
    expect(prefix.body.details).toEqual([expect.objectContaining({ field: 'referencePrefix', rule: 'unique' })]);
  });

  it('gives one 201 and 409s, never a 500, for identical requests at the same moment', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const body = roundBody(programmeId);
      const results = await Promise.all(Array.from({ length: 4 }, () => post(body)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.error).toBe('funds.round_exists');
        expect(['name', 'referencePrefix']).toContain(r.body.details[0].field);
      }
      const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM funding_round WHERE name = $1`, [body.name]);
      expect(rows[0].n).toBe(1);
    }
  });

  describe('GET /api/v1/rounds filter', () => {
    it.each([
      ['a repeated status', '?status=open&status=closed'],
      ['an unknown status', '?status=bogus'],
      ['draft, which is never public', '?status=draft'],
      ['an unknown parameter', '?colour=purple'],
    ])('refuses %s with a 400', async (_what, query) => {
      const res = await request(t.http).get(`/api/v1/rounds${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details[0].field).toBe(query.includes('colour') ? 'colour' : 'status');
    });

    it('filters by a known status', async () => {
      const res = await request(t.http).get('/api/v1/rounds?status=upcoming');
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.items)).toBe(true);
    });
  });

  describe('pages', () => {
    it('the public round page answers repeated and absurd checker values without a 500', async () => {
      const round = await createPublishedRound(t, manager, roundBody(programmeId));
      for (const query of [
        'organisationType=cio&organisationType=cic&area=E08000025&area=outside&amount=1&amount=2',
        `organisationType=cio&area=E08000025&amount=${'9'.repeat(29)}`,
        'organisationType[a]=1&area[]=x&amount[b]=2',
        `organisationType=${'x'.repeat(5000)}&area=outside&amount=%C2%A3${'1,000'.repeat(5)}`,
      ]) {
        const res = await request(t.http).get(`/funds/${round.id}?${query}`);
        expect([200, 400]).toContain(res.status);
      }
      // An object's inherited names are not organisation types.
      const inherited = await request(t.http).get(`/funds/${round.id}?organisationType=constructor&area=outside&amount=`);
      expect(inherited.status).toBe(200);
      expect(errorSummary(inherited.text)).toContain('Select your type of organisation');
    });

    it('the staff round form refuses a form definition of the wrong types without a 500', async () => {
      const agent = await signIn(t, manager);
      const page = await agent.get('/staff/rounds/new').expect(200);
      const fields: Record<string, string> = {
        _csrf: csrfFrom(page.text),
        programmeId,
        name: 'Page round',
        referencePrefix: 'PAGE1',
        summary: 'A round made on the page',
        'opensAt-day': '4',
        'opensAt-month': '1',
        'opensAt-year': '2027',
        opensAtTime: '09:00',
        'closesAt-day': '17',
        'closesAt-month': '1',
        'closesAt-year': '2027',
        closesAtTime: '23:59',
        totalBudget: '200,000',
        minGrant: '1,000',
        maxGrant: '20,000',
        categories: 'hate_crime | Victims of hate crime',
        ringFences: 'Hate crime | £5,000 | hate_crime\nHate crime again | £5,000 | hate_crime',
        criteria: `Need | ${'9'.repeat(15)} | 0-5 | Evidence`,
        assessorsPerApplication: '2',
        moderationThreshold: '99999999999',
        reminderHoursBefore: '48',
        form: JSON.stringify({
          sections: [{ id: 'a', title: 5, colour: 'red', questions: [null, { id: 'amountRequested', type: 'money', label: ['x'], required: 'yes' }] }, 7],
        }),
      };
      const res = await agent.post('/staff/rounds/new').type('form').send(new URLSearchParams(fields).toString());
      expect(res.status).toBe(400);
      const summary = errorSummary(res.text);
      expect(summary).toContain('Application form');
      expect(summary).toContain('Ring-fences, line 2');
      expect(summary).toContain('Assessment criteria, line 1');
    });
  });
});
