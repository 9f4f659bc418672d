import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { currentContext } from '@pcc/request-context';
import type { Request, Response } from 'express';
import type pino from 'pino';
import { AccessErrorCode, AccessException } from '../access/access.exceptions';
import { ROOT_LOGGER } from '../logging/logger';
import { AppException, type FieldError } from './app-exception';
import { mapDatabaseError } from './database-errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[];
  requestId?: string;
}

const PAGE_TITLES: Record<number, string> = {
  400: 'There is a problem with your request',
  401: 'You need to sign in',
  403: 'You do not have permission to view this page',
  404: 'Page not found',
  413: 'The file is too large',
  415: 'The file type is not allowed',
  429: 'Too many attempts',
  503: 'Sorry, the service is unavailable',
};

/** What access control says when it has no more specific reason than "not allowed". */
const GENERIC_REFUSAL = AccessException.forbidden().message;

/**
 * The one place errors become responses. API clients get JSON with a stable `error` code and, for
 * bad input, each field and the rule it broke. People get a GOV.UK error page. Anything unexpected
 * is a 500 that shows only the request id: the stack and message go to the log, never the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: pino.Logger) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    // Nest wraps errors raised in Express middleware (our body-parser hooks among them) in an
    // HttpException; the original keeps the stable code and the field details.
    const exception = thrown instanceof HttpException && thrown.cause instanceof AppException ? thrown.cause : thrown;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const requestId = currentContext()?.requestId ?? String(res.getHeader('X-Request-Id') ?? '');
    // A lost database connection, a unique-constraint race: known meanings, not bugs.
    const mapped = mapDatabaseError(exception);
    if (mapped && mapped.status >= HttpStatus.INTERNAL_SERVER_ERROR) this.logger.warn({ err: exception, requestId }, 'database unavailable');
    const body = this.toBody(mapped ?? exception, requestId);

    // Tell well-behaved clients how long to wait after a throttled attempt or an outage.
    const retryAfter = ((mapped ?? exception) as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if ((body.statusCode === 429 || body.statusCode === 503) && typeof retryAfter === 'number' && !res.headersSent)
      res.setHeader('Retry-After', String(Math.ceil(retryAfter)));

    if (body.statusCode >= 500 && !mapped) {
      this.logger.error({ err: exception, requestId }, 'unhandled error');
    }
    if (res.headersSent) return;

    // Load balancers and monitors read terminus's own health body; keep it intact.
    if (req.path === '/health' && exception instanceof HttpException) {
      res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }

    // A .json file (the open data) answers its errors in JSON too, whatever the client accepts.
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/health' || req.path.endsWith('.json') || !req.accepts('html')) {
      res.status(body.statusCode).json(body);
      return;
    }
    // People who are not signed in are taken to sign in and brought back; staff who must set up
    // MFA are taken to do that.
    if (body.statusCode === 401 && req.method === 'GET') {
      res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (exception instanceof AccessException && exception.code === AccessErrorCode.MfaEnrolmentRequired && req.method === 'GET') {
      res.redirect(303, '/account/mfa');
      return;
    }
    // A page address with a malformed id is, to a person, an address that does not exist.
    if (body.error === 'validation_failed' && body.details?.length && body.details.every((d) => d.rule === 'isUuid')) {
      body.statusCode = 404;
    }
    const refused = exception instanceof AccessException && exception.code !== AccessErrorCode.MfaEnrolmentRequired;
    const title =
      body.statusCode === 403 && req.method !== 'GET' && req.method !== 'HEAD'
        ? 'You do not have permission to do that'
        : (PAGE_TITLES[body.statusCode] ?? (body.statusCode >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem'));
    // The page title already says "you do not have permission"; a refusal's message is shown only
    // when it adds a reason (e.g. "Only the owner of an organisation can invite people").
    const sayOnce = refused && (exception.message === GENERIC_REFUSAL || exception.message === title);
    res.status(body.statusCode).render('errors/error.njk', {
      status: body.statusCode,
      title,
      // A refusal by access control: the page says how to get access (another account, or ask).
      refused,
      message: body.statusCode >= 500 || sayOnce ? undefined : body.message,
      details: body.details,
      requestId,
    });
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof AppException) {
      return { statusCode: exception.status, error: exception.code, message: exception.message, details: exception.details, requestId };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const given = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = typeof given === 'string' ? given : Array.isArray(given) ? given.join('. ') : exception.message;
      return { statusCode: status, error: httpErrorCode(status), message, requestId };
    }
    // body-parser and multer signal bad requests with a status but not an HttpException.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: httpErrorCode(status), message: (exception as Error).message, requestId };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'internal_error',
      message: `Something went wrong on our side. If it keeps happening, contact us and quote reference ${requestId}.`,
      requestId,
    };
  }
}

function httpErrorCode(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase() : 'error';
}
