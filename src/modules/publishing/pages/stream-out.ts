import type { Response } from 'express';
import type pino from 'pino';

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
  write: { start: () => string; batch: (items: T[]) => string; end: () => string },
): Promise<void> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = await iterator.next();
  res.status(200);
  try {
    if (!(await send(res, write.start()))) return;
    while (!next.done) {
      if (!(await send(res, write.batch(next.value)))) return;
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

/** Writes a chunk; waits for the buffer to drain when it is full. False when the reader has gone. */
async function send(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!chunk || res.write(chunk)) return !res.destroyed;
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
