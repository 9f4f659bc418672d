import type { LoggerService } from '@nestjs/common';
import { currentContext } from '@pcc/request-context';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';
import { REDACTED, redactBearerValues, redactDeep } from './redact';

/**
 * Structured JSON logs, one object per line. Every line made while handling a request carries its
 * `requestId` (read from the request context), so one id finds everything about a request.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'pcc-grants' },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'message',
      formatters: {
        level: (label) => ({ level: label }),
        // Any API token that reaches a log line by some route nobody foresaw is still replaced.
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      hooks: {
        // The message text itself (`logger.info('... %s', value)`) is not seen by formatters.log.
        logMethod(args, method) {
          return method.apply(this, args.map((a) => (typeof a === 'string' ? redactBearerValues(a) : a)) as Parameters<typeof method>);
        },
      },
      // Errors from drivers carry their whole client object; log what helps, not megabytes.
      serializers: {
        err: (e: unknown) => {
          if (!(e instanceof Error)) return e;
          const { code, status, responseCode } = e as unknown as Record<string, unknown>;
          // A driver's message can quote the value it choked on, which may be a token.
          return { type: e.name, message: redactBearerValues(e.message), stack: e.stack && redactBearerValues(e.stack), code, status, responseCode };
        },
      },
      mixin: () => {
        const ctx = currentContext();
        return ctx ? { requestId: ctx.requestId } : {};
      },
      // Credentials must never reach a log, wherever they turn up in an object. (URLs are
      // redacted where they are logged: see redactUrl in ./redact.ts.)
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'otp',
          '*.otp',
          'secret',
          '*.secret',
          'authorization',
          '*.authorization',
          'cookie',
          '*.cookie',
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'headers["set-cookie"]',
          'smtpUrl',
          'databaseUrl',
        ],
        censor: REDACTED,
      },
    },
    destination,
  );
}

/** Routes Nest's own logging (module start-up, unhandled errors) into the same JSON stream. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: pino.Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]) {
    // Nest passes the logging class's name ("context") as the last argument, and a stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ context, ...message });
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
