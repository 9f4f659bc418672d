'use strict';
/**
 * The baseline: a bare Express app with nothing in front of it (no middleware, no helmet, no
 * logging, no database). Benchmarks compare the real app against this, so the numbers say "how
 * much of what plain Express on this machine can do" rather than absolute requests per second.
 *
 * Run as its own child process (bench/lib.js startBaseline) so it never shares an event loop with
 * the load generator. Listens on 127.0.0.1:$PORT only.
 *
 *   GET  /hello  -> 200 {"hello":"world"}
 *   POST /echo   -> 201 the parsed JSON body back (baseline for POST scenarios)
 *   GET  /bytes?n=N -> 200 N bytes of JSON-ish text in 64 KB chunks, with backpressure (baseline for the open-data export)
 */
const express = require('express');

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('baseline-server: PORT must be set\n');
  process.exit(78);
}

const app = express();
app.disable('x-powered-by');
app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});
app.post('/echo', express.json({ limit: '1mb' }), (req, res) => {
  res.status(201).json(req.body);
});

const CHUNK = Buffer.alloc(65536, '{"a":1},');
app.get('/bytes', async (req, res) => {
  let left = Math.min(Number(req.query.n) || 0, 2 ** 31);
  res.type('application/json');
  while (left > 0) {
    const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
});

const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${port}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
