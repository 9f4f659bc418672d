/**
 * Multipart uploads, API and pages: who may send one, and how big it may be.
 *
 * Order matters. Nest runs interceptors in the order they are listed, and multer (which reads the
 * body) runs in one of them, so the gate here runs first: it checks that the application exists,
 * belongs to the caller and is still a draft, and that the declared size is within the limit,
 * before a byte of the body is read. Only then does multer read it, under limits on the number
 * and size of every part, so no request can make the server hold more than those limits allow.
 */
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { assertSafeText } from '../../platform/http/safe-input';
import type { FormSection } from '../funds';
import type { Principal } from '../../platform/access';
import { ApplicationsException } from './applications.exceptions';
import { ApplicationsService } from './applications.service';
import { MAX_UPLOAD_BYTES } from './file-sniffing';

/** busboy's limits, as multer takes them. */
export interface UploadLimits {
  fieldNameSize: number;
  fieldSize: number;
  fields: number;
  fileSize: number;
  files: number;
  parts: number;
}

/** Room for the multipart boundaries and part headers around the content. */
const ENVELOPE_BYTES = 64 * 1024;

/** POST /api/v1/applications/:id/attachments: one file and the questionId. */
export const API_UPLOAD_LIMITS: UploadLimits = {
  fieldNameSize: 100,
  fieldSize: 1024,
  fields: 2,
  fileSize: MAX_UPLOAD_BYTES,
  files: 1,
  parts: 3,
};

/**
 * A question page: one file per file question on it, and the page's own fields (a date is three,
 * an address four, a multiple choice one per option) plus _csrf, returnTo and action. A long
 * answer is up to 100,000 characters, which is up to 400,000 bytes of UTF-8 (a browser sends line
 * breaks as two characters), so a field may be 512 KB; all the text together is capped at 1 MB,
 * as for an ordinary form post.
 */
export const PAGE_FIELD_BYTES = 512 * 1024;
export const PAGE_TEXT_BYTES = 1024 * 1024;

export function pageUploadLimits(section: FormSection): UploadLimits {
  let fields = 3;
  let files = 0;
  for (const q of section.questions) {
    if (q.type === 'file') files++;
    else if (q.type === 'date') fields += 3;
    else if (q.type === 'address') fields += 4;
    else if (q.type === 'multiple_choice') fields += Math.max(1, q.options?.length ?? 0);
    else fields++;
  }
  return { fieldNameSize: 100, fieldSize: PAGE_FIELD_BYTES, fields, fileSize: MAX_UPLOAD_BYTES, files, parts: fields + files };
}

/** The most a whole request may declare: every file at its limit, plus the text and the envelope. */
export function maxBodyBytes(limits: UploadLimits): number {
  return limits.files * limits.fileSize + Math.min(limits.fields * limits.fieldSize, PAGE_TEXT_BYTES) + ENVELOPE_BYTES;
}

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? mb(bytes) : `${Math.round(bytes / 1024)} KB`);

/** The person's message for a multer limit error, or null if the error is not one. */
export function limitMessage(err: unknown, limits: UploadLimits): { code: string; field?: string; message: string } | null {
  const cause = (err as { cause?: { code?: unknown; field?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const field = typeof cause?.field === 'string' ? cause.field : undefined;
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return { code, field, message: ApplicationsException.tooLarge().message };
    case 'LIMIT_FILE_COUNT':
      return { code, field, message: `Send at most ${limits.files} ${limits.files === 1 ? 'file' : 'files'} in one request` };
    case 'LIMIT_FIELD_COUNT':
      return { code, field, message: `Send at most ${limits.fields} form fields in one request` };
    case 'LIMIT_PART_COUNT':
      return { code, field, message: `Send at most ${limits.parts} parts (fields and files) in one request` };
    case 'LIMIT_FIELD_VALUE':
      return { code, field, message: `${field ? `The field ${field}` : 'A form field'} must be ${kb(limits.fieldSize)} or smaller` };
    case 'LIMIT_FIELD_KEY':
      return { code, field, message: `Form field names must be ${limits.fieldNameSize} characters or fewer` };
    default:
      return null;
  }
}

/** The request body is over a limit: a 413 whose message names the limit. */
export function limitException(err: unknown, limits: UploadLimits): unknown {
  if (err instanceof PayloadTooLargeException && !limitMessage(err, limits)) return ApplicationsException.tooLarge();
  const limit = limitMessage(err, limits);
  if (!limit) return err;
  return limit.code === 'LIMIT_FILE_SIZE' ? ApplicationsException.tooLarge() : ApplicationsException.uploadTooLarge(limit.message);
}

/**
 * When a request is refused before its body is read, the body is still on its way. A small one is
 * read and thrown away by Node (so the connection can be reused); a large or unknown-length one
 * is not worth reading: the connection is closed once the answer is sent.
 */
export function closeIfBodyUnread(req: Request, res: Response): void {
  const declared = Number(req.headers['content-length']);
  if (!req.complete && !(Number.isFinite(declared) && declared <= ENVELOPE_BYTES)) res.setHeader('Connection', 'close');
}

/** The declared size is over the limit: refused at once, without reading the body. */
export function declaredTooLarge(req: Request, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/** The :id of the route, as IdPipe would have it (pipes run after interceptors, so it has not yet). */
export function routeId(req: Request, name = 'id'): string {
  const value = req.params?.[name];
  if (!isUuid(value))
    throw new ValidationFailedException([{ field: name, rule: 'isUuid', message: `${name} must be a UUID, like 3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f` }]);
  return value.toLowerCase();
}

export type GatedRequest = Request & { principal?: Principal };

/**
 * API uploads: listed before FileInterceptor. Refuses a stranger's, a missing or a submitted
 * application and an over-limit declared size before the body is read, and turns multer's limit
 * errors into 413s that name the limit.
 */
@Injectable()
export class ApiUploadGate implements NestInterceptor {
  constructor(private readonly applications: ApplicationsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<GatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    try {
      await this.applications.ownDraftForUpload(req.principal!, routeId(req));
      if (declaredTooLarge(req, maxBodyBytes(API_UPLOAD_LIMITS))) {
        throw ApplicationsException.uploadTooLarge(
          `The request must be ${mb(maxBodyBytes(API_UPLOAD_LIMITS))} or smaller: one file of up to ${mb(MAX_UPLOAD_BYTES)} and the questionId`,
        );
      }
    } catch (err) {
      closeIfBodyUnread(req, res);
      throw err;
    }
    return next.handle().pipe(catchError((err: unknown) => throwError(() => limitException(err, API_UPLOAD_LIMITS))));
  }
}

/**
 * Listed after multer: multipart text fields bypass the global NUL and surrogate check (it runs
 * before multer has parsed them), so they are checked here, before the handler sees them.
 */
@Injectable()
export class SafeMultipartText implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    assertSafeText(context.switchToHttp().getRequest<Request>().body ?? {});
    return next.handle();
  }
}
