import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { COMMON_ERROR_CODES, ERROR_DESCRIPTIONS, ErrorResponseDto } from '../errors/api-error.dto';

/** Marks an operation that needs no token; set by `@Public()` and read when the document is built. */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';
export const SECURITY_SCHEME = 'personalToken';

export interface ErrorCode {
  code: string;
  status: string;
  module: string;
}

const MODULES_DIR = path.resolve(__dirname, '..', '..', 'modules');
const CODE_PATTERN = /new\s+\w*Exception\(\s*'([a-z_]+\.[a-z0-9_]+)'/g;
const STATUS_PATTERN = /HttpStatus\.([A-Z_]+)|,\s*(\d{3})\s*[,)]/;

/**
 * Every stable error code the modules can return, read from their source (`new XException('code',
 * message, status)`) so that the document can never list fewer codes than the code has. Works
 * from `src/` (tests) and from `dist/` (production) alike: the compiled files keep the literals.
 */
export function collectErrorCodes(modulesDir = MODULES_DIR): ErrorCode[] {
  const codes = new Map<string, ErrorCode>();
  if (!fs.existsSync(modulesDir)) return [];
  const walk = (dir: string, moduleName: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, moduleName);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        const matches = [...text.matchAll(CODE_PATTERN)];
        matches.forEach((m, i) => {
          // The status is the first one after the code and before the next exception.
          const end = Math.min(matches[i + 1]?.index ?? text.length, (m.index ?? 0) + 800);
          const status = STATUS_PATTERN.exec(text.slice((m.index ?? 0) + m[0].length, end));
          const name =
            status?.[1] ?? (status?.[2] ? (Object.keys(STATUS_NUMBERS).find((k) => String(STATUS_NUMBERS[k]) === status[2]) ?? status[2]) : 'BAD_REQUEST');
          codes.set(m[1], { code: m[1], status: name, module: moduleName });
        });
      }
    }
  };
  for (const moduleName of fs.readdirSync(modulesDir)) {
    const dir = path.join(modulesDir, moduleName);
    if (fs.statSync(dir).isDirectory()) walk(dir, moduleName);
  }
  // Access control's own refusals (platform/access), raised before any module runs.
  const accessDir = path.join(modulesDir, '..', 'platform', 'access');
  if (fs.existsSync(accessDir)) walk(accessDir, 'access');
  return [...codes.values()].sort((a, b) => a.code.localeCompare(b.code));
}

const STATUS_NUMBERS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_ENTITY: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

function errorCodesMarkdown(codes: ErrorCode[]): string {
  const rows = [
    ...Object.entries(COMMON_ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | any | ${meaning} |`),
    ...codes.map((c) => `| \`${c.code}\` | ${STATUS_NUMBERS[c.status] ?? c.status} | ${c.module} |`),
  ];
  return [
    '## Errors',
    '',
    'Every error has one shape, `ErrorResponse`: `{ statusCode, error, message, details?, requestId }`. `error` is a stable code to branch on; `details` names each field (as a dotted path such as `ringFences.0.amountPence`) and the rule it broke.',
    '',
    '| code | status | meaning or module |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * The OpenAPI document of `/api/v1` only: HTML pages and health checks are not part of the API.
 * Public operations say so (`security: []`); every other one needs a personal API token, sent as
 * `Authorization: Bearer pccg_…` (an opaque token, not a JWT).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const codes = collectErrorCodes();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('PCC Grants API')
      .setDescription(
        [
          'Grant funds from call to payment. All amounts are integer pence; all times are ISO 8601 UTC.',
          '',
          'Authenticate with a personal API token: `POST /api/v1/auth/tokens` with your email and password (and a code when you use an authenticator app), then send `Authorization: Bearer pccg_…`.',
          '',
          errorCodesMarkdown(codes),
        ].join('\n'),
      )
      .setVersion('1')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/', 'This server')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'opaque (pccg_…)',
          description: 'A personal API token (`pccg_…`) from POST /api/v1/auth/tokens. Opaque, not a JWT.',
        },
        SECURITY_SCHEME,
      )
      .build(),
    { extraModels: [ErrorResponseDto] },
  );
  const errorResponse = (status: number) => ({
    description: ERROR_DESCRIPTIONS[status],
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorResponseDto.name}` } } },
  });
  const paths: OpenAPIObject['paths'] = {};
  for (const [route, item] of Object.entries(doc.paths)) {
    if (!route.startsWith('/api/v1/')) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method] as (Record<string, unknown> & { security?: unknown }) | undefined;
      if (!op) continue;
      const isPublic = !!op[PUBLIC_OPERATION_EXTENSION];
      delete op[PUBLIC_OPERATION_EXTENSION];
      op.security = isPublic ? [] : [{ [SECURITY_SCHEME]: [] }];
      // The errors every operation can give, whatever its controller declared: bad input (every
      // body, query and id is validated), no or wrong token, no permission, no such record, and
      // a database outage. Controllers add the rest (409, 413, 415, 422, 429) themselves.
      const responses = (op.responses ??= {}) as Record<string, unknown>;
      const defaults = [400, ...(isPublic ? [] : [401, 403]), ...(route.includes('{') ? [404] : []), 503];
      for (const status of defaults) responses[String(status)] ??= errorResponse(status);
    }
    paths[route] = item;
  }
  doc.paths = paths;
  // An error is always JSON in the one shape, even from an operation that produces CSV or a file.
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item) as { responses?: Record<string, { content?: Record<string, unknown> }> }[]) {
      for (const [status, response] of Object.entries(op?.responses ?? {})) {
        if (Number(status) >= 400 && response.content && !response.content['application/json']) Object.assign(response, errorResponse(Number(status)));
        else if (Number(status) >= 400 && response.content) response.content = { 'application/json': response.content['application/json'] };
      }
    }
  }
  inlineSingleAllOf(doc);
  dropUnusedSchemas(doc);
  doc.security = [{ [SECURITY_SCHEME]: [] }];
  (doc as unknown as Record<string, unknown>)['x-error-codes'] = codes.map((c) => ({
    code: c.code,
    status: STATUS_NUMBERS[c.status] ?? c.status,
    module: c.module,
  }));
  // Drop tags no operation uses any more (the page controllers' tags).
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])));
  doc.tags = (doc.tags ?? []).filter((t) => used.has(t.name));
  return doc;
}

export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const doc = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
  return doc;
}

type Json = Record<string, unknown>;

/**
 * @nestjs/swagger wraps a named enum in `allOf: [{ $ref }]` to hang a description beside it;
 * Redocly (rightly) calls a one-element allOf illogical. The enum is inlined instead.
 */
function inlineSingleAllOf(doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const obj = node as Json;
    const allOf = obj.allOf as Json[] | undefined;
    if (Array.isArray(allOf) && allOf.length === 1) {
      const only = allOf[0];
      const target = typeof only.$ref === 'string' ? schemas[only.$ref.replace('#/components/schemas/', '')] : only;
      // Objects stay referenced (a $ref alone); enums and scalars are inlined with their siblings.
      delete obj.allOf;
      if (target && target.type !== 'object' && !target.properties) Object.assign(obj, { ...target, ...obj });
      else if (Object.keys(obj).length === 0) Object.assign(obj, only);
      else obj.allOf = [only];
    }
    Object.values(obj).forEach(visit);
  };
  visit(doc.paths);
  visit(doc.components?.schemas);
}

/** Keeps only the component schemas something in the paths refers to (directly or through others). */
function dropUnusedSchemas(doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, unknown>;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(v);
    }
  };
  visit(doc.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
