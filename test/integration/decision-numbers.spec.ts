import request from 'supertest';
import { Clock } from '../../src/platform/clock';
import { bearer, staffMember } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * Issue 11's decision numbers, against PostgreSQL: NNN-YYYY given at drafting, in order and
 * without gaps within the London calendar year, even when 40 are drafted at once (some refused);
 * a new year starts at 001; a confidential decision says what it relates to.
 */
describe('decision numbers (issue 11)', () => {
  let t: TestApp;
  let token: string;
  let clock: Clock;

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
  });
  afterAll(async () => {
    clock.set(null);
    await t.close();
  });

  const draft = (body: object) => request(t.http).post('/api/v1/decisions').set(bearer(token)).send(body);

  it('numbers drafts in order without duplicates or gaps, even 40 at once with failures among them', async () => {
    clock.set(new Date('2027-03-01T12:00:00Z'));
    token = (await staffMember(t, 'fund_manager')).token;
    // Every fifth one is refused by the service's rule (confidential with nothing it relates to) before it is numbered.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        draft(i % 5 === 4 ? { title: `Bad ${i}`, summary: 'S', confidential: true } : { title: `Decision ${i}`, summary: 'S' }),
      ),
    );
    expect(results.filter((r) => r.status === 400)).toHaveLength(8);
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.number as string);
    expect(numbers.sort()).toEqual(Array.from({ length: 32 }, (_, i) => `${String(i + 1).padStart(3, '0')}-2027`));
    // The last minute of the year is still 2027's; a minute into 1 January is 2028's, from 001.
    // (London keeps GMT in winter, so its year turns with UTC's.) Tokens are made at the clock's time.
    clock.set(new Date('2027-12-31T23:59:00Z'));
    token = (await staffMember(t, 'fund_manager')).token;
    expect((await draft({ title: 'Year end', summary: 'S' }).expect(201)).body.number).toBe('033-2027');
    clock.set(new Date('2028-01-01T00:00:30Z'));
    token = (await staffMember(t, 'fund_manager')).token;
    expect((await draft({ title: 'New year', summary: 'S' }).expect(201)).body.number).toBe('001-2028');
  });

  it('records a confidential decision with what it relates to, and refuses bad input', async () => {
    clock.set(new Date('2029-06-01T12:00:00Z'));
    token = (await staffMember(t, 'fund_manager')).token;
    const ok = await draft({
      title: 'Vehicles',
      summary: 'Emergency purchase',
      confidential: true,
      confidentialSubject: 'the emergency purchase of vehicles',
    }).expect(201);
    expect(ok.body).toMatchObject({ number: '001-2029', status: 'draft', confidential: true, confidentialSubject: 'the emergency purchase of vehicles' });
    const bad = await Promise.all([
      draft({ title: '', summary: 'S' }),
      draft({ title: 'Two\nlines', summary: 'S' }),
      draft({ title: 'T', summary: 'S', confidentialSubject: 'something' }),
      draft({ title: 'T', summary: 'S', number: '005-2029' }),
    ]);
    expect(bad.map((b) => [b.status, b.body.details?.[0]?.field])).toEqual([
      [400, 'title'],
      [400, 'title'],
      [400, 'confidentialSubject'],
      [400, 'number'],
    ]);
    expect((await draft({ title: 'Next', summary: 'S' }).expect(201)).body.number).toBe('002-2029');
  });
});
