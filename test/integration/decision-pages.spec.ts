import { withdrawDemoVictimsFund6Decision } from '../support/demo';
import { seedDemoData } from '../../src/demo/seed';
import { csrfFrom, signIn } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { demoPassword } from '../support/database';
import { errorSummary, h1 } from './identity-support';

/*
 * Issue 11's pages from an allocation run to an accepted offer, without a browser: the fund
 * manager makes an award partial and submits the run, completes the decision record (problems
 * next to their fields) and submits it; the Commissioner sees it on the dashboard, is refused a
 * rejection without a reason, approves and publishes it; the organisation's owner finds the offer
 * under "Your grants" and accepts it. A drafter cannot approve their own decision.
 */
describe('decision and offer pages (issue 11)', () => {
  let t: TestApp;
  let vf6: string;
  const as = (email: string) => signIn(t, { id: '', email, password: demoPassword(), fullName: '' });
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.app, undefined, demoPassword());
    [{ id: vf6 }] = await t.dataSource.query(`SELECT id FROM funding_round WHERE name = 'Victims Fund 6'`);
    await withdrawDemoVictimsFund6Decision(t.app);
  });
  afterAll(() => t.close());

  it('takes a run through the decision pages to an accepted offer', async () => {
    const fm = await as('fundmanager@example.org');
    const runsPath = `/staff/rounds/${vf6}/allocation`;
    const ran = await fm
      .post(`/staff/rounds/${vf6}/allocation-runs`)
      .type('form')
      .send({ _csrf: csrfFrom((await fm.get(runsPath)).text), thresholdPercent: '40', unspentRingFences: 'release' })
      .expect(303);
    const runPath = ran.headers.location;
    const runPage = await fm.get(runPath).expect(200);
    const options = [...runPage.text.matchAll(/<option value="([0-9a-f-]{36})"[^>]*>([^<]+)<\/option>/g)].map((m) => ({ id: m[1], label: m[2] }));
    expect(options.length).toBeGreaterThan(0);
    const adjust = (fields: Record<string, string>) =>
      fm
        .post(`${runPath}/adjustments`)
        .type('form')
        .send({ _csrf: csrfFrom(runPage.text), ...fields });
    const noReason = await adjust({ applicationId: options[0].id, amount: '1000', reason: '' });
    expect([noReason.status, errorSummary(noReason.text)]).toEqual([400, expect.stringContaining('Enter why the award is less than requested')]);
    const tooMuch = await adjust({ applicationId: options[0].id, amount: '1000000', reason: 'Costs' });
    expect([tooMuch.status, errorSummary(tooMuch.text)]).toEqual([400, expect.stringContaining('a partial award must be more than £0 and less than')]);
    expect(tooMuch.text).toMatch(/id="amount-error"/);
    const adjusted = await adjust({ applicationId: options[0].id, amount: '1,000', reason: 'Only the training costs are eligible' });
    expect(adjusted.status).toBe(303);
    const newRun = await fm.get(adjusted.headers.location).expect(200);
    expect(text(newRun.text)).toContain('£1,000. Only the training costs are eligible');

    const submitted = await fm
      .post(`${adjusted.headers.location}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(newRun.text) })
      .expect(303);
    const recordPath = submitted.headers.location.replace(/\?.*$/, '');
    const record = await fm.get(submitted.headers.location).expect(200);
    expect(h1(record.text)).toBe('Victims Fund 6: grant awards');
    expect(text(record.text)).toMatch(/has been drafted/);
    expect(text(record.text)).toContain('Financial implications');
    expect(text(record.text)).toContain('Only the training costs are eligible');

    // The record's form: an annex without its recorded reasons is refused next to the fields.
    const form = await fm.get(`${recordPath}/edit`).expect(200);
    const save = (fields: Record<string, string>) =>
      fm
        .post(recordPath)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), title: 'Victims Services: Victims Fund 6 awards', summary: 'To award the grants.', ...fields });
    const annexOnly = await save({ confidentialAnnex: 'A discount the supplier asked us to keep private', reasons: 'The panel’s scores' });
    expect(annexOnly.status).toBe(400);
    expect(errorSummary(annexOnly.text)).toContain('Enter the exemption the confidential annex is withheld under');
    expect(annexOnly.text).toMatch(/id="annexExemption-error"/);
    expect(annexOnly.text).toContain('The panel’s scores'); // what was typed is kept
    await save({
      reasons: 'The panel’s scores',
      implicationsLegal: 'Within the Commissioner’s powers',
      publicPapers: 'Assessment report',
      restrictedPapers: 'Legal advice',
    }).expect(303);
    const saved = await fm.get(recordPath).expect(200);
    expect(h1(saved.text)).toBe('Victims Services: Victims Fund 6 awards');
    expect(text(saved.text)).toContain('Legal advice (restricted: not published)');
    // The drafter may not decide it, by permission and by the rule.
    expect(
      (
        await fm
          .post(`${recordPath}/approve`)
          .type('form')
          .send({ _csrf: csrfFrom(saved.text) })
      ).status,
    ).toBe(403);
    await fm
      .post(`${recordPath}/submit`)
      .type('form')
      .send({ _csrf: csrfFrom(saved.text) })
      .expect(303);

    // The Commissioner: the dashboard says one is waiting; a rejection needs a reason; approve, then publish.
    const pcc = await as('commissioner@example.org');
    const dashboard = await pcc.get('/staff').expect(200);
    expect(text(dashboard.text)).toContain('Waiting for your approval: 1');
    const waiting = await pcc.get(recordPath).expect(200);
    const noWhy = await pcc
      .post(`${recordPath}/reject`)
      .type('form')
      .send({ _csrf: csrfFrom(waiting.text), rejectReason: ' ' });
    expect([noWhy.status, errorSummary(noWhy.text)]).toEqual([400, expect.stringContaining('Say why the decision is rejected')]);
    expect(noWhy.text).toMatch(/id="rejectReason-error"/);
    await pcc
      .post(`${recordPath}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(waiting.text) })
      .expect(303);
    const approved = await pcc.get(recordPath).expect(200);
    expect(text(approved.text)).toContain('Publish on the register');
    await pcc
      .post(`${recordPath}/publish`)
      .type('form')
      .send({ _csrf: csrfFrom(approved.text) })
      .expect(303);
    const [{ year, seq }] = await t.dataSource.query(`SELECT year, seq FROM pcc_decision WHERE id = $1`, [recordPath.split('/').pop()]);
    const number = `${String(seq).padStart(3, '0')}-${year}`;
    const listed = await pcc.get('/staff/decisions?status=published').expect(200);
    expect(text(listed.text)).toContain(number);

    // The owner of the part-funded organisation finds the offer and accepts it.
    const [{ email }] = await t.dataSource.query(
      `SELECT u.email FROM "grant" g JOIN application a ON a.id = g.application_id
        JOIN organisation_membership m ON m.organisation_id = a.organisation_id AND m.role = 'owner' JOIN user_account u ON u.id = m.user_id
        WHERE g.application_id = $1`,
      [options[0].id],
    );
    const owner = await as(email);
    const mine = await owner.get('/grants').expect(200);
    const offerPath = /href="(\/grants\/[0-9a-f-]{36})"/.exec(mine.text)![1];
    expect(text(mine.text)).toMatch(/Accept or decline by/);
    const offer = await owner.get(offerPath).expect(200);
    expect(text(offer.text)).toContain('£1,000 (you asked for');
    expect(text(offer.text)).toContain(`PCC Decision ${number}`);
    const noDeclaration = await owner
      .post(`${offerPath}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(offer.text), fullName: 'Sam Contact' });
    expect([noDeclaration.status, errorSummary(noDeclaration.text)]).toEqual([400, expect.stringContaining('Confirm that you accept the grant')]);
    expect(noDeclaration.text).toContain('value="Sam Contact"');
    await owner
      .post(`${offerPath}/accept`)
      .type('form')
      .send({ _csrf: csrfFrom(offer.text), fullName: 'Sam Contact', declaration: 'yes' })
      .expect(303);
    const accepted = await owner.get(offerPath).expect(200);
    expect(text(accepted.text)).toContain('Grant accepted');
    expect(text(accepted.text)).toContain('Accepted by Sam Contact');
    // Its payments: half now, half on the six-month report (the Victims Fund's schedule).
    const payments = await owner.get(`${offerPath}/payments`).expect(200);
    expect(h1(payments.text)).toBe('Payments of the grant');
    expect(text(payments.text)).toMatch(/1\. When the offer was accepted Due \d+ \w+ \d{4} £500 Due/);
    expect(text(payments.text)).toContain('2. When the 6-month monitoring report is approved £500 Waiting for its report');

    // Another owner declines on the offer page; the fund manager offers the money to the reserve list from the round's grants page.
    const [largest] = await t.dataSource.query(
      `SELECT g.id, u.email FROM "grant" g JOIN application a ON a.id = g.application_id
        JOIN organisation_membership m ON m.organisation_id = a.organisation_id AND m.role = 'owner' JOIN user_account u ON u.id = m.user_id
        WHERE g.round_id = $1 AND g.status = 'offered' ORDER BY g.amount_pence DESC LIMIT 1`,
      [vf6],
    );
    const decliner = await as(largest.email);
    const theirOffer = await decliner.get(`/grants/${largest.id}`).expect(200);
    await decliner
      .post(`/grants/${largest.id}/decline`)
      .type('form')
      .send({ _csrf: csrfFrom(theirOffer.text), reason: 'We have found other funding' })
      .expect(303);
    expect(text((await decliner.get(`/grants/${largest.id}`).expect(200)).text)).toContain('The offer was declined');
    const grantsPage = await fm.get(`/staff/rounds/${vf6}/grants`).expect(200);
    expect(text(grantsPage.text)).toContain('Declined');
    const reserveIds = [...grantsPage.text.matchAll(/name="applicationId" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(reserveIds).toHaveLength(1);
    const wrong = await fm
      .post(`/staff/rounds/${vf6}/grants/reserve-offers`)
      .type('form')
      .send({ _csrf: csrfFrom(grantsPage.text), applicationId: options[0].id });
    expect([wrong.status, errorSummary(wrong.text)]).toEqual([409, expect.stringContaining('is not on the round’s reserve list')]);
    const fromReserve = await fm
      .post(`/staff/rounds/${vf6}/grants/reserve-offers`)
      .type('form')
      .send({ _csrf: csrfFrom(grantsPage.text), applicationId: reserveIds[0] })
      .expect(303);
    const afterOffer = await fm.get(fromReserve.headers.location).expect(200);
    expect(text(afterOffer.text)).toContain('The grant has been offered');
    expect(text(afterOffer.text)).toContain('From the reserve list');
    expect(text(afterOffer.text)).toContain('No one is waiting on the reserve list');

    // The public register shows it, with the funded grants but not the restricted paper.
    const pub = await fm.get(`/decisions/${number}`).expect(200);
    expect(text(pub.text)).toContain('Victims Services: Victims Fund 6 awards');
    expect(pub.text).not.toContain('Legal advice');
    expect(pub.text).not.toContain('A discount the supplier');
  });
});
