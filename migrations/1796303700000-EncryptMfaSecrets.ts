import { DataCipher } from '@pcc/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationCipher } from '../src/platform/crypto';

/** As MfaService encrypts it. Written out here: a migration must keep doing what it did. */
const CONTEXT = 'user_account.mfa_secret';

/**
 * Authenticator-app secrets were stored in clear; anyone who could read the database (or a
 * backup of it) could make a staff member's sign-in codes. From now on MfaService stores them
 * encrypted with DATA_ENCRYPTION_KEY (see @pcc/crypto). This encrypts the secrets already stored
 * and has the database refuse a clear one from then on, including from an older copy of the app
 * still running during a rolling deploy (its enrolment fails, and the person tries again).
 *
 * The key is the app's own (runPendingMigrations hands it over) or, under the TypeORM CLI, found
 * as `npm start` finds it. It is needed only when there is a secret to convert.
 */
export class EncryptMfaSecrets1796303700000 implements MigrationInterface {
  name = 'EncryptMfaSecrets1796303700000';

  async up(q: QueryRunner): Promise<void> {
    await lockAgainstWrites(q);
    const rows = await secrets(q);
    const clear = rows.filter((r) => !DataCipher.isEncrypted(r.mfa_secret));
    if (clear.length) {
      const cipher = migrationCipher(q);
      await setSecrets(
        q,
        clear.map((r) => ({ id: r.id, secret: cipher.encrypt(r.mfa_secret, CONTEXT) })),
      );
    }
    await q.query(`ALTER TABLE "user_account" ADD CONSTRAINT "CHK_user_account_mfa_secret_encrypted" CHECK ("mfa_secret" IS NULL OR "mfa_secret" LIKE 'v1.%')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await lockAgainstWrites(q);
    await q.query(`ALTER TABLE "user_account" DROP CONSTRAINT "CHK_user_account_mfa_secret_encrypted"`);
    const encrypted = (await secrets(q)).filter((r) => DataCipher.isEncrypted(r.mfa_secret));
    if (encrypted.length) {
      const cipher = migrationCipher(q);
      await setSecrets(
        q,
        encrypted.map((r) => ({ id: r.id, secret: cipher.decrypt(r.mfa_secret, CONTEXT) })),
      );
    }
  }
}

/**
 * Reads may go on; writes wait until this migration commits. Otherwise a copy of the previous
 * version, still serving during a deploy, could store a clear secret between the read and the
 * new CHECK, which would then refuse to be added.
 */
async function lockAgainstWrites(q: QueryRunner): Promise<void> {
  await q.query(`LOCK TABLE "user_account" IN SHARE ROW EXCLUSIVE MODE`);
}

function secrets(q: QueryRunner): Promise<{ id: string; mfa_secret: string }[]> {
  return q.query(`SELECT id, mfa_secret FROM "user_account" WHERE mfa_secret IS NOT NULL`);
}

/** One statement for every row: there is a secret per member of staff, not per applicant. */
async function setSecrets(q: QueryRunner, rows: { id: string; secret: string }[]): Promise<void> {
  await q.query(`UPDATE "user_account" u SET mfa_secret = v.secret FROM unnest($1::uuid[], $2::text[]) AS v(id, secret) WHERE u.id = v.id`, [
    rows.map((r) => r.id),
    rows.map((r) => r.secret),
  ]);
}
