import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const REASONS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The address or headers are too long. Shorten the query and try again.'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'The address is too long. Shorten the query and try again.'],
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (an address or headers over the
 * size limit, malformed HTTP) would otherwise get an empty body. They get the API's one error
 * shape instead, so a client can always read `error` and `requestId`.
 */
export function answerClientErrorsInShape(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { code?: string }, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason, message] = REASONS[err.code ?? ''] ?? [400, 'Bad Request', 'The request could not be understood.'];
    const requestId = randomBytes(8).toString('hex');
    const body = JSON.stringify({ statusCode: status, error: reason.toLowerCase().replace(/ /g, '_'), message, requestId });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
