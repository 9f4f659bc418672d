import * as net from 'node:net';

/**
 * A port for a server that will listen on it a while later (a child process, an SMTP capture,
 * the embedded PostgreSQL). Asking the system for a free one (listen on 0, then close) hands out
 * a port from the ephemeral range, which every `listen(0)` and outgoing connection of the other
 * suites running alongside also draws from: one of them could take it in the seconds before our
 * server listens (it happened: EADDRINUSE after a first start's 13-second demo seed). So the port
 * is drawn at random from below that range (Linux's is 32768–60999), where nothing is handed out,
 * and checked free by listening on it once.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
