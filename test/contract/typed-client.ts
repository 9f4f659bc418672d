import type { paths } from './api-types';

/**
 * A minimal client typed only by the generated `paths` (test/contract/api-types.ts): if the API's
 * document stops describing a field the tests read, or a body they send, `npm run typecheck`
 * fails before any test runs. This is what an integrator gets from the published document.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type OperationOf<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;
type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessBody<O> = O extends { responses: infer R } ? JsonContent<R[Extract<keyof R, 200 | 201>]> : never;
type RequestBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;
type PathParams<O> = O extends { parameters: { path: infer P } } ? P : undefined;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? Q : undefined;

export interface CallOptions<O> {
  params?: PathParams<O>;
  query?: QueryParams<O>;
  body?: RequestBody<O>;
  token?: string;
}

export interface Result<O> {
  status: number;
  /** The success body when status is 2xx; the error body otherwise. */
  data: SuccessBody<O>;
  error?: { statusCode: number; error: string; message: string; requestId: string; details?: { field: string; rule: string; message: string }[] };
}

/** A query parameter's value as sent: scalars as themselves, anything else as JSON. */
function queryText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function typedClient(baseUrl: string) {
  return async function call<P extends keyof paths, M extends Method>(
    method: M,
    route: P,
    options: CallOptions<OperationOf<P, M>> = {},
  ): Promise<Result<OperationOf<P, M>>> {
    const url = new URL(
      route.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String((options.params as Record<string, unknown>)?.[name]))),
      baseUrl,
    );
    const query: object = options.query ?? {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, queryText(v));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method: method.toUpperCase(), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    return res.ok ? { status: res.status, data: json } : { status: res.status, data: undefined as never, error: json };
  };
}
