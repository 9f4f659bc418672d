/**
 * Secrets that travel in URLs: reset, email-confirmation and invitation links carry a single-use
 * token in the query string, upload forms carry their CSRF token there (see sessions.ts), and a
 * careless client may put an API token anywhere. Whoever can read the request log must not be able
 * to use any of them, so they are replaced before a URL is logged.
 */
export const REDACTED = '[REDACTED]';

/**
 * Query parameter names whose values are secrets: exactly one of these words, or one ending in it
 * after `_` or `-` (`access_token`, `api-key`, `client_secret`), in any case. `_csrf` is listed
 * because it is a session's CSRF token.
 */
const SECRET_PARAM = /^(?:_csrf|(?:.*[_-])?(?:token|code|otp|password|passwd|secret|key))$/i;

/** Our API tokens (see identity/tokens.service.ts), wherever one turns up: path, query or text. */
const BEARER_VALUE = /pccg_[A-Za-z0-9_\-.~+/=%]+/g;

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // A malformed escape cannot be decoded; judge the name as written.
    return raw;
  }
}

/** Whether a URL's query string carries a secret parameter (see SECRET_PARAM) or an API token. */
export function hasSecretInUrl(url: string): boolean {
  return redactUrl(url) !== url;
}

/** Replaces every API token value in free text. */
export function redactBearerValues(text: string): string {
  return text.replace(BEARER_VALUE, `pccg_${REDACTED}`);
}

/**
 * A URL (as Express's `originalUrl`, path and query) fit for the log: secret query parameters'
 * values become `[REDACTED]` — every occurrence, also repeated and bracketed (`token[]=`) ones —
 * and any `pccg_…` value anywhere becomes `pccg_[REDACTED]`. The rest is kept byte for byte so
 * the log still shows what was asked for.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutHash = hash >= 0 ? url.slice(0, hash) : url;
  const q = withoutHash.indexOf('?');
  if (q < 0) return redactBearerValues(withoutHash);
  const path = withoutHash.slice(0, q);
  const query = withoutHash
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      // `token[]` and `token[0]` are the same parameter to a query parser.
      const name = decodeName(pair.slice(0, eq)).replace(/\[[^\]]*\]$/, '');
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return redactBearerValues(`${path}?${query}`);
}

/**
 * Last line of defence for whatever a log line carries: strings anywhere in a plain object or
 * array (a few levels deep) lose any API token. Errors are left to the `err` serializer.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('pccg_') ? redactBearerValues(value) : value;
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Error || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const r = redactDeep(v, depth + 1);
    if (r !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = r;
  }
  return out ?? value;
}
