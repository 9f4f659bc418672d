import type { AddressInfo } from 'node:net';
import { createApplicant, createPublishedRound, roundBody, seedFunds, setClock, staffMember, type Applicant } from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import type { components } from './api-types';
import { typedClient } from './typed-client';

/**
 * An integrator's client, typed only by what openapi-typescript generates from the published
 * document, used over real HTTP. If a field or operation used here leaves the document (or changes
 * type), `npm run typecheck` fails; if the server stops matching the document, the assertions do.
 */
describe('a client typed from the OpenAPI document', () => {
  let t: TestApp;
  let call: ReturnType<typeof typedClient>;
  let applicant: Applicant;
  let roundId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    call = typedClient(`http://127.0.0.1:${(t.http.address() as AddressInfo).port}`);
    const { VF } = await seedFunds(t);
    setClock(t, '2027-01-10T12:00:00Z');
    roundId = (await createPublishedRound(t, await staffMember(t, 'fund_manager'), roundBody(VF))).id;
    applicant = await createApplicant(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs in for a token, reads who it is, finds the open round, starts and lists an application', async () => {
    const created = await call('post', '/api/v1/auth/tokens', { body: { email: applicant.email, password: applicant.password, name: 'typed client' } });
    expect(created.status).toBe(201);
    const token: string = created.data.token;
    expect(token).toMatch(/^pccg_/);
    expect(Date.parse(created.data.expiresAt)).toBeGreaterThan(Date.now());

    const me = await call('get', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    const org: components['schemas']['MembershipDto'] | undefined = me.data.organisations[0];
    expect(me.data.email).toBe(applicant.email);
    expect(org?.role).toBe('owner');

    const rounds = await call('get', '/api/v1/rounds', { query: { status: 'open' } });
    expect(rounds.status).toBe(200);
    const round = rounds.data.items.find((r) => r.id === roundId);
    expect(round?.totalBudgetPence).toBe(20_000_000);

    const started = await call('post', '/api/v1/applications', { token, body: { roundId, organisationId: org.id } });
    expect(started.status).toBe(201);
    const status: components['schemas']['ApplicationDto']['status'] = started.data.status;
    expect(status).toBe('draft');

    const saved = await call('patch', '/api/v1/applications/{id}', {
      token,
      params: { id: started.data.id },
      body: { answers: { projectTitle: 'Hate crime advocates for Aston' } },
    });
    expect(saved.status).toBe(200);
    expect(saved.data.answers.projectTitle).toBe('Hate crime advocates for Aston');

    const mine = await call('get', '/api/v1/applications', { token });
    expect(mine.status).toBe(200);
    expect(mine.data.total).toBe(1);
    expect(mine.data.items.map((a) => a.id)).toEqual([started.data.id]);
  });

  it('reads an error in the documented shape', async () => {
    const res = await call('get', '/api/v1/applications/{id}', { token: applicant.token, params: { id: 'not-a-uuid' } });
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(res.error?.details?.[0]).toMatchObject({ field: 'id', rule: 'isUuid' });
  });
});
