import { randomBytes } from 'node:crypto';
import { DataCipher } from '@pcc/crypto';
import { generateSecret } from 'otplib';
import { DataSource } from 'typeorm';
import { EncryptMfaSecrets1796303700000 } from '../../migrations/1796303700000-EncryptMfaSecrets';
import { createApp } from '../../src/bootstrap';
import { ENTITIES } from '../../src/entities';
import { MfaService } from '../../src/modules/identity/mfa.service';
import { loadConfig } from '../../src/platform/config/app-config';
import { provideCipherToMigrations } from '../../src/platform/crypto';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { runPendingMigrations } from '../../src/platform/database/migrate';
import { createRootLogger } from '../../src/platform/logging/logger';
import { createTestDatabase, type TestDatabase, testDataEncryptionKey } from '../support/database';
import { freshStep, totpAt } from './identity-support';

describe('schema migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const cipher = new DataCipher(Buffer.from(testDataEncryptionKey(), 'base64'));
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url, { entities: ENTITIES, logging: false })).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('match the entities exactly, so synchronize would change nothing', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('revert all the way down and apply again', async () => {
    for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`,
    );
    expect(n).toBe(0);
    await ds.runMigrations({ transaction: 'each' });
    expect(await ds.showMigrations()).toBe(false);
  });

  it('are safe when several instances start at once', async () => {
    const fresh = await createTestDatabase();
    try {
      // A fresh clone already has every migration; revert one so there is work to race over.
      const d = await new DataSource(dataSourceOptions(fresh.url, { entities: ENTITIES, logging: false })).initialize();
      await d.undoLastMigration();
      await d.destroy();
      const results = await Promise.all([
        runPendingMigrations(fresh.url, cipher),
        runPendingMigrations(fresh.url, cipher),
        runPendingMigrations(fresh.url, cipher),
      ]);
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, 1]);
    } finally {
      await fresh.drop();
    }
  });

  describe('EncryptMfaSecrets', () => {
    const NAME = new EncryptMfaSecrets1796303700000().name;
    let fresh: TestDatabase;
    let d: DataSource;
    beforeEach(async () => {
      fresh = await createTestDatabase();
      d = await new DataSource(dataSourceOptions(fresh.url, { logging: false })).initialize();
      // As runPendingMigrations does: this test's reverts and runs use the run's key.
      provideCipherToMigrations(d, cipher);
      // Back to just before it (later migrations first, should there be any by now).
      while ((await d.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [NAME])).length) await d.undoLastMigration({ transaction: 'each' });
    });
    afterEach(async () => {
      await d.destroy();
      await fresh.drop();
    });

    /** A member of staff with MFA on, as the version before stored them: the secret in clear. */
    async function staffWithClearSecret(): Promise<{ id: string; secret: string }> {
      const secret = generateSecret();
      const [{ id }] = await d.query(
        `INSERT INTO user_account (email, full_name, roles, mfa_secret, mfa_enabled_at) VALUES ($1, 'Clear Secret', '{admin}', $2, now()) RETURNING id`,
        [`mfa-${randomBytes(4).toString('hex')}@example.org`, secret],
      );
      return { id, secret };
    }
    /** The TypeORM CLI's view: a DataSource nobody handed a cipher. */
    async function withCliDataSource(run: (cli: DataSource) => Promise<void>): Promise<void> {
      // Its own silent logger: TypeORM prints a failed migration whatever `logging` says.
      const quiet = { logQuery() {}, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
      const cli = await new DataSource(dataSourceOptions(fresh.url, { logging: false, logger: quiet })).initialize();
      try {
        await run(cli);
      } finally {
        await cli.destroy();
      }
    }
    const storedSecret = async (id: string): Promise<string | null> => (await d.query(`SELECT mfa_secret FROM user_account WHERE id = $1`, [id]))[0].mfa_secret;

    it('encrypts the secrets stored in clear with the app’s key, and sign-in codes still work afterwards', async () => {
      const staff = await staffWithClearSecret();
      const other = await staffWithClearSecret();
      const [{ id: withoutMfa }] = await d.query(`INSERT INTO user_account (email, full_name) VALUES ('no-mfa@example.org', 'No MFA') RETURNING id`);

      expect(await runPendingMigrations(fresh.url, cipher)).toContain(NAME);

      for (const { id, secret } of [staff, other]) {
        const stored = (await storedSecret(id))!;
        expect(stored).not.toContain(secret);
        expect(DataCipher.isEncrypted(stored)).toBe(true);
        expect(cipher.decrypt(stored, 'user_account.mfa_secret')).toBe(secret);
      }
      expect(await storedSecret(withoutMfa)).toBeNull();
      // From now on the database itself refuses a secret in clear.
      await expect(d.query(`UPDATE user_account SET mfa_secret = $2 WHERE id = $1`, [staff.id, staff.secret])).rejects.toThrow(
        /CHK_user_account_mfa_secret_encrypted/,
      );

      // The application, with the same key, accepts the authenticator's code.
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0', DATA_ENCRYPTION_KEY: testDataEncryptionKey() });
      const app = await createApp({ config, databaseUrl: fresh.url, logger: createRootLogger(config) });
      try {
        const step = await freshStep();
        await expect(app.get(MfaService).verify(staff.id, totpAt(staff.secret, step))).resolves.toBe('totp');
      } finally {
        await app.close();
      }
    });

    it('reverts to the secrets in clear, and leaves values already encrypted alone when applied again', async () => {
      const staff = await staffWithClearSecret();
      await runPendingMigrations(fresh.url, cipher);
      const encrypted = await storedSecret(staff.id);

      while ((await d.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [NAME])).length) await d.undoLastMigration({ transaction: 'each' });
      expect(await storedSecret(staff.id)).toBe(staff.secret);

      // An encrypted value found by the migration (written by hand, or by a half-finished run
      // elsewhere) is not encrypted a second time.
      await d.query(`UPDATE user_account SET mfa_secret = $2 WHERE id = $1`, [staff.id, encrypted]);
      await runPendingMigrations(fresh.url, cipher);
      expect(await storedSecret(staff.id)).toBe(encrypted);
    });

    it('under the TypeORM CLI, finds the key as npm start does (DATA_ENCRYPTION_KEY here)', async () => {
      const staff = await staffWithClearSecret();
      const saved = process.env.DATA_ENCRYPTION_KEY;
      process.env.DATA_ENCRYPTION_KEY = testDataEncryptionKey();
      try {
        await withCliDataSource((cli) => cli.runMigrations({ transaction: 'each' }).then(() => undefined));
      } finally {
        if (saved === undefined) delete process.env.DATA_ENCRYPTION_KEY;
        else process.env.DATA_ENCRYPTION_KEY = saved;
      }
      expect(cipher.decrypt((await storedSecret(staff.id))!, 'user_account.mfa_secret')).toBe(staff.secret);
    });

    it('refuses to run when the key is missing in production, changing nothing', async () => {
      const staff = await staffWithClearSecret();
      const saved = { NODE_ENV: process.env.NODE_ENV, DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY };
      process.env.NODE_ENV = 'production';
      delete process.env.DATA_ENCRYPTION_KEY;
      try {
        await withCliDataSource((cli) => expect(cli.runMigrations({ transaction: 'each' })).rejects.toThrow(/DATA_ENCRYPTION_KEY/));
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      expect(await storedSecret(staff.id)).toBe(staff.secret);
      expect(await d.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [NAME])).toHaveLength(0);
    });
  });
});
