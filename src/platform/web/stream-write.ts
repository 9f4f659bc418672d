import type { Response } from 'express';

/**
 * The one backpressure writer for downloads made as they go (the open data files, staff tables):
 * writes a chunk and, when the socket's buffer is full, waits for it to drain before the caller
 * reads more from the database, so a slow reader holds back the reading instead of the file
 * piling up in memory. Resolves false once the reader has gone (the connection closed), so the
 * caller stops reading; an empty chunk writes nothing.
 */
export async function writeChunk(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!chunk || res.write(chunk)) return !res.destroyed;
  return drained(res);
}

/**
 * Waits while the response's buffer is full, for a writer that does not write through
 * writeChunk (exceljs pipes its zip into the response itself); false once the reader has gone.
 */
export async function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.writableNeedDrain) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}

/** Whether the request asks for the headers only (a response made outside a request, as in a unit test, is not). */
export function isHead(res: Response): boolean {
  return (res.req as Response['req'] | undefined)?.method === 'HEAD';
}
