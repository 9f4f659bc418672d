import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const DOCUMENT = path.join(ROOT, 'docs/api/openapi.json');
const TYPES = path.join(ROOT, 'test/contract/api-types.ts');
const BIN = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
// `npm run api:contract` rewrites the committed document and types instead of comparing.
const UPDATE = process.env.UPDATE_API_CONTRACT === '1';

type Operation = {
  summary?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: { name: string; in: string; schema?: unknown }[];
};

/**
 * The API contract: the OpenAPI document the running app serves is the committed one, lints clean
 * with Redocly's recommended rules, describes every request and response, and the TypeScript
 * types generated from it (which test/contract/typed-client.spec.ts compiles against) are current.
 */
describe('API contract (OpenAPI)', () => {
  let t: TestApp;
  let served: Record<string, unknown> & { paths: Record<string, Record<string, Operation>> };
  let tmp: string;

  beforeAll(async () => {
    t = await startTestApp();
    served = (await request(t.http).get('/api/openapi.json').expect(200)).body;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-openapi-'));
  });
  afterAll(async () => {
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('describes /api/v1 only: no pages, no health check', () => {
    const paths = Object.keys(served.paths);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });

  it('gives every operation a summary, security, a typed 2xx response, typed 4xx errors and a typed body', () => {
    const problems: string[] = [];
    for (const [route, item] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${route}`;
        if (!op.summary) problems.push(`${name}: no summary`);
        if (!Array.isArray(op.security)) problems.push(`${name}: no security requirement`);
        const ok = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        if (ok.length === 0) problems.push(`${name}: no 2xx response`);
        for (const [status, r] of ok) {
          if (status !== '204' && !Object.values(r.content ?? {}).some((c) => c.schema)) problems.push(`${name}: ${status} has no schema`);
        }
        const errors = Object.entries(op.responses).filter(([s]) => s.startsWith('4'));
        if (errors.length === 0) problems.push(`${name}: no 4xx response`);
        for (const [status, r] of errors) {
          const schema = JSON.stringify(r.content?.['application/json']?.schema ?? null);
          if (!schema.includes('ErrorResponse')) problems.push(`${name}: ${status} is not the error shape`);
        }
        if (['post', 'put', 'patch'].includes(method) && op.requestBody) {
          if (!Object.values(op.requestBody.content ?? {}).some((c) => c.schema)) problems.push(`${name}: request body has no schema`);
        }
        for (const p of op.parameters ?? []) if (!p.schema) problems.push(`${name}: parameter ${p.name} has no schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the token scheme as an opaque bearer token, not a JWT, and marks public operations', () => {
    const schemes = (served.components as { securitySchemes: Record<string, { bearerFormat?: string; scheme: string }> }).securitySchemes;
    expect(Object.values(schemes).map((s) => s.scheme)).toEqual(['bearer']);
    expect(Object.values(schemes).map((s) => s.bearerFormat)).toEqual(['opaque (pccg_…)']);
    expect(served.paths['/api/v1/auth/tokens'].post.security).toEqual([]);
    expect(served.paths['/api/v1/me'].get.security).not.toEqual([]);
  });

  it('documents every stable error code the modules can return', () => {
    const codes = (served['x-error-codes'] as { code: string }[]).map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['applications.not_found', 'identity.invalid_credentials']));
    for (const code of codes) expect(String((served.info as { description: string }).description)).toContain(`\`${code}\``);
  });

  it('is the committed document (docs/api/openapi.json); run `npm run api:contract` after changing the API', () => {
    const text = `${JSON.stringify(served, null, 2)}\n`;
    if (UPDATE) fs.writeFileSync(DOCUMENT, text);
    expect(fs.readFileSync(DOCUMENT, 'utf8')).toBe(text);
  });

  it('lints with Redocly’s recommended rules and no errors or warnings', async () => {
    const file = path.join(tmp, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(served));
    const result = await run(BIN('redocly'), ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('generates the TypeScript types the typed client compiles against (test/contract/api-types.ts)', async () => {
    const file = path.join(tmp, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(served));
    const out = path.join(tmp, 'api-types.ts');
    await run(BIN('openapi-typescript'), [file, '--output', out, '--export-type', '--alphabetize'], { cwd: ROOT });
    const generated = `// Generated from docs/api/openapi.json by openapi-typescript (npm run api:contract). Do not edit.\n${fs.readFileSync(out, 'utf8')}`;
    if (UPDATE) fs.writeFileSync(TYPES, generated);
    expect(fs.readFileSync(TYPES, 'utf8')).toBe(generated);
  });
});
