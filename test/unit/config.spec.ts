import { ConfigError, loadConfig } from '../../src/platform/config/app-config';

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
  ])('%j is refused with a message naming the variable', (env, shown, expected) => {
    let error: unknown;
    try {
      loadConfig(env as Record<string, string>);
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
});
