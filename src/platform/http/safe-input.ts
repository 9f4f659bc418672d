import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedException } from '../errors/app-exception';

/**
 * PostgreSQL cannot store NUL in text or JSON, and a lone UTF-16 surrogate cannot be encoded as
 * UTF-8 at all: either reached the database (or encodeURIComponent) as a 500. Neither is ever
 * meaningful in a grant application, so they are refused at the door — in every body field,
 * query parameter and object key — with a 400 naming the field, before any controller runs.
 */
export function unsafeTextReason(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain the NUL character';
  if (!s.isWellFormed()) return 'must not contain unpaired surrogate characters (invalid Unicode)';
  return undefined;
}

/** The first field (as a dotted path, e.g. `answers.q3.line1`) holding text PostgreSQL cannot store. */
export function findUnsafeText(value: unknown, path = ''): { field: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason ? { field: path || 'body', reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      // A bad key is named by its parent and a visible rendering of the key itself.
      if (keyReason)
        return { field: path ? `${path}.${JSON.stringify(key).slice(1, -1)}` : JSON.stringify(key).slice(1, -1), reason: `names a field that ${keyReason}` };
      const found = findUnsafeText(v, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

export function assertSafeText(value: unknown, prefix = ''): void {
  const found = findUnsafeText(value, prefix);
  if (found) throw new ValidationFailedException([{ field: found.field, rule: 'isWellFormedText', message: `${found.field} ${found.reason}` }]);
}

/** Checks the parsed query and body of every request (multipart fields are checked after multer). */
export function safeInputMiddleware(req: Request, _res: Response, next: NextFunction): void {
  try {
    assertSafeText(req.query);
    if (req.body !== undefined && typeof req.body === 'object') assertSafeText(req.body);
    next();
  } catch (err) {
    next(err);
  }
}

/**
 * Deepest nesting allowed in a JSON body. Our deepest real body (a round's form definition:
 * round → form → sections → questions → options) is about 6 levels; 32 leaves room for
 * integrators while refusing the ~1,500-deep bodies that exhausted the call stack.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Measures nesting on the raw bytes, before JSON.parse and class-transformer recurse into it.
 * Brackets inside strings do not count; escapes inside strings are skipped.
 */
export function jsonDepthExceeds(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** body-parser `verify` hook: refuses over-deep JSON with a 400 before it is parsed. */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
    throw new ValidationFailedException([{ field: 'body', rule: 'maxDepth', message: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep` }]);
  }
}
