import fc from 'fast-check';
import request from 'supertest';
import { STAFF_ROLES } from '../../src/platform/access';
import { ERROR_CODES } from '../../src/error-codes';
import { COMMON_ERROR_CODES } from '../../src/platform/errors/api-error.dto';
import { createUser, tokenFor } from '../support/identity';
import {
  bearer,
  createApplicant,
  createPublishedRound,
  MINIMAL_PDF,
  roundBody,
  seedFunds,
  setClock,
  startApplication,
  upload,
  victimsAnswers,
} from '../support/rounds';
import { startTestApp, type TestApp } from '../support/test-app';
import { anyJson, badIds, type Components, invalidValue, type Schema, validValue } from './schema-arbitraries';

/**
 * Property test over the whole /api/v1 surface, driven by the OpenAPI document itself: for every
 * operation, generated valid and invalid ids, queries and bodies. Whatever is sent:
 * - nothing answers 5xx;
 * - every 4xx has the one error shape, and a validation failure names each field and rule;
 * - a body the document calls valid is never refused for its shape (a type, length, format or
 *   unknown-field rule): if it is refused, it is by a documented business rule code. A refusal
 *   for shape means the document and the code disagree.
 */
const RUNS = Number(process.env.API_PROPERTY_RUNS ?? 100);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// Rules that the schema expresses: a schema-valid value must never break one of these.
const SHAPE_RULES = new Set([
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isEnum',
  'isUuid',
  'isUUID',
  'isEmail',
  'isISO8601',
  'isDateString',
  'maxLength',
  'minLength',
  'arrayMaxSize',
  'arrayMinSize',
  'whitelistValidation',
  'isDefined',
  'nestedValidation',
  'isWellFormedText',
  'maxDepth',
  'unknownValue',
]);

/** Percent-encodes like encodeURIComponent, but sends a lone surrogate as the bytes a careless client would (WTF-8). */
function encodeQueryValue(v: string): string {
  return [...v].map((ch) => (ch.isWellFormed() ? encodeURIComponent(ch) : '%ED%A0%80')).join('');
}

interface Operation {
  method: (typeof METHODS)[number];
  route: string;
  pathParams: string[];
  query: { name: string; schema: Schema; required: boolean }[];
  body?: Schema;
  bodyType?: string;
  isPublic: boolean;
}

describe('every /api/v1 operation under generated input', () => {
  let t: TestApp;
  let doc: {
    paths: Record<
      string,
      Record<
        string,
        {
          security?: unknown[];
          parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
          requestBody?: { content: Record<string, { schema: Schema }> };
        }
      >
    >;
    components: { schemas: Components };
  };
  let operations: Operation[];
  let documentedCodes: Set<string>;
  const tokens: { staff: string; applicant: string } = { staff: '', applicant: '' };
  const fixtures: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.http).get('/api/openapi.json').expect(200)).body;
    documentedCodes = new Set([...Object.keys(COMMON_ERROR_CODES), ...ERROR_CODES.map((c) => c.code)]);
    operations = [];
    for (const [route, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const body = op.requestBody?.content ? Object.entries(op.requestBody.content)[0] : undefined;
        operations.push({
          method,
          route,
          pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: !!p.required })),
          body: body?.[1].schema,
          bodyType: body?.[0],
          isPublic: Array.isArray(op.security) && op.security.length === 0,
        });
      }
    }

    // The people and records the generated requests act on.
    const { VF } = await seedFunds(t);
    const staff = await createUser(t, [...STAFF_ROLES]);
    tokens.staff = await tokenFor(t, staff);
    setClock(t, '2027-01-10T12:00:00Z');
    const round = await createPublishedRound(t, { ...staff, token: tokens.staff }, roundBody(VF));
    fixtures.round = round.id;
    const applicant = await createApplicant(t);
    tokens.applicant = applicant.token;
    fixtures.organisation = applicant.organisation.id;
    const started = await startApplication(t, applicant, round.id);
    fixtures.application = started.body.id;
    await request(t.http).patch(`/api/v1/applications/${started.body.id}`).set(bearer(applicant.token)).send({ answers: victimsAnswers() });
    const file = await upload(t, applicant, started.body.id, 'safeguardingPolicy', MINIMAL_PDF, 'policy.pdf');
    fixtures.attachment = file.body.id;
    // A second token of the applicant's, for DELETE /auth/tokens/{id} to revoke (not the one in use).
    const spareToken = await request(t.http).post('/api/v1/auth/tokens').send({ email: applicant.email, password: applicant.password, name: 'spare' });
    fixtures.token = spareToken.body.id;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('covers every operation in the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
  });

  /** An id for a path parameter: the real record the route is about, a random one, or garbage. */
  function idFor(route: string, name: string): fc.Arbitrary<string> {
    const real =
      name === 'attachmentId'
        ? fixtures.attachment
        : route.startsWith('/api/v1/rounds/')
          ? fixtures.round
          : route.startsWith('/api/v1/applications/')
            ? fixtures.application
            : route.startsWith('/api/v1/organisations/')
              ? fixtures.organisation
              : route.startsWith('/api/v1/auth/tokens/')
                ? fixtures.token
                : undefined;
    return fc.oneof(
      { weight: 3, arbitrary: real ? fc.constant(real) : fc.uuid({ version: 4 }) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 2, arbitrary: badIds },
    );
  }

  function queryFor(op: Operation, valid: boolean): fc.Arbitrary<string> {
    if (!op.query.length) return valid ? fc.constant('') : fc.constantFrom('', '?x=%00', '?limit=1e300&limit=2');
    const entries = op.query.map((q) => {
      const value = valid
        ? validValue(q.schema, doc.components.schemas)
        : fc.oneof(
            validValue(q.schema, doc.components.schemas),
            anyJson.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
          );
      const repeated = valid ? fc.constant(false) : fc.boolean();
      return fc.tuple(fc.constant(q.name), fc.option(value, { nil: undefined, freq: q.required ? 1000 : 2 }), repeated);
    });
    return fc.tuple(...entries).map((parts) => {
      const pairs: string[] = [];
      for (const [name, value, repeated] of parts) {
        if (value === undefined) continue;
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) pairs.push(`${encodeURIComponent(name)}=${encodeQueryValue(String(v))}`);
        if (repeated) pairs.push(`${encodeURIComponent(name)}=${encodeQueryValue(String(values[0]))}`);
      }
      return pairs.length ? `?${pairs.join('&')}` : '';
    });
  }

  const errorShapeProblems = (status: number, body: Record<string, unknown>): string[] => {
    const problems: string[] = [];
    if (body?.statusCode !== status) problems.push(`statusCode ${String(body?.statusCode)} ≠ ${status}`);
    if (typeof body?.error !== 'string' || !body.error) problems.push('no error code');
    if (typeof body?.message !== 'string' || !body.message) problems.push('no message');
    if (typeof body?.requestId !== 'string' || !body.requestId) problems.push('no requestId');
    if (body?.error === 'validation_failed') {
      const details = body.details as { field?: unknown; rule?: unknown }[] | undefined;
      if (!Array.isArray(details) || details.length === 0) problems.push('validation_failed without details');
      else if (details.some((d) => typeof d.field !== 'string' || !d.field || typeof d.rule !== 'string' || !d.rule))
        problems.push('a detail without field or rule');
    }
    return problems;
  };

  it(`answers every operation without a 5xx, in the error shape, over ${RUNS}+ generated cases each`, async () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    for (const op of operations) {
      const name = `${op.method.toUpperCase()} ${op.route}`;
      counts[name] = 0;
      // Applicants' operations are tried as an applicant, the rest as staff holding every role.
      const client = request(t.http);
      const probe = await client[op.method](op.route.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000'))
        .set(bearer(tokens.applicant))
        .send({});
      const token = probe.status === 403 ? tokens.staff : tokens.applicant;
      const jsonBody = op.body && op.bodyType === 'application/json' ? op.body : undefined;
      // Built once per operation, not per case: building a large body's arbitrary (patterns parsed
      // into generators, nested records) costs far more than drawing a value from it.
      const queries = { valid: queryFor(op, true), invalid: queryFor(op, false) };
      const bodies = jsonBody
        ? { valid: validValue(jsonBody, doc.components.schemas), invalid: invalidValue(jsonBody, doc.components.schemas) }
        : { valid: fc.constant(undefined), invalid: fc.option(anyJson, { nil: undefined }) };

      const caseArb = fc
        .record({
          valid: fc.boolean(),
          ids: fc.tuple(...op.pathParams.map((p) => idFor(op.route, p))),
          seed: fc.integer(),
          signedIn: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        })
        .chain((c) =>
          fc.record({
            c: fc.constant(c),
            query: c.valid ? queries.valid : queries.invalid,
            body: c.valid ? bodies.valid : bodies.invalid,
          }),
        );

      await fc.assert(
        fc.asyncProperty(caseArb, async ({ c, query, body }) => {
          counts[name]++;
          let i = 0;
          const path = op.route.replace(/\{(\w+)\}/g, () => encodeURIComponent(c.ids[i++] ?? '').replace(/%25(?=[0-9A-F]{2})/gi, '%'));
          const client = request(t.http);
          let req = client[op.method](path + query).set('Accept', 'application/json');
          if (c.signedIn) req = req.set(bearer(token));
          if (op.bodyType === 'multipart/form-data') {
            req = req
              .field('questionId', c.valid ? 'safeguardingPolicy' : typeof body === 'string' ? body : (JSON.stringify(body) ?? 'x'))
              .attach('file', MINIMAL_PDF, c.valid ? 'policy.pdf' : 'x.html');
          } else if (body !== undefined) {
            req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
          }
          const res = await req;
          const where = `${name} ${path}${query} ${JSON.stringify(body)?.slice(0, 300)}`;
          if (res.status >= 500) {
            failures.push(`${res.status} ${where} → ${JSON.stringify(res.body).slice(0, 200)}`);
            return;
          }
          if (res.status >= 400) {
            const problems = errorShapeProblems(res.status, res.body);
            if (problems.length) failures.push(`${res.status} bad error shape (${problems.join(', ')}) ${where}`);
            if (!documentedCodes.has(String(res.body?.error)) && !/^[a-z_]+$/.test(String(res.body?.error)))
              failures.push(`${res.status} undocumented code ${res.body?.error} ${where}`);
            // A schema-valid request, signed in, with real ids, refused for its shape: the document lies.
            const realIds = c.ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
            if (c.valid && c.signedIn && realIds && res.body?.error === 'validation_failed') {
              const shapeRules = ((res.body.details ?? []) as { field: string; rule: string }[]).filter((d) => SHAPE_RULES.has(d.rule));
              if (shapeRules.length)
                failures.push(`${res.status} schema-valid input refused for its shape (${shapeRules.map((d) => `${d.field}:${d.rule}`).join(', ')}) ${where}`);
            }
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.API_PROPERTY_SEED ?? 20261202), endOnFailure: false },
      );
    }
    for (const [name, n] of Object.entries(counts)) expect(`${name}: ${n >= RUNS ? 'ok' : n}`).toBe(`${name}: ok`);
    expect([...new Set(failures)].slice(0, 40)).toEqual([]);
  }, 600_000);
});
