import { Controller, Get } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Public, RequirePermission, SignedIn } from '../../src/modules/identity/access.decorators';
import { DEMO_AREAS } from '../../src/demo/demo-data';
import { FundsService } from '../../src/modules/funds/funds.service';
import { Permission, STAFF_ROLES, StaffRole } from '../../src/modules/identity/permissions';
import { TokensService } from '../../src/modules/identity/tokens.service';
import { createUser, type TestUser, tokenFor } from '../support/identity';
import { accessDeclarationProblem, expressRoutes, nestRoutes, type RouteKey } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/*
 * The access matrix (issue 3): every /api/v1 route × every kind of caller, with the exact answer
 * each one must get. Deny is the default twice over: a route without an access declaration fails
 * the first test, and an /api/v1 route without a row here fails the second.
 *
 * A cell is the status the caller must get. Denials must also come from the access layer, so a
 * 401 must be the guard's `unauthorized`, a 403 its `identity.forbidden` and a 404 the
 * object-level `identity.not_found` (a record that exists but is not theirs looks missing).
 */

const CALLERS = ['anonymous', 'applicant', 'otherOrgApplicant', ...STAFF_ROLES] as const;
type Caller = (typeof CALLERS)[number];
type Row = Record<Caller, number>;

const CALLER_NOTES: Record<Caller, string> = {
  anonymous: 'no Authorization header, no session',
  applicant: 'community-group user, owner of organisation A',
  otherOrgApplicant: 'community-group user, owner of organisation B, reaching for A’s records',
  ...(Object.fromEntries(STAFF_ROLES.map((r) => [r, `staff with only the ${r} role`])) as Record<StaffRole, string>),
};

const DENIAL_CODES: Record<number, string> = { 401: 'unauthorized', 403: 'identity.forbidden', 404: 'identity.not_found' };

/** Every caller gets `status` (public routes). */
const everyone = (status: number): Row => Object.fromEntries(CALLERS.map((c) => [c, status])) as Row;
/** Anonymous 401; every signed-in caller gets `status`. */
const signedIn = (status: number): Row => ({ ...everyone(status), anonymous: 401 });
/** Anonymous 401; the listed callers get `status`; every other signed-in caller 403. */
const only = (status: number, ...allowed: Caller[]): Row => ({ ...signedIn(403), ...Object.fromEntries(allowed.map((c) => [c, status])) });

/**
 * The staff who may look at any organisation (they hold applications:view-all). Written out, not
 * read from ROLE_PERMISSIONS, so a change to that map has to be matched here on purpose.
 */
const VIEW_ALL: Caller[] = [StaffRole.FundManager, StaffRole.FinanceOfficer, StaffRole.FinanceApprover, StaffRole.Commissioner, StaffRole.Auditor];

interface Fixture {
  users: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  bearer: Record<Exclude<Caller, 'anonymous'>, string>;
  /** A token of each caller's own, for them to revoke (never the one they are calling with). */
  ownSpareTokenId: Record<Exclude<Caller, 'anonymous'>, string>;
  /** A token of the applicant's that nobody else may revoke. */
  applicantsOtherTokenId: string;
  orgA: string;
  orgB: string;
}

interface RequestParts {
  params?: Record<string, string>;
  body?: object;
}

interface MatrixEntry {
  expect: Row;
  /** Path parameters and body for one caller's request. */
  request?: (f: Fixture, caller: Caller) => RequestParts;
  /** Checked once after every caller has been tried; returns a problem or null. */
  afterwards?: (f: Fixture, t: TestApp) => Promise<string | null>;
}

const validOrganisation = (name: string) => ({
  name,
  type: 'unincorporated_group',
  addressLine1: '1 Lloyd House, Colmore Circus Queensway',
  town: 'Birmingham',
  postcode: 'B4 6NQ',
  area: 'E08000025',
  contactName: 'Sam Example',
  contactEmail: 'sam@example.org',
});

const MATRIX: Record<RouteKey, MatrixEntry> = {
  // Public: exchanging credentials for a token. Signed-in callers exchange their own.
  'POST /api/v1/auth/tokens': {
    expect: everyone(201),
    request: (f, c) => {
      const u = f.users[c === 'anonymous' ? 'applicant' : c];
      return { body: { email: u.email, password: u.password, name: 'access matrix' } };
    },
  },
  'GET /api/v1/auth/tokens': { expect: signedIn(200) },
  // Everyone may revoke their own tokens; the other group's user tries the applicant's and it looks missing.
  'DELETE /api/v1/auth/tokens/:id': {
    expect: { ...signedIn(204), otherOrgApplicant: 404 },
    request: (f, c) => ({ params: { id: c === 'anonymous' || c === 'otherOrgApplicant' ? f.applicantsOtherTokenId : f.ownSpareTokenId[c] } }),
    afterwards: async (f, t) => {
      const [row] = await t.dataSource.query(`SELECT revoked_at FROM api_token WHERE id = $1`, [f.applicantsOtherTokenId]);
      if (!row) return 'the applicant’s other token is missing';
      return row.revoked_at ? 'the applicant’s token was revoked by someone else' : null;
    },
  },
  'GET /api/v1/me': { expect: signedIn(200) },
  'GET /api/v1/users': { expect: only(200, StaffRole.Admin) },
  // Staff act for the PCC, not a community group: they cannot register organisations.
  'POST /api/v1/organisations': {
    expect: only(201, 'applicant', 'otherOrgApplicant'),
    request: (_f, c) => ({ body: validOrganisation(`Matrix group for ${c}`) }),
  },
  // Object level: members and applications:view-all holders see it; anyone else gets 404, never 403.
  'GET /api/v1/organisations/:id': {
    expect: { ...only(200, 'applicant', ...VIEW_ALL), otherOrgApplicant: 404, [StaffRole.Assessor]: 404, [StaffRole.Admin]: 404 },
    request: (f) => ({ params: { id: f.orgA } }),
  },
  'GET /api/v1/fund-programmes': { expect: everyone(200) },
  'GET /api/v1/areas': { expect: everyone(200) },
  'GET /api/v1/audit-events': { expect: only(200, StaffRole.Admin, StaffRole.Auditor) },
  'GET /api/v1/admin/mailbox': { expect: only(200, StaffRole.Admin) },
};

/**
 * Cells where the app is known to answer differently from the matrix. Each is still checked: it
 * must keep failing in exactly this way, and the test says so once it is fixed, so the entry is
 * removed rather than forgotten.
 */
const KNOWN_BUGS: { route: RouteKey; caller: Caller; actual: string; why: string }[] = [
  // e.g. { route: 'POST /api/v1/auth/tokens', caller: 'anonymous', actual: '403 forbidden', why: 'CSRF check refuses API clients' },
];

const API_PREFIX = '/api/v1/';
/** Mounted by SwaggerModule outside Nest's router, so no guard runs; public by design. */
const NON_NEST_PUBLIC = /^GET \/api\/(docs|openapi)(\/|\.|$)/;

function describeResponse(status: number, body: unknown): string {
  const code = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : '';
  return status >= 400 && code ? `${status} ${code}` : String(status);
}

function expected(status: number): string {
  return DENIAL_CODES[status] ? `${status} ${DENIAL_CODES[status]}` : String(status);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  ')).join('\n');
}

describe('access matrix', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp();
    // The matrix is about permissions; MFA enrolment is covered elsewhere.
    expect(t.config.staffMfaRequired).toBe(false);
    expect(t.config.smtpUrl).toBeNull();
    await t.dataSource.transaction((m) => t.app.get(FundsService).ensureAreas(m, DEMO_AREAS));

    const signedInCallers = CALLERS.filter((c): c is Exclude<Caller, 'anonymous'> => c !== 'anonymous');
    const users = Object.fromEntries(
      await Promise.all(signedInCallers.map(async (c) => [c, await createUser(t, STAFF_ROLES.includes(c as StaffRole) ? [c as StaffRole] : [])] as const)),
    ) as Fixture['users'];
    const bearer = Object.fromEntries(await Promise.all(signedInCallers.map(async (c) => [c, await tokenFor(t, users[c])] as const))) as Fixture['bearer'];
    const tokens = t.app.get(TokensService);
    const ownSpareTokenId = Object.fromEntries(
      await Promise.all(signedInCallers.map(async (c) => [c, (await tokens.create(users[c].id, 'to revoke')).id] as const)),
    ) as Fixture['ownSpareTokenId'];
    const applicantsOtherTokenId = (await tokens.create(users.applicant.id, 'not yours')).id;

    const orgA = await request(t.http).post('/api/v1/organisations').auth(bearer.applicant, { type: 'bearer' }).send(validOrganisation('Organisation A')).expect(201);
    const orgB = await request(t.http).post('/api/v1/organisations').auth(bearer.otherOrgApplicant, { type: 'bearer' }).send(validOrganisation('Organisation B')).expect(201);
    f = { users, bearer, ownSpareTokenId, applicantsOtherTokenId, orgA: orgA.body.id, orgB: orgB.body.id };
  });
  afterAll(() => t?.close());

  it('gives every route of the app exactly one access declaration (deny is the default)', () => {
    const routes = nestRoutes(t.app);
    expect(routes.length).toBeGreaterThan(0);
    const problems = routes.flatMap((r) => {
      const problem = accessDeclarationProblem(r, Object.values(Permission));
      return problem ? [[r.key, `${r.controller}.${r.handler}`, problem]] : [];
    });
    if (problems.length) throw new Error(`Routes with a missing or bad access declaration:\n${table([['route', 'handler', 'problem'], ...problems])}`);

    // Anything Express serves that Nest did not register bypasses the guard entirely.
    const nestKeys = new Set<string>(routes.map((r) => r.key));
    const dispatched = expressRoutes(t.app);
    const unguarded = dispatched.filter((k) => !nestKeys.has(k) && !NON_NEST_PUBLIC.test(k));
    expect(unguarded).toEqual([]);
    // And the route list read from Nest's metadata is the one Express really dispatches.
    expect(routes.map((r) => r.key).filter((k) => !dispatched.includes(k))).toEqual([]);
  });

  it('would notice a route with no declaration, an empty one or two', async () => {
    @Controller('api/v1/probe')
    class ProbeController {
      @Get('forgotten')
      forgotten() {}
      @RequirePermission()
      @Get('empty')
      empty() {}
      @Get('declared')
      @RequirePermission(Permission.AuditRead)
      declared() {}
    }
    @Public()
    @Controller('probe-public')
    class ProbePublicController {
      @Get()
      page() {}
      @SignedIn()
      @Get('overridden')
      overridden() {}
    }
    const probe = (await Test.createTestingModule({ controllers: [ProbeController, ProbePublicController] }).compile()).createNestApplication<NestExpressApplication>({ logger: false });
    await probe.init();
    try {
      const problems = Object.fromEntries(nestRoutes(probe).map((r) => [r.key, accessDeclarationProblem(r, Object.values(Permission))]));
      expect(problems).toEqual({
        'GET /api/v1/probe/forgotten': expect.stringMatching(/^no @Public/),
        'GET /api/v1/probe/empty': expect.stringMatching(/with no permission/),
        'GET /api/v1/probe/declared': null,
        'GET /probe-public': null,
        'GET /probe-public/overridden': expect.stringMatching(/both the handler and the controller/),
      });
      expect(expressRoutes(probe)).toEqual(expect.arrayContaining(['GET /api/v1/probe/forgotten', 'GET /probe-public']));
    } finally {
      await probe.close();
    }
  });

  it('has a matrix row for every /api/v1 route, and a route for every row', () => {
    const apiRoutes = expressRoutes(t.app).filter((k) => k.split(' ')[1].startsWith(API_PREFIX));
    const missing = apiRoutes.filter((k) => !(k in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !apiRoutes.includes(k as RouteKey));
    if (missing.length || stale.length) {
      throw new Error(
        [
          missing.length ? `/api/v1 routes with no access-matrix row (add one to MATRIX):\n  ${missing.join('\n  ')}` : '',
          stale.length ? `MATRIX rows with no such route:\n  ${stale.join('\n  ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  });

  it('lists every caller in every row', () => {
    for (const [route, entry] of Object.entries(MATRIX)) expect([route, Object.keys(entry.expect).sort()]).toEqual([route, [...CALLERS].sort()]);
    for (const bug of KNOWN_BUGS) expect(MATRIX[bug.route]).toBeDefined();
  });

  it.each(Object.keys(MATRIX) as RouteKey[])('%s answers each caller as the matrix says', async (route) => {
    const entry = MATRIX[route];
    const [method, pattern] = route.split(' ');
    const rows: string[][] = [];
    for (const caller of CALLERS) {
      const parts = entry.request?.(f, caller) ?? {};
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const value = parts.params?.[name];
        if (!value) throw new Error(`${route}: no value for :${name} for ${caller}`);
        return encodeURIComponent(value);
      });
      let req = request(t.http)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set('Accept', 'application/json');
      if (caller !== 'anonymous') req = req.auth(f.bearer[caller], { type: 'bearer' });
      const res = parts.body ? await req.send(parts.body) : await req;

      const want = expected(entry.expect[caller]);
      const got = describeResponse(res.status, res.body);
      const bug = KNOWN_BUGS.find((b) => b.route === route && b.caller === caller);
      if (bug && got === bug.actual) continue;
      if (bug) rows.push([caller, want, got, `known bug (${bug.why}) now answers ${got}: update or remove its KNOWN_BUGS entry`]);
      else if (got !== want) rows.push([caller, want, got, `${CALLER_NOTES[caller]}; ${String(res.body?.message ?? '').slice(0, 80)}`]);
    }
    const after = await entry.afterwards?.(f, t);
    if (after) rows.push(['(afterwards)', '', '', after]);
    if (rows.length) throw new Error(`${route}: ${rows.length} cell(s) differ from the access matrix\n${table([['caller', 'expected', 'actual', 'note'], ...rows])}`);
  });

  it('answers an unknown /api/v1 route with 404 whoever asks (the guard only runs on real routes)', async () => {
    for (const method of ['get', 'post'] as const) {
      const anonymous = await request(t.http)[method]('/api/v1/no-such-route').set('Accept', 'application/json').send(method === 'post' ? {} : undefined);
      expect([method, describeResponse(anonymous.status, anonymous.body)]).toEqual([method, '404 not_found']);
    }
    for (const caller of ['applicant', StaffRole.Admin] as const) {
      const res = await request(t.http).get('/api/v1/no-such-route').auth(f.bearer[caller], { type: 'bearer' });
      expect([caller, describeResponse(res.status, res.body)]).toEqual([caller, '404 not_found']);
      const post = await request(t.http).post('/api/v1/no-such-route').auth(f.bearer[caller], { type: 'bearer' }).send({});
      expect([caller, describeResponse(post.status, post.body)]).toEqual([caller, '404 not_found']);
    }
  });
});
