import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { COMMON_ERROR_CODES, ERROR_DESCRIPTIONS, ErrorResponseDto } from '../errors/api-error.dto';
import type { ErrorCodeEntry } from '../errors/app-exception';

/** Marks an operation that needs no token; set by `@Public()` and read when the document is built. */
export const PUBLIC_OPERATION_EXTENSION = 'x-public';
export const SECURITY_SCHEME = 'personalToken';

/**
 * The published codes in one order (by code), each once. A code listed twice would mean two
 * modules raise it, which the table cannot describe: refused at start-up rather than documented
 * wrongly.
 */
export function sortedErrorCodes(codes: readonly ErrorCodeEntry[]): ErrorCodeEntry[] {
  const byCode = new Map<string, ErrorCodeEntry>();
  for (const c of codes) {
    if (byCode.has(c.code) || c.code in COMMON_ERROR_CODES) throw new Error(`Error code ${c.code} is declared twice`);
    byCode.set(c.code, c);
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The description's table of error codes: the common ones, then every module's. */
export function errorCodesMarkdown(codes: readonly ErrorCodeEntry[]): string {
  const rows = [
    ...Object.entries(COMMON_ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | any | ${meaning} |`),
    ...sortedErrorCodes(codes).map((c) => `| \`${c.code}\` | ${c.status} | ${c.module} |`),
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
 * `Authorization: Bearer pccg_…` (an opaque token, not a JWT). `errorCodes` are every module's
 * published codes, handed over by the composition root (`src/error-codes.ts`): the platform
 * knows no module.
 */
export function buildOpenApiDocument(app: INestApplication, errorCodes: readonly ErrorCodeEntry[]): OpenAPIObject {
  const codes = sortedErrorCodes(errorCodes);
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
    status: c.status,
    module: c.module,
  }));
  // Drop tags no operation uses any more (the page controllers' tags).
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])));
  doc.tags = (doc.tags ?? []).filter((t) => used.has(t.name));
  return doc;
}

export function setupOpenApi(app: INestApplication, errorCodes: readonly ErrorCodeEntry[]): OpenAPIObject {
  const doc = buildOpenApiDocument(app, errorCodes);
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
