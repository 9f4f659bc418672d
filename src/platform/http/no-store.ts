import type { NextFunction, Request, Response } from 'express';
import { hasSecretInUrl } from '../logging/redact';

/** Why a response must not be kept by any cache (browser history, a proxy, a CDN), or null. */
export function noStoreReason(req: Request, res: Response): string | null {
  // Known only after authentication has run (sessions.ts sets it): a signed-in person's pages and
  // API answers are theirs alone — also their errors and redirects.
  if ((req as { principal?: unknown }).principal) return 'signed-in';
  // A bearer token that turned out not to be valid still asked as someone: its 401 is theirs.
  if (req.headers.authorization) return 'credentials';
  // A cached Set-Cookie would hand one person's session to the next visitor. Sessions are also
  // what anonymous visitors' CSRF tokens live in, so in practice every page answered to a browser
  // falls here; responses without a cookie (public API reads, /health, assets) stay cacheable.
  if (res.getHeader('Set-Cookie') !== undefined) return 'sets-cookie';
  // Reset, email-confirmation and invitation links carry their single-use token in the URL.
  if (hasSecretInUrl(req.originalUrl ?? req.url)) return 'secret-in-url';
  // Anything that changes state or hands out a secret (POST /api/v1/auth/tokens answers with a new
  // API token even to an anonymous caller) is never worth replaying from a cache.
  if (req.method !== 'GET' && req.method !== 'HEAD') return 'unsafe-method';
  return null;
}

/**
 * Sends `Cache-Control: no-store` on every response that belongs to one person or carries a
 * secret (see noStoreReason). Installed first, but decided at the moment the headers are written,
 * so it sees who authentication found — and covers error pages, redirects and anything else that
 * writes a response, without each route having to remember.
 */
export function noStoreMiddleware(req: Request, res: Response, next: NextFunction): void {
  // Called below with the response as `this`, as Node would call it.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with .apply(this, …) below
  const writeHead = res.writeHead;
  // Every way of sending a response (res.send, res.end, res.redirect, streaming) goes through
  // writeHead, explicitly or via Node's implicit header write, so this is the one place to decide.
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent && noStoreReason(req, this)) this.setHeader('Cache-Control', 'no-store');
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as typeof res.writeHead;
  next();
}
