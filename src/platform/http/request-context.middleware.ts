import { requestIdFrom, runWithContext } from '@pcc/request-context';
import type { NextFunction, Request, Response } from 'express';
import type pino from 'pino';
import { redactUrl } from '../logging/redact';

/**
 * First middleware on every request: gives it an id (echoed as X-Request-Id so a user can quote
 * it), notes when it arrived (before it waits for anything, such as a database connection for
 * sign-in), opens the request context that logs and audit rows read, and logs the outcome once.
 * The logged URL has its secrets replaced (reset and invitation links carry single-use tokens,
 * upload forms their CSRF token): see redactUrl.
 */
export function requestContextMiddleware(logger: pino.Logger, now: () => Date = () => new Date()) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    runWithContext({ requestId, ip: req.ip, receivedAt: now() }, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const level = res.statusCode >= 500 ? 'error' : 'info';
        logger[level](
          { req: { method: req.method, url: redactUrl(req.originalUrl) }, res: { statusCode: res.statusCode }, responseTimeMs: Math.round(ms * 10) / 10 },
          'request completed',
        );
      });
      next();
    });
  };
}
