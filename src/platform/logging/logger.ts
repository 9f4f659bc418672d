import type { LoggerService } from '@nestjs/common';
import { currentContext } from '@pcc/request-context';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';

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
      formatters: { level: (label) => ({ level: label }) },
      // Errors from drivers carry their whole client object; log what helps, not megabytes.
      serializers: {
        err: (e: unknown) => {
          if (!(e instanceof Error)) return e;
          const { code, status, responseCode } = e as unknown as Record<string, unknown>;
          return { type: e.name, message: e.message, stack: e.stack, code, status, responseCode };
        },
      },
      mixin: () => {
        const ctx = currentContext();
        return ctx ? { requestId: ctx.requestId } : {};
      },
      // Credentials must never reach a log, wherever they turn up in an object.
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization', 'req.headers.cookie', 'smtpUrl', 'databaseUrl'],
        censor: '[redacted]',
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
