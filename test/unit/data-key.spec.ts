import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../src/platform/config/app-config';
import { DATA_KEY_FILE, loadDataEncryptionKey } from '../../src/platform/crypto';

describe('the data encryption key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-key-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  afterEach(() => jest.restoreAllMocks());

  const development = (dataDir: string) => ({ nodeEnv: 'development' as const, dataDir, dataEncryptionKey: null });

  it('is DATA_ENCRYPTION_KEY when set, and nothing is written to DATA_DIR', () => {
    const dataDir = path.join(tempDir(), 'var');
    const key = randomBytes(32);
    expect(loadDataEncryptionKey({ nodeEnv: 'development', dataDir, dataEncryptionKey: key }).equals(key)).toBe(true);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('is made once when unset, kept in DATA_DIR readable by its owner only, and read back on the next start', () => {
    const dataDir = path.join(tempDir(), 'var', 'nested');
    const first = loadDataEncryptionKey(development(dataDir));
    expect(first).toHaveLength(32);
    const file = path.join(dataDir, DATA_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The same form DATA_ENCRYPTION_KEY takes, so it can be moved there as it is.
    expect(loadConfig({ DATA_ENCRYPTION_KEY: fs.readFileSync(file, 'utf8') }).dataEncryptionKey!.equals(first)).toBe(true);
    expect(loadDataEncryptionKey(development(dataDir)).equals(first)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([DATA_KEY_FILE]); // no temporary file left behind
  });

  it('is never made in production', () => {
    const dataDir = tempDir();
    expect(() => loadDataEncryptionKey({ nodeEnv: 'production', dataDir, dataEncryptionKey: null })).toThrow(/DATA_ENCRYPTION_KEY must be set/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('reads a key file in either form DATA_ENCRYPTION_KEY takes', () => {
    const key = randomBytes(32);
    for (const text of [key.toString('hex'), `${key.toString('base64')}\n`, key.toString('base64url')]) {
      const dataDir = tempDir();
      fs.writeFileSync(path.join(dataDir, DATA_KEY_FILE), text, { mode: 0o600 });
      expect(loadDataEncryptionKey(development(dataDir)).equals(key)).toBe(true);
    }
  });

  it.each([
    ['empty', ''],
    ['too short', randomBytes(16).toString('base64')],
    ['not a key', 'hello'],
  ])('stops with a clear error, and never replaces the file, when the key file is %s', (_what, text) => {
    const dataDir = tempDir();
    const file = path.join(dataDir, DATA_KEY_FILE);
    fs.writeFileSync(file, text, { mode: 0o600 });
    let error: unknown;
    try {
      loadDataEncryptionKey(development(dataDir));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/restore it from your backup, or set DATA_ENCRYPTION_KEY/);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('takes the key another process made first, between looking for the file and linking its own', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, DATA_KEY_FILE);
    const theirs = randomBytes(32);
    const link = fs.linkSync.bind(fs);
    // The other process wins the race: its whole key is in place just before our link.
    jest.spyOn(fs, 'linkSync').mockImplementation((from, to) => {
      fs.writeFileSync(file, theirs.toString('base64'), { mode: 0o600 });
      link(from, to);
    });
    expect(loadDataEncryptionKey(development(dataDir)).equals(theirs)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs.toString('base64'));
    expect(fs.readdirSync(dataDir)).toEqual([DATA_KEY_FILE]);
  });

  it('leaves no key file when the first start is interrupted before the key is in place', () => {
    const dataDir = tempDir();
    jest.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => loadDataEncryptionKey(development(dataDir))).toThrow(/Cannot write the data encryption key .*ENOSPC/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    jest.restoreAllMocks();
    expect(loadDataEncryptionKey(development(dataDir))).toHaveLength(32);
  });

  it('is the same for several processes starting at once on a new DATA_DIR', async () => {
    const dataDir = path.join(tempDir(), 'var');
    const root = path.resolve(__dirname, '../..');
    // Each process waits for the same moment, then loads the key: a real race for the file.
    const at = Date.now() + 2500;
    const script = `
      const { loadDataEncryptionKey } = require(${JSON.stringify(path.join(root, 'src/platform/crypto/data-key.ts'))});
      while (Date.now() < ${at});
      process.stdout.write(loadDataEncryptionKey({ nodeEnv: 'development', dataDir: ${JSON.stringify(dataDir)}, dataEncryptionKey: null }).toString('hex'));
    `;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-e', script], {
          env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const keys = await Promise.all([run(), run(), run(), run()]);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(1);
    expect(loadDataEncryptionKey(development(dataDir)).toString('hex')).toBe(keys[0]);
    expect(fs.readdirSync(dataDir)).toEqual([DATA_KEY_FILE]);
  });
});
