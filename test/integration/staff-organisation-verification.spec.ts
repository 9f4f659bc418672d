import request from 'supertest';
import { createUser, signIn } from '../support/identity';
import { createApplicant, createPublishedRound, roundBody, seedFunds, setClock, staffMember, startApplication } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/** Screeners see whether an administrator has checked an organisation (issue 7, finding 6). */
describe('staff application pages show unverified organisations', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('tags the organisation Unverified in the list and on the application until an administrator verifies it', async () => {
    t = await startTestApp();
    const { VF } = await seedFunds(t);
    const manager = await staffMember(t, 'fund_manager');
    setClock(t, '2027-01-10T12:00:00Z');
    const round = await createPublishedRound(t, manager, roundBody(VF));
    const applicant = await createApplicant(t);
    const app = (await startApplication(t, applicant, round.id)).body as { id: string };
    const staff = await signIn(t, manager);

    const list = await staff.get(`/staff/rounds/${round.id}/applications`).expect(200);
    expect(list.text).toMatch(new RegExp(`${applicant.organisation.name}\\s*<strong class="govuk-tag govuk-tag--yellow">Unverified</strong>`));
    const page = await staff.get(`/staff/applications/${app.id}`).expect(200);
    expect(page.text).toContain('Checked by an administrator');
    expect(page.text).toContain('Unverified');

    await t.dataSource.query('UPDATE organisation SET verified_at = now() WHERE id = $1', [applicant.organisation.id]);
    const after = await staff.get(`/staff/applications/${app.id}`).expect(200);
    expect(after.text).not.toContain('>Unverified<');
    expect(after.text).toMatch(/Verified \d{1,2} \w+ \d{4}/);
    const listAfter = await staff.get(`/staff/rounds/${round.id}/applications`).expect(200);
    expect(listAfter.text).not.toContain('Unverified');
    void request;
    void createUser;
  });
});
