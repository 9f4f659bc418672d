import { randomBytes, randomUUID } from 'node:crypto';
import { strongPassword, uniqueEmail } from '@pcc/testing';
import request from 'supertest';
import { ACTIVE_CITIZENS_CATEGORIES, ACTIVE_CITIZENS_CRITERIA, ACTIVE_CITIZENS_FORM } from '../../src/demo/demo-rounds';
import { TokensService } from '../../src/modules/identity/tokens.service';
import { UsersService } from '../../src/modules/identity/users.service';
import {
  type Applicant,
  bearer,
  BIRMINGHAM,
  canonicalJson,
  completeVictimsApplication,
  counterFor,
  COVENTRY,
  createApplicant,
  createPublishedRound,
  DUDLEY,
  MINIMAL_PDF,
  type RoundJson,
  roundBody,
  saveAnswers,
  seedFunds,
  setClock,
  sha256Hex,
  type StaffMember,
  staffMember,
  startApplication,
  submit,
  upload,
  victimsAnswers,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

// Every round in this file is open from 4 to 17 January 2027 (closing 23:59 London, which is GMT
// then); the app's clock stands in the middle of it.
const DURING_ROUND = '2027-01-10T12:00:00.000Z';

/** A charity number nobody else in this file has. */
const charityNumber = () => `11${String(randomBytes(3).readUIntBE(0, 3) % 100000).padStart(5, '0')}`;

describe('applications: eligibility rules, validation, duplicates and the frozen snapshot', () => {
  let t: TestApp;
  let programmes: { VF: string; ACF: string };
  let manager: StaffMember;

  beforeAll(async () => {
    t = await startTestApp();
    programmes = await seedFunds(t);
    manager = await staffMember(t, 'fund_manager');
    setClock(t, DURING_ROUND);
  });
  afterAll(async () => {
    await t?.close();
  });

  const staffGet = (id: string) => request(t.http).get(`/api/v1/applications/${id}`).set(bearer(manager.token));
  const applicationRows = async (
    organisationId: string,
  ): Promise<{ id: string; status: string; reference: string | null; answers: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT id, status, reference, answers FROM application WHERE organisation_id = $1 ORDER BY created_at`, [organisationId]);
  const victimsRound = (overrides: Record<string, unknown> = {}) => createPublishedRound(t, manager, roundBody(programmes.VF, overrides));

  describe('eligibility', () => {
    it('refuses an organisation type the round is not open to, and starts nothing', async () => {
      const round = await victimsRound({ eligibleOrgTypes: ['registered_charity', 'cio'] });
      const group = await createApplicant(t, { type: 'unincorporated_group' });
      const charity = await createApplicant(t, { type: 'registered_charity', charityNumber: charityNumber() });

      const refused = await startApplication(t, group, round.id).expect(422);
      expect(refused.body).toMatchObject({ error: 'applications.ineligible', message: 'This fund is not open to your type of organisation' });
      expect(refused.body.details).toEqual([{ field: 'organisationType', rule: 'eligibleOrgType', message: expect.any(String) }]);
      expect(await applicationRows(group.organisation.id)).toEqual([]);

      const allowed = await startApplication(t, charity, round.id).expect(201);
      expect(allowed.body).toMatchObject({ status: 'draft', roundId: round.id, organisationId: charity.organisation.id });
    });

    it('refuses an organisation in an area the round is not open to', async () => {
      const round = await victimsRound({ eligibleAreas: [BIRMINGHAM, COVENTRY] });
      const dudley = await createApplicant(t, { area: DUDLEY, town: 'Dudley', postcode: 'DY1 1AA' });
      const coventry = await createApplicant(t, { area: COVENTRY, town: 'Coventry', postcode: 'CV1 2AA' });

      const refused = await startApplication(t, dudley, round.id).expect(422);
      expect(refused.body.error).toBe('applications.ineligible');
      expect(refused.body.details).toEqual([{ field: 'area', rule: 'eligibleArea', message: 'This round is not open to organisations in your area' }]);
      expect(await applicationRows(dudley.organisation.id)).toEqual([]);

      await startApplication(t, coventry, round.id).expect(201);
    });

    it('refuses an organisation based outside the West Midlands, even when the round is open to every area', async () => {
      const round = await victimsRound({ eligibleAreas: [] });
      const outside = await createApplicant(t, { area: 'outside', areaDescription: 'Stafford, Staffordshire', town: 'Stafford', postcode: 'ST16 2AA' });
      const inside = await createApplicant(t);

      const refused = await startApplication(t, outside, round.id).expect(422);
      expect(refused.body.error).toBe('applications.ineligible');
      expect(refused.body.details).toEqual([{ field: 'area', rule: 'inForceArea', message: 'This fund is for organisations based in the West Midlands' }]);
      expect(await applicationRows(outside.organisation.id)).toEqual([]);

      await startApplication(t, inside, round.id).expect(201);
    });

    it('checks the amount against the smallest and largest grant when it is saved, naming the question and the rule; the limits themselves are allowed', async () => {
      const round = await victimsRound({ minGrantPence: 1_000_00, maxGrantPence: 20_000_00 });
      const low = await createApplicant(t);
      const high = await createApplicant(t);
      const lowApp = await completeVictimsApplication(t, low, round.id);
      const highApp = await completeVictimsApplication(t, high, round.id);
      const between = 'The amount you are applying for must be between £1,000 and £20,000';

      const below = await saveAnswers(t, low, lowApp.id, { amountRequested: 1_000_00 - 1 }).expect(400);
      expect(below.body).toMatchObject({ error: 'validation_failed', message: between });
      expect(below.body.details).toEqual([{ field: 'answers.amountRequested', rule: 'min', message: between }]);
      const above = await saveAnswers(t, high, highApp.id, { amountRequested: 20_000_00 + 1 }).expect(400);
      expect(above.body.details).toEqual([{ field: 'answers.amountRequested', rule: 'max', message: between }]);
      // Refused saves change nothing.
      expect((await applicationRows(low.organisation.id))[0].answers.amountRequested).toBe(12_500_00);

      await saveAnswers(t, low, lowApp.id, { amountRequested: 1_000_00 }).expect(200);
      await saveAnswers(t, high, highApp.id, { amountRequested: 20_000_00 }).expect(200);
      const first = await submit(t, low, lowApp.id).expect(200);
      const second = await submit(t, high, highApp.id).expect(200);
      expect([first.body.reference, second.body.reference]).toEqual([`${round.referencePrefix}-0001`, `${round.referencePrefix}-0002`]);
      expect(first.body.amountRequestedPence).toBe(1_000_00);
      expect(second.body.amountRequestedPence).toBe(20_000_00);
    });

    it('still refuses at submission an amount outside the limits saved before they were checked on saving', async () => {
      const round = await victimsRound({ minGrantPence: 1_000_00, maxGrantPence: 20_000_00 });
      const group = await createApplicant(t);
      const draft = await completeVictimsApplication(t, group, round.id);
      // As a draft saved before this rule: written behind the API's back.
      await t.dataSource.query(
        `UPDATE application SET answers = jsonb_set(answers, '{amountRequested}', '2000001'), amount_requested_pence = 2000001 WHERE id = $1`,
        [draft.id],
      );
      const above = await submit(t, group, draft.id).expect(422);
      expect(above.body.error).toBe('applications.ineligible');
      expect(above.body.details).toEqual([{ field: 'amountRequested', rule: 'max', message: 'The largest grant you can ask for is £20,000' }]);
      expect(await applicationRows(group.organisation.id)).toEqual([expect.objectContaining({ status: 'draft', reference: null })]);
      expect(await counterFor(t, round.id)).toBeNull();
    });

    it('refuses, when it is saved, an answer the form says the money may not pay for (Active Citizens Fund: police officers), naming the question', async () => {
      const round = await createPublishedRound(
        t,
        manager,
        roundBody(programmes.ACF, {
          name: 'Active Citizens Fund test',
          referencePrefix: 'ACFT',
          minGrantPence: 250_00,
          maxGrantPence: 10_000_00,
          totalBudgetPence: 700_000_00,
          categories: ACTIVE_CITIZENS_CATEGORIES,
          ringFences: [],
          criteria: ACTIVE_CITIZENS_CRITERIA,
          form: ACTIVE_CITIZENS_FORM,
        }),
      );
      const club = await createApplicant(t);
      const started = await startApplication(t, club, round.id).expect(201);
      const answers = {
        projectTitle: 'Youth boxing nights',
        projectSummary: 'Friday boxing sessions for young people.',
        category: 'youth_sport',
        amountRequested: 2_000_00,
        policeCosts: true,
        peopleReached: 40,
      };
      const refused = await saveAnswers(t, club, started.body.id, answers).expect(400);
      expect(refused.body.error).toBe('validation_failed');
      expect(refused.body.details).toEqual([
        { field: 'answers.policeCosts', rule: 'excludedCost', message: 'The Active Citizens Fund cannot pay for police officers or police staff' },
      ]);
      // Nothing on the page is saved, not even the answers that were fine.
      expect(await applicationRows(club.organisation.id)).toEqual([expect.objectContaining({ status: 'draft', reference: null, answers: {} })]);

      await saveAnswers(t, club, started.body.id, { ...answers, policeCosts: false }).expect(200);
      const accepted = await submit(t, club, started.body.id).expect(200);
      expect(accepted.body).toMatchObject({ status: 'submitted', reference: 'ACFT-0001' });
    });

    it('allows one application per organisation per round; after a withdrawal a new one may be started', async () => {
      const round = await victimsRound();
      const other = await victimsRound();
      const group = await createApplicant(t);

      const first = await completeVictimsApplication(t, group, round.id);
      const again = await startApplication(t, group, round.id).expect(409);
      expect(again.body.error).toBe('applications.already_applied');

      const submitted = await submit(t, group, first.id).expect(200);
      const afterSubmit = await startApplication(t, group, round.id).expect(409);
      expect(afterSubmit.body).toMatchObject({ error: 'applications.already_applied' });
      expect(afterSubmit.body.message).toContain(submitted.body.reference);
      expect(await applicationRows(group.organisation.id)).toHaveLength(1);

      // Another round is another matter.
      await startApplication(t, group, other.id).expect(201);

      const withdrawn = await request(t.http).post(`/api/v1/applications/${first.id}/withdraw`).set(bearer(group.token)).expect(200);
      expect(withdrawn.body.status).toBe('withdrawn');
      const fresh = await startApplication(t, group, round.id).expect(201);
      expect(fresh.body).toMatchObject({ status: 'draft', reference: null, answers: {} });
      expect(fresh.body.id).not.toBe(first.id);
      const inRound = (await applicationRows(group.organisation.id)).filter((a) => a.id === first.id || a.id === fresh.body.id);
      expect(inRound.map((a) => a.status)).toEqual(['withdrawn', 'draft']);
      // … and still only one live one.
      await startApplication(t, group, round.id).expect(409);
    });

    it('does not let someone whose email address is unconfirmed submit', async () => {
      const round = await victimsRound();
      const email = uniqueEmail('unverified');
      const password = strongPassword();
      await t.app.get(UsersService).registerApplicant({ fullName: 'Sam Unverified', email, password });
      const [{ id: userId, email_verified_at }] = await t.dataSource.query(`SELECT id, email_verified_at FROM user_account WHERE email = $1`, [email]);
      expect(email_verified_at).toBeNull();
      const token = (await t.app.get(TokensService).create(userId, 'test')).token;
      // Registering an organisation needs a confirmed address too, so Sam confirms, registers, and
      // then (as if the address changed) is unconfirmed again before submitting.
      await t.dataSource.query(`UPDATE user_account SET email_verified_at = now() WHERE id = $1`, [userId]);
      const org = await request(t.http)
        .post('/api/v1/organisations')
        .set(bearer(token))
        .send({
          name: 'Unverified Group',
          type: 'unincorporated_group',
          addressLine1: '1 High Street',
          town: 'Birmingham',
          postcode: 'B1 1AA',
          area: BIRMINGHAM,
          contactName: 'Sam',
          contactEmail: email,
        })
        .expect(201);
      const sam: Applicant = { id: userId, email, password, fullName: 'Sam Unverified', token, organisation: org.body };
      const draft = await completeVictimsApplication(t, sam, round.id);
      await t.dataSource.query(`UPDATE user_account SET email_verified_at = NULL WHERE id = $1`, [userId]);

      const refused = await submit(t, sam, draft.id).expect(403);
      expect(refused.body).toMatchObject({ error: 'applications.email_not_verified', message: 'Confirm your email address before you submit an application' });
      expect(await applicationRows(org.body.id)).toEqual([expect.objectContaining({ status: 'draft', reference: null })]);

      await t.dataSource.query(`UPDATE user_account SET email_verified_at = now() WHERE id = $1`, [userId]);
      await submit(t, sam, draft.id).expect(200);
    });
  });

  describe('validation', () => {
    let round: RoundJson;
    let group: Applicant;
    let draftId: string;
    let saved: Record<string, unknown>;

    beforeAll(async () => {
      round = await victimsRound();
      group = await createApplicant(t);
      draftId = (await startApplication(t, group, round.id).expect(201)).body.id;
      saved = (await saveAnswers(t, group, draftId, { projectTitle: 'Safe spaces', outcomes: 'Victims feel safer.' }).expect(200)).body.answers;
    });

    const savedAudits = async () =>
      Number(
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'application.answers_saved' AND entity_id = $1`, [draftId]))[0].n,
      );

    it.each([
      ['money that is not whole pence', { amountRequested: 12.5 }, 'answers.amountRequested', 'isPence'],
      ['money given as text', { amountRequested: '500' }, 'answers.amountRequested', 'isPence'],
      [
        'a description over its word limit',
        { projectSummary: Array.from({ length: 251 }, (_, i) => `word${i}`).join(' ') },
        'answers.projectSummary',
        'wordLimit',
      ],
      ['a title over its length', { projectTitle: 'x'.repeat(121) }, 'answers.projectTitle', 'maxLength'],
      ['a question the form does not ask', { bankSortCode: '12-34-56' }, 'answers.bankSortCode', 'unknownQuestion'],
      ['a date that does not exist', { projectStart: '2027-02-30' }, 'answers.projectStart', 'isDate'],
      ['yes/no given as text', { otherFunding: 'yes' }, 'answers.otherFunding', 'isBoolean'],
      ['a category that is not offered', { category: 'burglary' }, 'answers.category', 'isIn'],
      ['an area chosen twice', { areasServed: [BIRMINGHAM, BIRMINGHAM] }, 'answers.areasServed', 'isIn'],
      ['a number below its minimum', { victimsSupported: 0 }, 'answers.victimsSupported', 'min'],
      [
        'an address with a postcode that is not one',
        { deliveryAddress: { line1: '1 High Street', town: 'Walsall', postcode: 'NOT A CODE' } },
        'answers.deliveryAddress.postcode',
        'isPostcode',
      ],
      ['a file answer that is not an upload to this application', { safeguardingPolicy: randomUUID() }, 'answers.safeguardingPolicy', 'isFile'],
    ])('refuses %s, naming the field and the rule, and saves none of the page', async (_what, bad, field, rule) => {
      const auditsBefore = await savedAudits();
      // A good answer sent in the same request must not be saved either: all or nothing.
      const res = await saveAnswers(t, group, draftId, { outcomes: 'Changed in the same request', ...bad }).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details).toEqual([{ field, rule, message: expect.any(String) }]);
      expect(res.body.message).toBe(res.body.details[0].message);

      const [row] = await applicationRows(group.organisation.id);
      expect(row.answers).toEqual(saved);
      expect(await savedAudits()).toBe(auditsBefore);
    });

    it('lists every bad answer of a page at once', async () => {
      const res = await saveAnswers(t, group, draftId, { projectTitle: 'Fine', amountRequested: -1.5, projectStart: 'next week', nope: 1 }).expect(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'answers.amountRequested', rule: 'isPence' }),
          expect.objectContaining({ field: 'answers.projectStart', rule: 'isDate' }),
          expect.objectContaining({ field: 'answers.nope', rule: 'unknownQuestion' }),
        ]),
      );
      expect(res.body.details).toHaveLength(3);
      expect((await applicationRows(group.organisation.id))[0].answers).toEqual(saved);
    });

    it('refuses answers that are not an object of question ids', async () => {
      const res = await request(t.http)
        .patch(`/api/v1/applications/${draftId}`)
        .set(bearer(group.token))
        .send({ answers: ['projectTitle'] })
        .expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'answers', rule: 'isObject' })]);
    });

    it('refuses to submit with required questions unanswered, listing each one', async () => {
      const res = await submit(t, group, draftId).expect(422);
      expect(res.body.error).toBe('applications.incomplete');
      const unanswered = [
        'projectSummary',
        'category',
        'areasServed',
        'amountRequested',
        'projectStart',
        'budget',
        'otherFunding',
        'victimsSupported',
        'safeguardingPolicy',
      ];
      expect(res.body.details).toEqual(
        unanswered.map((q) => ({ field: `answers.${q}`, rule: 'required', message: expect.stringMatching(/^(Enter|Select) /) })),
      );
      // GOV.UK messages that name what is missing, not the question glued to a rule.
      expect(res.body.details.map((d: { message: string }) => d.message)).toEqual(
        expect.arrayContaining([
          'Enter the date the project will start',
          'Select yes if you have applied to other funders for this project',
          'Select your safeguarding policy',
        ]),
      );
      expect(res.body.message).toContain(`(${unanswered.length} left)`);
      const [row] = await applicationRows(group.organisation.id);
      expect(row).toMatchObject({ status: 'draft', reference: null });
      expect(await counterFor(t, round.id)).toBeNull();
    });
  });

  describe('duplicates across accounts', () => {
    it('flags a second organisation with the same company number, for staff only', async () => {
      const round = await victimsRound();
      const companyNumber = `0${String(randomBytes(3).readUIntBE(0, 3) % 10_000_000).padStart(7, '0')}`;
      const charity = await createApplicant(t, { name: 'Aston Advocacy Trust', type: 'registered_charity', charityNumber: charityNumber(), companyNumber });
      // The same company registered again by someone else, as a CIC, without the leading zero.
      const cic = await createApplicant(t, { name: 'Aston Advocacy CIC', type: 'cic', companyNumber: companyNumber.replace(/^0+/, '') });
      const unrelated = await createApplicant(t, { name: 'Lozells Lunch Club' });
      expect(charity.organisation.orgId).toMatch(/^GB-CHC-/);
      expect(cic.organisation.orgId).toBe(`GB-COH-${companyNumber}`);

      const first = await completeVictimsApplication(t, charity, round.id);
      const second = await completeVictimsApplication(t, cic, round.id);
      const third = await completeVictimsApplication(t, unrelated, round.id);

      expect((await staffGet(second.id).expect(200)).body.duplicateFlags).toEqual([{ applicationId: first.id, reason: 'same company number' }]);
      expect((await staffGet(first.id).expect(200)).body.duplicateFlags).toEqual([]);
      expect((await staffGet(third.id).expect(200)).body.duplicateFlags).toEqual([]);
      // Applicants do not see what staff are checking.
      const own = await request(t.http).get(`/api/v1/applications/${second.id}`).set(bearer(cic.token)).expect(200);
      expect(own.body).not.toHaveProperty('duplicateFlags');

      // Submitting looks again, so the earlier one now names the later one too.
      await submit(t, charity, first.id).expect(200);
      await submit(t, cic, second.id).expect(200);
      const list = await request(t.http).get(`/api/v1/rounds/${round.id}/applications`).set(bearer(manager.token)).expect(200);
      const flags = Object.fromEntries((list.body.items as { id: string; duplicateFlags: unknown }[]).map((a) => [a.id, a.duplicateFlags]));
      expect(flags[first.id]).toEqual([{ applicationId: second.id, reason: 'same company number' }]);
      expect(flags[second.id]).toEqual([{ applicationId: first.id, reason: 'same company number' }]);
      expect(flags[third.id]).toEqual([]);
    });
  });

  describe('the frozen snapshot', () => {
    it('freezes exactly what was submitted, against the API and against SQL', async () => {
      const round = await victimsRound();
      const group = await createApplicant(t);
      const draft = await completeVictimsApplication(t, group, round.id, {
        deliveryAddress: { line1: '5 Church Street', town: 'Walsall', postcode: 'WS1 1HX' },
      });
      const before = (await request(t.http).get(`/api/v1/applications/${draft.id}`).set(bearer(group.token)).expect(200)).body;
      expect(before.answers).toEqual({
        ...victimsAnswers({ deliveryAddress: { line1: '5 Church Street', town: 'Walsall', postcode: 'WS1 1HX' } }),
        safeguardingPolicy: expect.any(String),
      });

      const submitted = await submit(t, group, draft.id).expect(200);
      expect(submitted.body).toMatchObject({ status: 'submitted', reference: `${round.referencePrefix}-0001`, answers: before.answers });

      const [snap] = await t.dataSource.query(`SELECT answers, form, sha256 FROM application_snapshot WHERE application_id = $1`, [draft.id]);
      expect(snap.answers).toEqual(before.answers);
      const roundNow = (await request(t.http).get(`/api/v1/rounds/${round.id}`).expect(200)).body;
      expect(snap.form).toEqual(roundNow.form);
      // The hash can be checked by anyone from the stored row, whatever order PostgreSQL keeps the keys in.
      expect(snap.sha256).toBe(sha256Hex(canonicalJson({ answers: snap.answers, form: snap.form })));
      expect(snap.sha256).toBe(sha256Hex(canonicalJson({ answers: before.answers, form: roundNow.form })));

      // Through the API: no more changes.
      const patch = await saveAnswers(t, group, draft.id, { projectTitle: 'Edited after the event' }).expect(409);
      expect(patch.body.error).toBe('applications.not_draft');
      const file = await upload(t, group, draft.id, 'safeguardingPolicy', MINIMAL_PDF, 'new-policy.pdf').expect(409);
      expect(file.body.error).toBe('applications.not_draft');
      // Submitting again is not a change: the same receipt, and the snapshot untouched.
      expect((await submit(t, group, draft.id).expect(200)).body).toEqual(submitted.body);
      expect((await t.dataSource.query(`SELECT sha256 FROM application_snapshot WHERE application_id = $1`, [draft.id]))[0].sha256).toBe(snap.sha256);

      // Behind the API's back: the database refuses too.
      await expect(
        t.dataSource.query(`UPDATE application SET answers = answers || '{"projectTitle": "Edited in SQL"}' WHERE id = $1`, [draft.id]),
      ).rejects.toThrow(/frozen once submitted/);
      await expect(t.dataSource.query(`UPDATE application SET amount_requested_pence = 1 WHERE id = $1`, [draft.id])).rejects.toThrow(/frozen once submitted/);
      await expect(t.dataSource.query(`UPDATE application SET reference = 'FAKE-0001' WHERE id = $1`, [draft.id])).rejects.toThrow(/cannot change/);
      await expect(t.dataSource.query(`UPDATE application_snapshot SET answers = '{}' WHERE application_id = $1`, [draft.id])).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM application_snapshot WHERE application_id = $1`, [draft.id])).rejects.toThrow(/append-only/);

      const [after] = await t.dataSource.query(
        `SELECT a.answers, a.reference, s.answers AS snapshot_answers, s.sha256 FROM application a JOIN application_snapshot s ON s.application_id = a.id WHERE a.id = $1`,
        [draft.id],
      );
      expect(after).toEqual({ answers: before.answers, reference: `${round.referencePrefix}-0001`, snapshot_answers: before.answers, sha256: snap.sha256 });
      expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM application_snapshot WHERE application_id = $1`, [draft.id]))[0].n)).toBe(1);
    });
  });
});
