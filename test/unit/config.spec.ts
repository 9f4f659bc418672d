import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, loadEnvFile } from '../../src/platform/config/app-config';

describe('configuration from the environment', () => {
  it('has working defaults for a first run', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ nodeEnv: 'development', port: 3000, databaseUrl: null, smtpUrl: null, seedDemoOnFirstStart: true });
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc"', 'a whole number from 0 to 65535'],
    [{ PORT: '70000' }, 'PORT="70000"', 'a whole number'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV="prod"', 'development, test or production'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL=', 'postgres://'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"', 'one of fatal'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY="yes"', '"true" or "false"'],
    [{ NODE_ENV: 'production' }, 'SMTP_URL=(not set)', 'required when NODE_ENV=production'],
    [{ NODE_ENV: 'production', SMTP_URL: 'smtp://mail', SESSION_SECRET: 'x'.repeat(32) }, 'DATA_ENCRYPTION_KEY=(not set)', 'required when NODE_ENV=production'],
    [{ DATA_ENCRYPTION_KEY: 'too-short' }, 'DATA_ENCRYPTION_KEY="<hidden>"', '32 random bytes as base64'],
  ])('%j is refused with a message naming the variable', (env, shown, expected) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(shown);
    expect((error as Error).message).toContain(expected);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('never echoes a connection string, which may contain a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@db/x' })).toThrow(/<hidden>/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@db/x' })).not.toThrow(/secret/);
  });

  it('names the West Midlands PCC unless told otherwise, with the logo text following the PCC name', () => {
    expect(loadConfig({})).toMatchObject({
      pccName: 'West Midlands Police and Crime Commissioner',
      serviceLogoText: 'West Midlands Police and Crime Commissioner',
      contactEmail: 'grants@pcc.example.org',
    });
    expect(loadConfig({ PCC_NAME: '  Avon and Somerset PCC ' })).toMatchObject({ pccName: 'Avon and Somerset PCC', serviceLogoText: 'Avon and Somerset PCC' });
    expect(loadConfig({ PCC_NAME: 'Avon and Somerset PCC', SERVICE_LOGO_TEXT: 'Avon & Somerset' })).toMatchObject({ serviceLogoText: 'Avon & Somerset' });
    expect(loadConfig({ CONTACT_EMAIL: 'help@avon.example.org' }).contactEmail).toBe('help@avon.example.org');
  });

  it.each([
    [{ PCC_NAME: 'x'.repeat(101) }, 'PCC_NAME=', 'one line of text, at most 100 characters'],
    [{ SERVICE_LOGO_TEXT: 'Two\nlines' }, 'SERVICE_LOGO_TEXT="Two\\nlines"', 'one line of text'],
    [{ CONTACT_EMAIL: 'grants team' }, 'CONTACT_EMAIL="grants team"', 'an email address'],
  ])('refuses %j for the service’s identity', (env, shown, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(shown);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  it('reads DATA_ENCRYPTION_KEY as 32 bytes in base64 or hex, and never echoes it', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    for (const text of [
      key.toString('base64'),
      key.toString('base64').replace(/=$/, ''),
      key.toString('base64url'),
      key.toString('hex'),
      ` ${key.toString('hex').toUpperCase()}\n`,
    ]) {
      expect(loadConfig({ DATA_ENCRYPTION_KEY: text }).dataEncryptionKey!.equals(key)).toBe(true);
    }
    expect(loadConfig({}).dataEncryptionKey).toBeNull();
    const production = { NODE_ENV: 'production', SMTP_URL: 'smtp://mail', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig({ ...production, DATA_ENCRYPTION_KEY: key.toString('base64') }).dataEncryptionKey!.equals(key)).toBe(true);
    // 48 bytes of base64 (64 characters), 31 bytes, 63 hex digits, a mixture of both alphabets.
    for (const wrong of [randomBytes(48).toString('base64'), randomBytes(31).toString('base64'), key.toString('hex').slice(1), 'ab+_'.repeat(11)]) {
      expect(() => loadConfig({ DATA_ENCRYPTION_KEY: wrong })).toThrow('DATA_ENCRYPTION_KEY="<hidden>"');
      expect(() => loadConfig({ DATA_ENCRYPTION_KEY: wrong })).not.toThrow(wrong);
    }
  });

  it('leaves the embedded PostgreSQL port to be chosen unless EMBEDDED_PG_PORT is set', () => {
    expect(loadConfig({}).embeddedPgPort).toBeNull();
    expect(loadConfig({ EMBEDDED_PG_PORT: '55432' }).embeddedPgPort).toBe(55432);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: '80' })).toThrow(/EMBEDDED_PG_PORT="80" — expected a whole number from 1024 to 65535/);
  });
});

describe('.env', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcc-grants-env-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fills in settings not already in the environment, which wins', () => {
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, '# a comment\nPORT=4000\nLOG_LEVEL=debug\nMAIL_FROM="Grants <g@example.org>"\n');
    const env: Record<string, string | undefined> = { PORT: '5000' };
    expect(loadEnvFile(file, env).sort()).toEqual(['LOG_LEVEL', 'MAIL_FROM']);
    expect(loadConfig(env)).toMatchObject({ port: 5000, logLevel: 'debug', mailFrom: 'Grants <g@example.org>' });
  });

  it('is optional', () => {
    const env = {};
    expect(loadEnvFile(path.join(dir, 'missing.env'), env)).toEqual([]);
    expect(env).toEqual({});
  });
});
