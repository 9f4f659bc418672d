import request from 'supertest';
import { DEMO_PROGRAMMES } from '../../src/demo/demo-data';
import { createPublishedRound, type RoundJson, roundBody, seedFunds, setClock, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

// Issue 9, errors where they happen: the public start page and a round's eligibility checker.

describe('public pages: the start page’s funds and the round’s eligibility checker', () => {
  let t: TestApp;
  let round: RoundJson;

  beforeAll(async () => {
    t = await startTestApp();
    const programmes = await seedFunds(t);
    setClock(t, '2027-01-10T12:00:00.000Z');
    round = await createPublishedRound(t, await staffMember(t, 'fund_manager'), roundBody(programmes.VF));
  });
  afterAll(async () => {
    setClock(t, null);
    await t?.close();
  });

  it('names each fund on the start page as a link: to its open round, or to the list of funds', async () => {
    const page = await request(t.http).get('/').expect(200);
    const victims = DEMO_PROGRAMMES.find((p) => p.code === 'VF')!.name;
    const citizens = DEMO_PROGRAMMES.find((p) => p.code === 'ACF')!.name;
    expect(page.text).toContain(`<a class="govuk-link" href="/funds/${round.id}">${victims}</a>`);
    expect(page.text).toContain(`<a class="govuk-link" href="/funds">${citizens}</a>`);
  });

  it('sends the checker without a #check fragment, so the error summary keeps the focus GOV.UK Frontend gives it', async () => {
    const page = await request(t.http).get(`/funds/${round.id}?organisationType=&area=`).expect(200);
    expect(page.text).toContain('data-module="govuk-error-summary"');
    expect(page.text).toContain(`<form method="get" action="/funds/${round.id}" novalidate>`);
    expect(page.text).not.toContain('#check"');
  });

  it('offers no start button when the checker says the organisation cannot apply, and one when it can', async () => {
    const refused = await request(t.http).get(`/funds/${round.id}?organisationType=unincorporated_group&area=outside&amount=`).expect(200);
    expect(refused.text).toContain('You cannot apply to this round');
    expect(refused.text).toContain('From what you told us, your organisation cannot apply to this round');
    expect(refused.text).not.toContain('Start your application');
    expect(refused.text).toMatch(/role="alert"[^>]*id="eligibility-result"|id="eligibility-result"[^>]*role="alert"/);

    const allowed = await request(t.http).get(`/funds/${round.id}?organisationType=unincorporated_group&area=E08000025&amount=5000`).expect(200);
    expect(allowed.text).toContain('You can apply');
    expect(allowed.text).toContain('Start your application');
  });
});
