import { uniqueEmail } from '@pcc/testing';
import { toLondonLocal } from '@pcc/london-time';
import { seedDemoData } from '../../src/demo/seed';
import { VICTIMS_FUND_FORM } from '../../src/demo/demo-rounds';
import { ApplicationsService } from '../../src/modules/applications/applications.service';
import { csvCell } from '../../src/platform/web/csv';
import { OrganisationType } from '../../src/modules/identity/entities/organisation.entity';
import { OrganisationsService } from '../../src/modules/identity/organisations.service';
import { toPrincipal, UsersService } from '../../src/modules/identity/users.service';
import request from 'supertest';
import { createUser, csrfFrom, signIn, tokenFor, type TestUser } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { errorSummary, h1 } from './identity-support';
import { parseCsv } from '../support/csv';

/*
 * The fund managers' round pages and the staff applications list and CSV, driven over HTTP the way
 * a browser without JavaScript would: GOV.UK forms posted as application/x-www-form-urlencoded.
 */

type Agent = Awaited<ReturnType<typeof signIn>>;
type FormFields = Record<string, string | string[]>;

/** A urlencoded body with repeated keys for lists, as a browser sends ticked checkboxes. */
function encode(fields: FormFields): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

/** A copy of `o` without the named keys (read-only fields of a GET, before a PUT). */
function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('staff round pages', () => {
  let t: TestApp;
  let manager: TestUser;
  let agent: Agent;
  let vfProgrammeId: string;
  let vf7: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app);
    manager = await createUser(t, ['fund_manager']);
    agent = await signIn(t, manager);
    [{ id: vfProgrammeId }] = await t.dataSource.query(`SELECT id FROM fund_programme WHERE code = 'VF'`);
    [vf7] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 7'`);
  });
  afterAll(() => t?.close());

  async function csrf(path: string): Promise<string> {
    const page = await agent.get(path);
    expect(page.status).toBe(200);
    return csrfFrom(page.text);
  }

  function roundFields(overrides: FormFields = {}): FormFields {
    return {
      programmeId: vfProgrammeId,
      name: 'Victims Fund 8',
      referencePrefix: 'VF8',
      summary: 'Grants for groups that help victims of crime.',
      guidance: 'First paragraph.\r\n\r\nSecond paragraph.',
      'opensAt-day': '20',
      'opensAt-month': '3',
      'opensAt-year': '2027',
      opensAtTime: '09:00',
      'closesAt-day': '2',
      'closesAt-month': '4',
      'closesAt-year': '2027',
      closesAtTime: '23:59',
      totalBudget: '£50,000',
      minGrant: '500',
      maxGrant: '5,000.50',
      eligibleOrgTypes: ['registered_charity', 'cio'],
      eligibleAreas: ['E08000025', 'E08000026'],
      categories: 'hate_crime | Victims of hate crime\r\ndomestic_abuse | Domestic abuse',
      ringFences: 'Hate crime | £5,000 | hate_crime',
      criteria: 'Need | 3 | 0-5 | Evidence of need\r\nDeliverability | 2 | 1-4 | A realistic plan',
      assessorsPerApplication: '2',
      moderationThreshold: '8',
      reminderHoursBefore: '72',
      form: JSON.stringify(VICTIMS_FUND_FORM, null, 2),
      ...overrides,
    };
  }

  async function postForm(path: string, fields: FormFields, csrfPath = path) {
    return agent
      .post(path)
      .type('form')
      .send(encode({ _csrf: await csrf(csrfPath), ...fields }));
  }

  it('takes the offer settings and the payment schedule from the form (issues 11 and 12)', async () => {
    const res = await postForm(
      '/staff/rounds/new',
      roundFields({
        name: 'Victims Fund offers',
        referencePrefix: 'VFO',
        offerPeriodDays: '21',
        grantConditions: 'Use it for the project.\r\n\r\nReport at six months.',
        paymentSchedule: 'half_on_report',
      }),
      '/staff/rounds/new',
    );
    expect([res.status, errorSummary(res.text)]).toEqual([303, '']);
    const id = /^\/staff\/rounds\/([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const [row] = await t.dataSource.query(`SELECT offer_period_days, grant_conditions, payment_schedule FROM funding_round WHERE id = $1`, [id]);
    expect(row).toEqual({
      offer_period_days: 21,
      grant_conditions: 'Use it for the project.\r\n\r\nReport at six months.',
      payment_schedule: [
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report', reportMonths: 6 },
      ],
    });
    const form = await agent.get(`/staff/rounds/${id}/edit`).expect(200);
    expect(form.text).toMatch(/value="half_on_report" checked/);
    expect(form.text).toContain('value="21"');
    const tooLong = await postForm(
      `/staff/rounds/${id}/edit`,
      roundFields({ name: 'Victims Fund offers', referencePrefix: 'VFO', offerPeriodDays: '91' }),
      `/staff/rounds/${id}/edit`,
    );
    expect([tooLong.status, errorSummary(tooLong.text)]).toEqual([400, expect.stringContaining('offer')]);
  });

  it('creates a round through the form, storing London times either side of the change to BST in UTC', async () => {
    const page = await agent.get('/staff/rounds/new').expect(200);
    expect(h1(page.text)).toBe('Create a funding round');
    // New rounds start from the Victims Fund form.
    expect(page.text).toContain('amountRequested');
    expect(page.text).toContain('London time');
    expect(page.text).toMatch(/closing minute is included/);

    const res = await postForm('/staff/rounds/new', roundFields(), '/staff/rounds/new');
    expect(errorSummary(res.text)).toBe('');
    expect(res.status).toBe(303);
    const id = /^\/staff\/rounds\/([0-9a-f-]{36})\?saved=created$/.exec(res.headers.location)![1];

    const [row] = await t.dataSource.query(
      `SELECT opens_at, closes_at, total_budget_pence, min_grant_pence, max_grant_pence, eligible_org_types, eligible_areas, categories, reference_prefix, state,
              assessors_per_application, moderation_threshold, reminder_hours_before, guidance FROM funding_round WHERE id = $1`,
      [id],
    );
    // 20 March is GMT (UTC+0); 2 April is BST (UTC+1), so 23:59 London is 22:59 UTC.
    expect(row.opens_at.toISOString()).toBe('2027-03-20T09:00:00.000Z');
    expect(row.closes_at.toISOString()).toBe('2027-04-02T22:59:00.000Z');
    expect(row).toMatchObject({
      total_budget_pence: '5000000',
      min_grant_pence: '50000',
      max_grant_pence: '500050',
      eligible_org_types: ['registered_charity', 'cio'],
      eligible_areas: ['E08000025', 'E08000026'],
      categories: [
        { code: 'hate_crime', name: 'Victims of hate crime' },
        { code: 'domestic_abuse', name: 'Domestic abuse' },
      ],
      reference_prefix: 'VF8',
      state: 'draft',
      assessors_per_application: 2,
      moderation_threshold: 8,
      reminder_hours_before: 72,
    });
    expect(await t.dataSource.query(`SELECT name, amount_pence, category FROM ring_fence WHERE round_id = $1`, [id])).toEqual([
      { name: 'Hate crime', amount_pence: '500000', category: 'hate_crime' },
    ]);
    expect(
      await t.dataSource.query(`SELECT name, weight, scale_min, scale_max, guidance FROM assessment_criterion WHERE round_id = $1 ORDER BY position`, [id]),
    ).toEqual([
      { name: 'Need', weight: 3, scale_min: 0, scale_max: 5, guidance: 'Evidence of need' },
      { name: 'Deliverability', weight: 2, scale_min: 1, scale_max: 4, guidance: 'A realistic plan' },
    ]);

    // Shown back in London time, and the edit form reads back what was typed.
    const summary = await agent.get(`/staff/rounds/${id}?saved=created`).expect(200);
    expect(summary.text).toContain('9am on Saturday 20 March 2027');
    expect(summary.text).toContain('11:59pm on Friday 2 April 2027');
    expect(summary.text).toContain('Round created as a draft');
    const edit = await agent.get(`/staff/rounds/${id}/edit`).expect(200);
    expect(edit.text).toMatch(/name="closesAtTime" type="text" value="23:59"|id="closesAtTime" name="closesAtTime"[^>]*value="23:59"/);
    expect(edit.text).toContain('value="5,000.50"');
    expect(edit.text).toContain('Hate crime | £5,000 | hate_crime');
    expect(edit.text).toContain('name="formMode" value="full"');

    // The list shows it as a draft with its London times.
    const list = await agent.get('/staff/rounds').expect(200);
    expect(list.text).toContain('Victims Fund 8');
    expect(list.text).toContain('11:59pm on Friday 2 April 2027');

    // Autumn: 31 October 2027 is the day BST ends; 09:00 that morning is GMT.
    const autumn = await postForm(
      `/staff/rounds/${id}/edit`,
      roundFields({ 'closesAt-day': '31', 'closesAt-month': '10', closesAtTime: '09:00', 'opensAt-day': '30', 'opensAt-month': '10', opensAtTime: '09:00' }),
      `/staff/rounds/${id}/edit`,
    );
    expect(autumn.status).toBe(303);
    const [after] = await t.dataSource.query(`SELECT opens_at, closes_at FROM funding_round WHERE id = $1`, [id]);
    expect(after.opens_at.toISOString()).toBe('2027-10-30T08:00:00.000Z');
    expect(after.closes_at.toISOString()).toBe('2027-10-31T09:00:00.000Z');
  });

  it('sets when scores are due (optional), keeps it after the close, and takes it away when the date is emptied', async () => {
    const scoresDue = { 'scoringClosesAt-day': '16', 'scoringClosesAt-month': '4', 'scoringClosesAt-year': '2027', scoringClosesAtTime: '17:00' };
    const res = await postForm('/staff/rounds/new', roundFields({ name: 'Scores due round', referencePrefix: 'SDR', ...scoresDue }), '/staff/rounds/new');
    expect(errorSummary(res.text)).toBe('');
    const id = /^\/staff\/rounds\/([0-9a-f-]{36})/.exec(res.headers.location)![1];
    const due = async () => (await t.dataSource.query(`SELECT scoring_closes_at FROM funding_round WHERE id = $1`, [id]))[0].scoring_closes_at;
    // 16 April 2027 is BST: 17:00 London is 16:00 UTC.
    expect((await due()).toISOString()).toBe('2027-04-16T16:00:00.000Z');
    expect((await agent.get(`/staff/rounds/${id}`).expect(200)).text).toContain('16 April 2027');

    // Before the close on the form: refused next to the field.
    const early = await postForm(
      `/staff/rounds/${id}/edit`,
      roundFields({ name: 'Scores due round', referencePrefix: 'SDR', ...scoresDue, 'scoringClosesAt-day': '1' }),
    );
    expect(early.status).toBe(400);
    expect(errorSummary(early.text)).toContain('Scores must be due after the round closes');
    expect(early.text).toContain('href="#scoringClosesAt-day"');

    // Through the API, a deadline left out is kept, so moving the close past it is refused.
    const token = await tokenFor(t, manager);
    const got = (await request(t.http).get(`/api/v1/rounds/${id}`).auth(token, { type: 'bearer' }).expect(200)).body;
    const settings = omit(got, ['id', 'programme', 'status', 'closesAtLondon', 'criteriaFrozen', 'scoringClosesAt']);
    const { programme } = got;
    settings.criteria = got.criteria.map((c: Record<string, unknown>) => omit(c, ['id']));
    const put = (body: object) =>
      request(t.http)
        .put(`/api/v1/rounds/${id}`)
        .auth(token, { type: 'bearer' })
        .send({ ...settings, programmeId: programme.id, ...body });
    const late = await put({ closesAt: '2027-04-20T22:59:00Z' });
    expect([late.status, late.body.details?.[0]]).toEqual([400, expect.objectContaining({ field: 'closesAt', rule: 'beforeScoringCloses' })]);
    // null, as GET shows a round without one, takes the deadline away.
    await put({ scoringClosesAt: null }).expect(200);
    expect(await due()).toBeNull();

    // On the form an empty date is no deadline, whatever the time says.
    expect((await postForm(`/staff/rounds/${id}/edit`, roundFields({ name: 'Scores due round', referencePrefix: 'SDR', ...scoresDue }))).status).toBe(303);
    expect(await due()).not.toBeNull();
    const cleared = await postForm(
      `/staff/rounds/${id}/edit`,
      roundFields({
        name: 'Scores due round',
        referencePrefix: 'SDR',
        scoringClosesAtTime: '17:00',
        'scoringClosesAt-day': '',
        'scoringClosesAt-month': '',
        'scoringClosesAt-year': '',
      }),
    );
    expect(errorSummary(cleared.text)).toBe('');
    expect(await due()).toBeNull();
  });

  it('refuses a time that never happens in London, and shows every validation problem with the typed values kept', async () => {
    const gap = await postForm(
      '/staff/rounds/new',
      roundFields({ name: 'Gap round', referencePrefix: 'GAP1', 'opensAt-day': '28', 'opensAt-month': '3', opensAtTime: '01:30' }),
      '/staff/rounds/new',
    );
    expect(gap.status).toBe(400);
    expect(errorSummary(gap.text)).toContain('does not exist in London');
    expect(gap.text).toContain('href="#opensAtTime"');

    const empty = await postForm('/staff/rounds/new', { form: '{ not json', referencePrefix: 'Q!', totalBudget: 'lots' }, '/staff/rounds/new');
    expect(empty.status).toBe(400);
    const problems = errorSummary(empty.text);
    // The form's own reading problems and the service's rules, all at once, in page order.
    const messages = [
      'Select a fund programme',
      'Enter a name for the round',
      'Enter a reference prefix of up to 10 letters and digits',
      'Enter a summary of the round',
      'Enter the date the round opens',
      'Enter the time the round closes',
      'Enter the total budget in pounds',
      'The round needs at least one application category',
      'Application form: the JSON is not valid',
    ];
    let at = -1;
    for (const message of messages) {
      expect(problems).toContain(message);
      expect(problems.indexOf(message)).toBeGreaterThan(at);
      at = problems.indexOf(message);
    }
    // Nothing about pence or the unreadable fields twice.
    expect(problems).not.toContain('pence');
    expect(problems).not.toContain('Enter when the round opens');
    expect(empty.text).toContain('<title>Error: Create a funding round');
    expect(empty.text).toContain('value="lots"');
    expect(empty.text).toContain('{ not json</textarea>');

    // Problems only the service knows about, each listed, each line named.
    const service = await postForm(
      '/staff/rounds/new',
      roundFields({
        name: 'Victims Fund 7',
        referencePrefix: 'VF9',
        maxGrant: '60,000',
        ringFences: 'Unknown | £1,000 | no_such\r\nBad | £1 | hate_crime\r\nBroken line',
      }),
      '/staff/rounds/new',
    );
    expect(service.status).toBe(400);
    expect(errorSummary(service.text)).toContain('Ring-fences, line 3');
    const fixedLines = await postForm(
      '/staff/rounds/new',
      roundFields({ name: 'Victims Fund 7', referencePrefix: 'VF9', maxGrant: '60,000', ringFences: 'Unknown | £1,000 | no_such\r\nAlso unknown | £1 | nope' }),
      '/staff/rounds/new',
    );
    expect(fixedLines.status).toBe(400);
    const text = errorSummary(fixedLines.text);
    expect(text).toContain('The largest grant cannot be more than the budget');
    expect(text).toContain('Ring-fences, line 1: A ring-fence must name one of the round’s categories');
    expect(text).toContain('Ring-fences, line 2: A ring-fence must name one of the round’s categories');
    expect(fixedLines.text).toContain('value="VF9"');
    expect(fixedLines.text).toContain('href="#maxGrant"');
    // Names and prefixes are unique: said in words, not a database error.
    const taken = await postForm('/staff/rounds/new', roundFields({ name: 'Victims Fund 7', referencePrefix: 'vf7' }), '/staff/rounds/new');
    // 409, as on the API (funds.round_exists): it conflicts with a round that exists.
    expect(taken.status).toBe(409);
    expect(errorSummary(taken.text)).toContain('There is already a round called Victims Fund 7');
    expect(errorSummary(taken.text)).toContain('The reference prefix VF7 is already used by Victims Fund 7');
  });

  it('locks the settings that would change a submission once the round is open, and still saves the rest', async () => {
    const now = new Date();
    const yesterday = toLondonLocal(new Date(now.getTime() - 86_400_000));
    const nextMonth = toLondonLocal(new Date(now.getTime() + 30 * 86_400_000));
    const fields = roundFields({
      name: 'Open soon round',
      referencePrefix: 'OSR1',
      'opensAt-day': String(yesterday.day),
      'opensAt-month': String(yesterday.month),
      'opensAt-year': String(yesterday.year),
      'closesAt-day': String(nextMonth.day),
      'closesAt-month': String(nextMonth.month),
      'closesAt-year': String(nextMonth.year),
    });
    const created = await postForm('/staff/rounds/new', fields, '/staff/rounds/new');
    expect(created.status).toBe(303);
    const id = /\/staff\/rounds\/([0-9a-f-]{36})/.exec(created.headers.location)![1];

    // Publishing asks for confirmation.
    const unconfirmed = await postForm(`/staff/rounds/${id}/publish`, {}, `/staff/rounds/${id}`);
    expect(unconfirmed.status).toBe(400);
    expect(errorSummary(unconfirmed.text)).toContain('Confirm that you have checked the round');
    const published = await postForm(`/staff/rounds/${id}/publish`, { confirm: 'yes' }, `/staff/rounds/${id}`);
    expect(published.headers.location).toBe(`/staff/rounds/${id}?saved=published`);
    const shown = await agent.get(published.headers.location).expect(200);
    expect(shown.text).toContain('Round published');
    expect(shown.text).toMatch(/govuk-tag--green">\s*Open\s*</);
    expect(shown.text).not.toContain('Publish round');

    // The edit page now shows the locked settings read-only, with no inputs for them.
    const edit = await agent.get(`/staff/rounds/${id}/edit`).expect(200);
    expect(edit.text).toContain('Settings that can no longer change');
    expect(edit.text).toContain('name="formMode" value="open"');
    expect(edit.text).not.toContain('name="minGrant"');
    expect(edit.text).not.toContain('name="opensAtTime"');
    expect(edit.text).not.toContain('name="form"');

    // A page loaded before the round opened, posted now with locked settings changed: refused.
    const before = await t.dataSource.query(`SELECT opens_at, min_grant_pence, name FROM funding_round WHERE id = $1`, [id]);
    const stale = await postForm(
      `/staff/rounds/${id}/edit`,
      { ...fields, formMode: 'full', minGrant: '750', opensAtTime: '10:00', name: 'Renamed round' },
      `/staff/rounds/${id}/edit`,
    );
    expect(stale.status).toBe(409);
    const refusal = errorSummary(stale.text);
    expect(refusal).toContain('The smallest grant cannot change now the round has opened');
    expect(refusal).toContain('The opening date and time cannot change now the round has opened');
    // Shown again in its open form, keeping what else was typed.
    expect(stale.text).toContain('Settings that can no longer change');
    expect(stale.text).toContain('value="Renamed round"');
    expect(await t.dataSource.query(`SELECT opens_at, min_grant_pence, name FROM funding_round WHERE id = $1`, [id])).toEqual(before);

    // The same stale page with the locked settings as saved (ticked in another order) saves.
    const same = await postForm(
      `/staff/rounds/${id}/edit`,
      { ...fields, formMode: 'full', eligibleOrgTypes: ['cio', 'registered_charity'], name: 'Renamed round' },
      `/staff/rounds/${id}/edit`,
    );
    expect(errorSummary(same.text)).toBe('');
    expect(same.status).toBe(303);

    // The open form: only the unlocked settings are posted; the closing time and budget change.
    const unlocked: FormFields = {
      formMode: 'open',
      name: 'Renamed again',
      summary: fields.summary,
      guidance: fields.guidance,
      'closesAt-day': fields['closesAt-day'],
      'closesAt-month': fields['closesAt-month'],
      'closesAt-year': fields['closesAt-year'],
      closesAtTime: '17:00',
      totalBudget: '60,000',
      ringFences: fields.ringFences,
      criteria: fields.criteria,
      assessorsPerApplication: '3',
      moderationThreshold: '8',
      reminderHoursBefore: '24',
    };
    const saved = await postForm(`/staff/rounds/${id}/edit`, unlocked, `/staff/rounds/${id}/edit`);
    expect(errorSummary(saved.text)).toBe('');
    expect(saved.status).toBe(303);
    const [row] = await t.dataSource.query(
      `SELECT name, total_budget_pence, assessors_per_application, min_grant_pence, closes_at FROM funding_round WHERE id = $1`,
      [id],
    );
    expect(row).toMatchObject({ name: 'Renamed again', total_budget_pence: '6000000', assessors_per_application: 3, min_grant_pence: '50000' });
    expect(toLondonLocal(row.closes_at)).toMatchObject({ hour: 17, minute: 0 });

    // The API too: what GET gives (category options filled in) can be PUT back while open, less
    // the read-only fields (unknown fields are refused on input).
    const token = await tokenFor(t, manager);
    const got = await request(t.http).get(`/api/v1/rounds/${id}`).expect(200);
    expect(got.body.status).toBe('open');
    const { programme } = got.body;
    const readOnly = new Set(['id', 'programme', 'status', 'closesAtLondon', 'criteriaFrozen']);
    const settings = Object.fromEntries(Object.entries(got.body as Record<string, unknown>).filter(([k]) => !readOnly.has(k)));
    // A criterion's id is shown so that scores can name it; it is not part of the round's settings.
    settings.criteria = (got.body.criteria as Array<Record<string, unknown>>).map((c) => omit(c, ['id']));
    const put = await request(t.http)
      .put(`/api/v1/rounds/${id}`)
      .auth(token, { type: 'bearer' })
      .send({ ...settings, programmeId: programme.id, eligibleOrgTypes: [...got.body.eligibleOrgTypes].reverse(), name: 'Renamed by API' });
    expect(put.body.details ?? []).toEqual([]);
    expect(put.status).toBe(200);

    // A validation problem on the open form is shown with the locked settings still read-only.
    const invalid = await postForm(`/staff/rounds/${id}/edit`, { ...unlocked, totalBudget: '100' }, `/staff/rounds/${id}/edit`);
    expect(invalid.status).toBe(400);
    expect(errorSummary(invalid.text)).toContain('The largest grant cannot be more than the budget');
    expect(invalid.text).toContain('Settings that can no longer change');
  });

  describe('applications list and CSV export', () => {
    let injectedAppId: string;
    const orgName = '=HYPERLINK("http://example.com","Click"), Ltd';
    const reason = '-1+2 "quoted", with a comma\nand a second line';

    beforeAll(async () => {
      // An applicant whose organisation name and screening reason would be formulas in a spreadsheet.
      const applicant = await createUser(t, []);
      const user = (await t.app.get(UsersService).findById(applicant.id))!;
      const principal = toPrincipal(user, 'session');
      const org = await t.app.get(OrganisationsService).create(principal, {
        name: orgName,
        type: OrganisationType.UnincorporatedGroup,
        addressLine1: '1 Test Street',
        town: 'Birmingham',
        postcode: 'B1 1AA',
        area: 'E08000025',
        contactName: 'Tess Tester',
        contactEmail: uniqueEmail('tess'),
      });
      const applications = t.app.get(ApplicationsService);
      const draft = await applications.start(principal, vf7.id, org.id);
      const file = await applications.uploadAttachment(principal, draft.id, 'safeguardingPolicy', {
        originalname: 'policy.pdf',
        buffer: TINY_PDF,
        size: TINY_PDF.length,
      });
      await applications.saveAnswers(principal, draft.id, {
        projectTitle: '@SUM(A1:A2)',
        projectSummary: 'A project.',
        category: 'hate_crime',
        areasServed: ['E08000025'],
        amountRequested: 12_345_67,
        projectStart: '2027-04-01',
        budget: 'Staff.',
        otherFunding: false,
        victimsSupported: 10,
        outcomes: 'Better.',
        safeguardingPolicy: file.id,
      });
      await applications.submit(principal, draft.id);
      injectedAppId = draft.id;
    });

    it('screens an application as ineligible through the form, requiring a reason', async () => {
      const page = await agent.get(`/staff/applications/${injectedAppId}`).expect(200);
      expect(page.text).toContain('These are the answers exactly as submitted');
      // The eligibility checklist and the screening form come first, before the answers.
      const checklist = page.text.slice(page.text.indexOf('Eligibility checklist'), page.text.indexOf('Screen for eligibility'));
      for (const check of ['Organisation type', 'Area', 'Amount requested', 'Required answers', 'Required documents', 'Possible duplicates'])
        expect(checklist).toContain(check);
      expect(checklist).toMatch(/Required documents<\/dt>\s*<dd[^>]*><strong class="govuk-tag govuk-tag--green">Meets the rule<\/strong> All uploaded/);
      expect(page.text.indexOf('Screen for eligibility')).toBeLessThan(page.text.indexOf('>Answers<'));
      expect(page.text).toContain('£12,345.67');
      expect(page.text).toContain(`/staff/applications/${injectedAppId}/attachments/`);
      const csrfToken = csrfFrom(page.text);
      const missing = await agent
        .post(`/staff/applications/${injectedAppId}/screening`)
        .type('form')
        .send(encode({ _csrf: csrfToken, decision: 'ineligible', reason: ' ' }));
      expect(missing.status).toBe(400);
      expect(errorSummary(missing.text)).toContain('Give the reason the application is not eligible');
      const none = await agent
        .post(`/staff/applications/${injectedAppId}/screening`)
        .type('form')
        .send(encode({ _csrf: csrfToken }));
      expect(errorSummary(none.text)).toContain('Select whether the application is eligible');
      const ok = await agent
        .post(`/staff/applications/${injectedAppId}/screening`)
        .type('form')
        .send(encode({ _csrf: csrfToken, decision: 'ineligible', reason }));
      expect(ok.status).toBe(303);
      const [row] = await t.dataSource.query(`SELECT status, screening_reason FROM application WHERE id = $1`, [injectedAppId]);
      expect(row).toEqual({ status: 'ineligible', screening_reason: reason });
      const [audit] = await t.dataSource.query(`SELECT actor_id FROM audit_event WHERE action = 'application.screened_ineligible' AND entity_id = $1`, [
        injectedAppId,
      ]);
      expect(audit.actor_id).toBe(manager.id);

      // The attachment downloads with its type and as an attachment.
      const link = /href="(\/staff\/applications\/[^"]+\/attachments\/[^"]+)"/.exec((await agent.get(`/staff/applications/${injectedAppId}`)).text)![1];
      const file = await agent.get(link).buffer(true).expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="policy.pdf"/);
    });

    it('refuses an extension that ends before the round closes, and grants a later one', async () => {
      const page = await agent.get(`/staff/applications/${injectedAppId}`).expect(200);
      // Already submitted (and screened), so the page no longer offers an extension: one only
      // helps a draft. The organisation can still be given one, as the posts below do.
      expect(page.text).not.toContain('Grant an extension to this organisation');
      const csrfToken = csrfFrom(page.text);
      const early = await agent
        .post(`/staff/applications/${injectedAppId}/extension`)
        .type('form')
        .send(
          encode({
            _csrf: csrfToken,
            'extensionClosesAt-day': '1',
            'extensionClosesAt-month': '1',
            'extensionClosesAt-year': '2020',
            extensionClosesAtTime: '12:00',
            extensionReason: 'Flood',
          }),
        );
      expect(early.status).toBe(400);
      expect(errorSummary(early.text)).toContain('An extension must end after the round closes');
      const [round] = await t.dataSource.query(`SELECT closes_at FROM funding_round WHERE id = $1`, [vf7.id]);
      const later = toLondonLocal(new Date(round.closes_at.getTime() + 3 * 86_400_000));
      const ok = await agent
        .post(`/staff/applications/${injectedAppId}/extension`)
        .type('form')
        .send(
          encode({
            _csrf: csrfToken,
            'extensionClosesAt-day': String(later.day),
            'extensionClosesAt-month': String(later.month),
            'extensionClosesAt-year': String(later.year),
            extensionClosesAtTime: '17:00',
            extensionReason: 'Office flooded',
          }),
        );
      expect(ok.status).toBe(303);
      const [ext] = await t.dataSource.query(`SELECT reason, granted_by FROM deadline_extension WHERE round_id = $1`, [vf7.id]);
      expect(ext).toEqual({ reason: 'Office flooded', granted_by: manager.id });
    });

    it('exports the round as CSV with escaping and formula protection', async () => {
      const res = await agent.get(`/staff/rounds/${vf7.id}/applications.csv`).buffer(true).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const l = toLondonLocal(new Date());
      const today = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
      expect(res.headers['content-disposition']).toBe(`attachment; filename="VF7-applications-${today}.csv"`);
      const text = res.text.replace(/^\uFEFF/, '');
      const rows = parseCsv(text);
      expect(rows[0]).toEqual([
        'Reference',
        'Organisation',
        'Organisation identifier',
        'Charity number',
        'Company number',
        'Area',
        'Category',
        'Amount requested (£)',
        'Status',
        'Submitted at (London time)',
        'Screening reason',
        'Duplicate flags',
      ]);
      expect(rows).toHaveLength(1 + 49);
      const mine = rows.find((r) => r[1].includes('HYPERLINK'))!;
      expect(mine[1]).toBe(`'${orgName}`);
      expect(mine[10]).toBe(`'${reason}`);
      expect(mine[5]).toBe('Birmingham');
      expect(mine[6]).toBe('Victims of hate crime');
      expect(mine[7]).toBe('12345.67');
      expect(mine[8]).toBe('Not eligible');
      expect(mine[9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      // In the raw file the cells are quoted, with quotes doubled and the line break kept inside.
      expect(text).toContain(`"'=HYPERLINK(""http://example.com"",""Click""), Ltd"`);
      expect(text).toContain(`"'-1+2 ""quoted"", with a comma\nand a second line"`);
      // Every record ends with CRLF.
      expect(text.endsWith('\r\n')).toBe(true);
      // Drafts have no reference or submission time; amounts are pounds with two decimals.
      expect(rows.slice(1).every((r) => r.length === 12 && (r[7] === '' || /^\d+\.\d{2}$/.test(r[7])))).toBe(true);
    });

    it('escapes cells by the rules', () => {
      expect(csvCell('plain')).toBe('plain');
      expect(csvCell('a,b')).toBe('"a,b"');
      expect(csvCell('say "hi"')).toBe('"say ""hi"""');
      expect(csvCell('two\nlines')).toBe('"two\nlines"');
      expect(csvCell('=1+1')).toBe("'=1+1");
      expect(csvCell('+44 121')).toBe("'+44 121");
      expect(csvCell('-5')).toBe("'-5");
      expect(csvCell('@cmd')).toBe("'@cmd");
      expect(csvCell('\tx')).toBe("'\tx");
      expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
      expect(csvCell(null)).toBe('');
      expect(csvCell(12.5)).toBe('12.5');
    });

    it('filters the list and the CSV the same way', async () => {
      const expected = async (where: string, params: unknown[]) =>
        (
          await t.dataSource.query(
            `SELECT a.reference FROM application a JOIN organisation o ON o.id = a.organisation_id WHERE a.round_id = $1 AND ${where} ORDER BY a.reference_seq NULLS LAST, a.created_at`,
            [vf7.id, ...params],
          )
        ).map((r: { reference: string | null }) => r.reference ?? '');
      const cases: { query: string; where: string; params: unknown[] }[] = [
        { query: 'status=submitted', where: `a.status = 'submitted'`, params: [] },
        { query: 'area=E08000025&category=hate_crime', where: `o.area_ons_code = $2 AND a.category = $3`, params: ['E08000025', 'hate_crime'] },
        { query: 'minAmount=10%2C000&maxAmount=%C2%A315%2C000', where: `a.amount_requested_pence BETWEEN 1000000 AND 1500000`, params: [] },
        { query: 'status=ineligible&minAmount=12345.67', where: `a.status = 'ineligible' AND a.amount_requested_pence >= 1234567`, params: [] },
      ];
      for (const c of cases) {
        const want = await expected(c.where, c.params);
        expect(want.length).toBeGreaterThan(0);
        const csv = parseCsv((await agent.get(`/staff/rounds/${vf7.id}/applications.csv?${c.query}`).buffer(true).expect(200)).text.replace(/^\uFEFF/, ''));
        expect(csv.slice(1).map((r) => r[0])).toEqual(want);
        const html = await agent.get(`/staff/rounds/${vf7.id}/applications?${c.query}`).expect(200);
        expect(html.text).toContain(`${want.length} of 49 applications match`);
        expect(html.text).toContain(`href="/staff/rounds/${vf7.id}/applications.csv?${c.query.replace(/&/g, '&amp;')}"`);
      }
      const unfiltered = await agent.get(`/staff/rounds/${vf7.id}/applications`).expect(200);
      expect(unfiltered.text).toContain('49 applications in this round: 11 draft, 34 submitted, 3 withdrawn, 1 not eligible.');
      expect((unfiltered.text.match(/href="\/staff\/applications\//g) ?? []).length).toBeGreaterThanOrEqual(49);

      const bad = await agent.get(`/staff/rounds/${vf7.id}/applications?minAmount=lots&status=nonsense`).expect(400);
      expect(errorSummary(bad.text)).toContain('Enter the smallest amount in pounds');
      expect(errorSummary(bad.text)).toContain('Select a status from the list');
      await agent.get(`/staff/rounds/${vf7.id}/applications.csv?minAmount=lots`).expect(400);
    });

    // Last in this block: the draft it adds would change the counts the tests above check.
    it('offers an extension on a draft, the one case it can help', async () => {
      const applicant = await createUser(t, []);
      const principal = toPrincipal((await t.app.get(UsersService).findById(applicant.id))!, 'session');
      const org = await t.app.get(OrganisationsService).create(principal, {
        name: 'Draft Writers Group',
        type: OrganisationType.UnincorporatedGroup,
        addressLine1: '2 Test Street',
        town: 'Birmingham',
        postcode: 'B1 1AA',
        area: 'E08000025',
        contactName: 'Dee Drafter',
        contactEmail: uniqueEmail('dee'),
      });
      const draft = await t.app.get(ApplicationsService).start(principal, vf7.id, org.id);
      const page = await agent.get(`/staff/applications/${draft.id}`).expect(200);
      expect(page.text).toContain('Grant an extension to this organisation');
    });
  });

  it('shows staff only what their permissions allow', async () => {
    const home = await agent.get('/staff').expect(200);
    expect(home.text).toContain('href="/staff/rounds/new"');
    expect(home.text).toContain(`href="/staff/rounds/${vf7.id}/applications"`);
    expect(home.text).not.toContain('href="/admin/users"');

    const auditor = await signIn(t, await createUser(t, ['auditor']));
    const auditorHome = await auditor.get('/staff').expect(200);
    expect(auditorHome.text).not.toContain('href="/staff/rounds/new"');
    expect(auditorHome.text).toContain(`href="/staff/rounds/${vf7.id}/applications"`);
    expect(auditorHome.text).toContain('href="/admin/audit"');
    await auditor.get('/staff/rounds').expect(403);
    await auditor.get(`/staff/rounds/${vf7.id}/applications`).expect(200);
    // Auditors read; they do not screen.
    const [submitted] = await t.dataSource.query(`SELECT id FROM application WHERE round_id = $1 AND status = 'submitted' LIMIT 1`, [vf7.id]);
    const page = await auditor.get(`/staff/applications/${submitted.id}`).expect(200);
    expect(page.text).not.toContain('Screen for eligibility');
    await auditor
      .post(`/staff/applications/${submitted.id}/screening`)
      .type('form')
      .send(encode({ _csrf: csrfFrom(page.text), decision: 'eligible' }))
      .expect(403);

    const applicant = await signIn(t, await createUser(t, []));
    await applicant.get('/staff').expect(403);
    await applicant.get(`/staff/rounds/${vf7.id}/applications.csv`).expect(403);
  });
});
