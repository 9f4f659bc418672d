import type { Response } from 'express';
import type { ApplicationAttachment } from './entities/application-attachment.entity';
import { contentDisposition, storedFilename } from './file-sniffing';

/**
 * Sends an uploaded file the one safe way, for every route that serves one (applicant page, staff
 * page, API): as a download (`attachment`, never rendered in the page), under a name with the
 * extension of its detected type (files stored before names were fixed are renamed on the way
 * out), with that type, `nosniff` so the browser does not guess another, and a sandboxing CSP in
 * case anything does open it in a browsing context.
 */
export function sendAttachment(res: Response, file: ApplicationAttachment): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(storedFilename(file.filename, file.contentType)));
  res.setHeader('Content-Length', String(file.data.length));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(file.data);
}
