import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { ValidationFailedException } from '../../../platform/errors/app-exception';
import { assertSafeText } from '../../../platform/http/safe-input';
import { RoundsService } from '../../funds';
import { ApplicationsException, ApplicationsErrorCode } from '../applications.exceptions';
import { ApplicationsService } from '../applications.service';
import { MAX_UPLOAD_BYTES } from '../file-sniffing';
import { closeIfBodyUnread, declaredTooLarge, type GatedRequest, maxBodyBytes, pageUploadLimits, routeId, type UploadLimits } from '../upload-gates';

export type UploadRequest = GatedRequest & { uploadError?: unknown; uploadLimits?: UploadLimits; bodyUnread?: boolean; files?: Express.Multer.File[] };

/**
 * Multer for the question pages, behind the same gate as the API: the application must be the
 * person's own draft and the section must exist before a byte of the body is read, and the body
 * is read under limits worked out from the section (one file per file question, the page's own
 * fields). A limit broken (a file over 10 MB, a field too long, too many parts) does not end the
 * request: it is kept on the request so the page can say so next to the question, with what the
 * person typed. A body declared over the limit is not read at all: the page is shown again with
 * the saved answers and the connection closed. Multer reads multipart bodies only; a page with
 * no file question posts an ordinary urlencoded form, which it leaves alone.
 */
@Injectable()
export class QuestionPageUploads implements NestInterceptor {
  private readonly multer = new (AnyFilesInterceptor({
    limits: (req: UploadRequest) => req.uploadLimits ?? { files: 0, fields: 0, parts: 0 },
    // Browsers send a file's name as UTF-8; read as latin1 (multer's default) "é" would become "Ã©".
    defParamCharset: 'utf8',
  }))();

  constructor(
    private readonly applications: ApplicationsService,
    private readonly rounds: RoundsService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<UploadRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    let limits: UploadLimits;
    try {
      const app = await this.applications.ownDraftForUpload(req.principal!, routeId(req));
      const round = await this.rounds.get(app.roundId, { includeDrafts: true });
      const section = round.form.sections.find((s) => s.id === req.params.sectionId);
      if (!section) throw ApplicationsException.notFound();
      limits = pageUploadLimits(section);
    } catch (err) {
      closeIfBodyUnread(req, res);
      // Submitted meanwhile: the page sends the person to their application, body unread.
      if (err instanceof ApplicationsException && err.code === ApplicationsErrorCode.NotDraft) {
        req.bodyUnread = true;
        return next.handle();
      }
      throw err;
    }
    req.uploadLimits = limits;
    if (!req.is('multipart/form-data')) return next.handle();
    if (declaredTooLarge(req, maxBodyBytes(limits))) {
      closeIfBodyUnread(req, res);
      req.bodyUnread = true;
      req.uploadError = ApplicationsException.uploadTooLarge(
        `The page must be ${Math.floor(maxBodyBytes(limits) / (1024 * 1024))} MB or smaller in all: each file up to ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`,
      );
      return next.handle();
    }
    try {
      const handled = await this.multer.intercept(context, next);
      // Multipart text fields are checked here: the global check ran before they were parsed.
      assertSafeText(req.body ?? {});
      return handled;
    } catch (err) {
      if (err instanceof ValidationFailedException) throw err;
      req.uploadError = err;
      return next.handle();
    }
  }
}

/** What QuestionPageUploads left on the request, for readSectionPost. */
export function postedPage(req: UploadRequest) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return { body, files: Array.isArray(req.files) ? req.files : [], uploadError: req.uploadError, uploadLimits: req.uploadLimits };
}
