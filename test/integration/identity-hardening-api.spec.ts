import request from 'supertest';
import { createUser, tokenFor } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';
import { clearThrottle } from './identity-support';

type Schema = {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  format?: string;
  allOf?: Schema[];
  enum?: unknown[];
};
type Operation = {
  summary?: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

/**
 * The identity part of the typed API contract: every /api/v1 identity operation documents its
 * request and response types, summary and error statuses, and what the API actually answers has
 * exactly the documented fields, with nulls only where the document allows them.
 */
describe('identity hardening: the identity API contract', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.http).get('/api/openapi.json').expect(200)).body;
  });
  afterAll(() => t?.close());
  beforeEach(() => clearThrottle(t));

  const resolve = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s.allOf?.length === 1 ? resolve(s.allOf[0]) : s);

  const OPERATIONS: [string, string, string, string | null, number[]][] = [
    // path, method, success status, request body schema, error statuses
    ['/api/v1/auth/tokens', 'post', '201', 'CreateTokenDto', [400, 401, 403, 429]],
    ['/api/v1/auth/tokens', 'get', '200', null, [401]],
    ['/api/v1/auth/tokens/{id}', 'delete', '204', null, [400, 401, 404]],
    ['/api/v1/me', 'get', '200', null, [401]],
    ['/api/v1/users', 'get', '200', null, [401, 403]],
    ['/api/v1/organisations', 'post', '201', 'OrganisationDto', [400, 401, 403, 409]],
    ['/api/v1/organisations/{id}', 'get', '200', null, [400, 401, 404]],
  ];

  it.each(OPERATIONS)('%s %s documents its summary, body, success type and errors', (path, method, success, body, errors) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op.summary).toBeTruthy();
    for (const status of errors)
      expect([status, op.responses[String(status)]?.content?.['application/json']?.schema.$ref]).toEqual([status, '#/components/schemas/ErrorResponseDto']);
    if (success === '204') {
      expect(op.responses['204']).toBeDefined();
    } else {
      const schema = op.responses[success]?.content?.['application/json']?.schema;
      expect(schema).toBeDefined();
      const item = resolve(schema!.type === 'array' ? schema!.items! : schema!);
      expect(Object.keys(item.properties ?? {}).length).toBeGreaterThan(2);
      // Every field has a type (or is a documented nested type or enum).
      for (const [name, prop] of Object.entries(item.properties!)) expect([name, !!(prop.type || prop.$ref || prop.allOf)]).toEqual([name, true]);
    }
    if (body) {
      expect(op.requestBody?.content['application/json'].schema.$ref).toBe(`#/components/schemas/${body}`);
      expect(Object.keys(doc.components.schemas[body].properties ?? {}).length).toBeGreaterThan(2);
    }
  });

  it('documents dates as date-time and nullable fields as nullable', () => {
    const token = doc.components.schemas.ApiTokenSummaryDto.properties!;
    expect(token.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(token.revokedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(token.lastUsedAt).toMatchObject({ nullable: true });
    const org = doc.components.schemas.OrganisationResponseDto.properties!;
    for (const f of ['charityNumber', 'companyNumber', 'areaOnsCode', 'areaDescription', 'verifiedAt']) expect([f, org[f].nullable]).toEqual([f, true]);
    expect(resolve(org.address).properties!.line2.nullable).toBe(true);
    expect(resolve(org.contact).properties!.phone.nullable).toBe(true);
    expect(resolve(org.type).enum).toContain('registered_charity');
    expect(doc.components.schemas.MeDto.properties!.organisations).toMatchObject({ type: 'array' });
  });

  /** The documented fields, exactly; a null only where nullable. Recurses into nested objects. */
  function expectMatches(value: Record<string, unknown>, schema: Schema, where: string) {
    const s = resolve(schema);
    expect([where, Object.keys(value).sort()]).toEqual([where, Object.keys(s.properties!).sort()]);
    for (const [k, prop] of Object.entries(s.properties!)) {
      const v = value[k];
      const p = resolve(prop);
      if (v === null) expect([`${where}.${k} may be null`, !!prop.nullable]).toEqual([`${where}.${k} may be null`, true]);
      else if (p.properties) expectMatches(v as Record<string, unknown>, p, `${where}.${k}`);
      else if (p.type === 'array' && p.items && resolve(p.items).properties)
        (v as Record<string, unknown>[]).forEach((x, i) => expectMatches(x, p.items!, `${where}.${k}[${i}]`));
    }
  }

  it('answers with exactly the documented fields', async () => {
    const admin = await createUser(t, ['admin']);
    const user = await createUser(t);
    const created = await request(t.http).post('/api/v1/auth/tokens').send({ email: user.email, password: user.password, name: 'contract' }).expect(201);
    expectMatches(created.body, doc.components.schemas.CreatedTokenDto, 'CreatedTokenDto');
    const auth = { Authorization: `Bearer ${created.body.token}` };
    const org = await request(t.http)
      .post('/api/v1/organisations')
      .set(auth)
      .send({
        name: 'Contract Group',
        type: 'unincorporated_group',
        addressLine1: '1 High St',
        town: 'Walsall',
        postcode: 'WS1 1AA',
        area: 'E08000030',
        contactName: 'C Person',
        contactEmail: 'c@example.org',
      })
      .expect(201);
    expectMatches(org.body, doc.components.schemas.OrganisationResponseDto, 'OrganisationResponseDto');
    expectMatches(
      (await request(t.http).get(`/api/v1/organisations/${org.body.id}`).set(auth).expect(200)).body,
      doc.components.schemas.OrganisationResponseDto,
      'GET organisation',
    );
    expectMatches((await request(t.http).get('/api/v1/me').set(auth).expect(200)).body, doc.components.schemas.MeDto, 'MeDto');
    const tokens = (await request(t.http).get('/api/v1/auth/tokens').set(auth).expect(200)).body;
    tokens.forEach((x: Record<string, unknown>) => expectMatches(x, doc.components.schemas.ApiTokenSummaryDto, 'ApiTokenSummaryDto'));
    const users = (
      await request(t.http)
        .get('/api/v1/users')
        .set({ Authorization: `Bearer ${await tokenFor(t, admin)}` })
        .expect(200)
    ).body;
    expect(Object.keys(users).sort()).toEqual(['items', 'limit', 'page', 'total']);
    expect(users.items.length).toBeGreaterThan(0);
    users.items.forEach((x: Record<string, unknown>) => expectMatches(x, doc.components.schemas.UserListItemDto, 'UserListItemDto'));
    await request(t.http).delete(`/api/v1/auth/tokens/${created.body.id}`).set(auth).expect(204);
  });
});
