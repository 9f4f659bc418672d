import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { type DataCipher, DataCipherError } from '@pcc/crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import { DataSource, IsNull } from 'typeorm';
import { Clock } from '../../platform/clock';
import { DATA_CIPHER } from '../../platform/crypto';
import { MfaRecoveryCode } from './entities/mfa-recovery-code.entity';
import { UserAccount } from './entities/user-account.entity';
import { IdentityException } from './identity.exceptions';
import { sha256 } from './secrets';

const ISSUER = 'PCC Grants';
const RECOVERY_CODES = 10;
// One 30-second step either side, for phones whose clocks drift. TOTP codes are checked against
// the wall clock (otplib's), not the application's Clock: they come from a phone, which runs on
// real time whatever time a test has set for the service's rules.
const TOLERANCE_SECONDS = 30;

/**
 * Anyone holding a TOTP secret can make the codes, so it is encrypted wherever it is stored (the
 * key is not in the database). Each place has its own context, so a value cannot be moved from
 * one to the other. The database also refuses a clear `user_account.mfa_secret` (a CHECK).
 */
const MFA_SECRET = 'user_account.mfa_secret';
/** A secret being set up waits in the session, which is stored in PostgreSQL (`http_session`). */
const ENROLMENT_SECRET = 'http_session.mfa_enrolment_secret';

export function formatRecoveryCode(raw: string): string {
  return raw.replace(/[^a-z0-9]/gi, '').toLowerCase();
}

@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipher,
  ) {}

  /** A new secret to show as a QR code/key; nothing is stored until a code from it is confirmed. */
  newEnrolment(email: string): { secret: string; uri: string } {
    const secret = generateSecret();
    return { secret, uri: generateURI({ issuer: ISSUER, label: email, secret }) };
  }

  newEnrolmentUri(email: string, secret: string): string {
    return generateURI({ issuer: ISSUER, label: email, secret });
  }

  /** The enrolment secret in the form kept in the session until it is confirmed. */
  sealEnrolmentSecret(secret: string): string {
    return this.cipher.encrypt(secret, ENROLMENT_SECRET);
  }

  /**
   * The secret `sealEnrolmentSecret` sealed, or null when there is none or it cannot be read
   * (a session from before secrets were sealed): set-up then simply starts again.
   */
  openEnrolmentSecret(sealed: string | undefined): string | null {
    if (!sealed) return null;
    try {
      return this.cipher.decrypt(sealed, ENROLMENT_SECRET);
    } catch (err) {
      if (err instanceof DataCipherError) return null;
      throw err;
    }
  }

  /** Turns MFA on once the person proves their app produces valid codes; returns recovery codes. */
  async confirmEnrolment(userId: string, secret: string, code: string): Promise<string[]> {
    const result = safeVerify(secret, code);
    if (!result) throw IdentityException.otpInvalid();
    const codes = Array.from({ length: RECOVERY_CODES }, () => randomBytes(5).toString('hex'));
    await this.dataSource.transaction(async (m) => {
      await m.update(
        UserAccount,
        { id: userId },
        { mfaSecret: this.cipher.encrypt(secret, MFA_SECRET), mfaEnabledAt: this.clock.now(), mfaLastTimeStep: String(result.timeStep) },
      );
      await m.delete(MfaRecoveryCode, { userId });
      await m.insert(
        MfaRecoveryCode,
        codes.map((c) => ({ userId, codeHash: sha256(c) })),
      );
      await writeAudit(m, { action: 'user.mfa_enabled', entityType: 'user_account', entityId: userId, actorId: userId });
    });
    return codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
  }

  /**
   * Accepts a current TOTP code once (a code seen before is refused, so an observed code cannot
   * be replayed), or an unused recovery code, which is then spent.
   */
  async verify(userId: string, code: string): Promise<'totp' | 'recovery'> {
    const trimmed = code.replace(/\s+/g, '');
    if (/^\d{6}$/.test(trimmed)) {
      const ok = await this.dataSource.transaction(async (m) => {
        const user = await m
          .getRepository(UserAccount)
          .createQueryBuilder('u')
          .addSelect(['u.mfaSecret', 'u.mfaLastTimeStep'])
          .where('u.id = :id', { id: userId })
          .setLock('pessimistic_write')
          .getOne();
        if (!user?.mfaSecret) return false;
        // A secret that will not decrypt (the wrong DATA_ENCRYPTION_KEY, an altered row) throws:
        // a 500 whose log says why, rather than "wrong code", which would send the person round
        // in circles until the throttle locked them out.
        const secret = this.cipher.decrypt(user.mfaSecret, MFA_SECRET);
        const result = safeVerify(secret, trimmed, user.mfaLastTimeStep ? Number(user.mfaLastTimeStep) : undefined);
        if (!result) return false;
        await m.update(UserAccount, { id: userId }, { mfaLastTimeStep: String(result.timeStep) });
        return true;
      });
      if (ok) return 'totp';
      throw IdentityException.otpInvalid();
    }
    const used = await this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[unknown[], number]>(
        `UPDATE mfa_recovery_code SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
        [userId, sha256(formatRecoveryCode(trimmed)), this.clock.now()],
      );
      if (rows.length) await writeAudit(m, { action: 'user.mfa_recovery_code_used', entityType: 'user_account', entityId: userId, actorId: userId });
      return rows.length > 0;
    });
    if (used) return 'recovery';
    throw IdentityException.otpInvalid();
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    return this.dataSource.getRepository(MfaRecoveryCode).count({ where: { userId, usedAt: IsNull() } });
  }
}

function safeVerify(secret: string, token: string, afterTimeStep?: number): { timeStep: number } | null {
  try {
    const r = verifySync({ secret, token, epochTolerance: TOLERANCE_SECONDS, afterTimeStep });
    return r.valid && 'timeStep' in r ? { timeStep: r.timeStep } : null;
  } catch {
    return null;
  }
}
