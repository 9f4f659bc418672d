import type { Response } from 'express';
import type pino from 'pino';
import { isHead, writeChunk as send } from '../../../platform/web/stream-write';

/**
 * Writes a file made from batches to the response as they come, waiting whenever the socket's
 * buffer is full (backpressure), so a slow reader holds back the database reads instead of the
 * whole file piling up in memory. The first batch is read before anything is sent: a failure
 * then is an ordinary error response. A failure after the start cuts the connection, so the
 * reader sees a broken download rather than a complete-looking file missing grants. A reader who
 * goes away stops the reading (the batches' generator is closed).
 */
export async function streamOut<T>(
  res: Response,
  logger: pino.Logger,
  batches: AsyncGenerator<T[]>,
  write: { start: () => string; item: (item: T, index: number) => string; end: () => string },
): Promise<void> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = await iterator.next();
  res.status(200);
  try {
    const start = write.start();
    // HEAD asks for the headers only (Express sends it to the GET route): one batch read, not the whole file.
    if (isHead(res)) {
      res.end();
      return;
    }
    if (!(await send(res, start))) return;
    let index = 0;
    while (!next.done) {
      // Pieces of about CHUNK characters: a string much bigger (over V8's 128 KB regular object
      // size) is allocated in the large-object space and freed only by a full collection, so
      // writing a whole batch at once made the process grow by tens of megabytes before one came.
      let piece = '';
      for (const item of next.value) {
        piece += write.item(item, index++);
        if (piece.length >= CHUNK) {
          if (!(await send(res, piece))) return;
          piece = '';
        }
      }
      if (piece && !(await send(res, piece))) return;
      next = await iterator.next();
    }
    await send(res, write.end());
    res.end();
  } catch (err) {
    logger.error({ err }, 'open data stream failed after it started');
    res.destroy(err as Error);
  } finally {
    if (!next.done) await iterator.return?.(undefined);
  }
}

/** Characters per write: under 64 KB even as two-byte text, and a few times the socket's 16 KB high-water mark. */
const CHUNK = 32 * 1024;
