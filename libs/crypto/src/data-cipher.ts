import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for short text fields (an authenticator app's secret, a bank account
 * number): AES-256-GCM from Node's own `crypto`, so there is no dependency to audit or update.
 *
 * A stored value is one line of text that says how it was made:
 *
 *     v1.<iv>.<tag>.<ciphertext>      (each part base64url, no padding)
 *
 * - `v1` names the format (AES-256-GCM, 12-byte IV, 16-byte tag), so a later format can be read
 *   beside this one while old values are re-encrypted.
 * - The IV is random for every value: GCM must never use an IV twice with one key, and a random
 *   96-bit IV keeps that safe far beyond the number of values this service will ever write. It
 *   also means the same account number encrypted twice gives two different values, so equal
 *   values cannot be spotted in the database.
 * - The tag authenticates the ciphertext and the `context` (GCM's additional authenticated data),
 *   which names the column, such as `bank_details.account_number`: a value copied into another
 *   column, altered, or read with another key is refused rather than decrypted into rubbish.
 *
 * The text is UTF-8, so it can hold any well-formed string; a string with a lone surrogate half
 * is refused, because UTF-8 cannot carry it and it would come back changed.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The shape of a v1 value: IV and tag are fixed lengths in base64url (16 and 22 characters). */
const V1_PATTERN = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;

/** Why a value could not be encrypted or decrypted. Never carries the value itself. */
export class DataCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataCipherError';
  }
}

export class DataCipher {
  // A private field, not a property: the key must not appear when the object is logged,
  // inspected or serialised.
  readonly #key: Buffer;
  /** For fingerprints: derived from the key with HKDF, so the one configured key serves both and neither use weakens the other. */
  readonly #fingerprintKey: Buffer;

  /** @param key 32 bytes (AES-256). Copied, so the caller may wipe or reuse its buffer. */
  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      const got = Buffer.isBuffer(key) ? `${key.length} bytes` : 'not a Buffer';
      throw new DataCipherError(`A data encryption key must be ${KEY_BYTES} bytes (AES-256); this one is ${got}`);
    }
    this.#key = Buffer.from(key);
    this.#fingerprintKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pcc-grants fingerprint v1', KEY_BYTES));
  }

  /**
   * Encrypts `plain` for the column named by `context` (e.g. `user_account.mfa_secret`). Each call
   * gives a different result for the same input.
   */
  encrypt(plain: string, context: string): string {
    checkContext(context);
    if (typeof plain !== 'string') throw new DataCipherError(`Only text can be encrypted (for ${context})`);
    if (!plain.isWellFormed()) throw new DataCipherError(`Text with an unpaired surrogate cannot be stored faithfully (for ${context})`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /**
   * A keyed fingerprint (hex HMAC-SHA-256) of a short secret, such as a bank account's sort code and
   * number: equal inputs give equal fingerprints, so the same account on two organisations can be
   * found with an index, while the database alone (without the key) cannot be searched for a known
   * account number. Different contexts never give the same fingerprint for the same text.
   */
  fingerprint(plain: string, context: string): string {
    checkContext(context);
    return createHmac('sha256', this.#fingerprintKey).update(context, 'utf8').update('\u0000').update(plain, 'utf8').digest('hex');
  }

  /**
   * The text `encrypt(…, context)` was given. Throws a DataCipherError when `stored` is not a
   * value this class wrote, or when it was altered, encrypted with another key, or encrypted for
   * another context.
   */
  decrypt(stored: string, context: string): string {
    checkContext(context);
    if (typeof stored !== 'string') throw new DataCipherError(`Cannot decrypt ${context}: the stored value is not text`);
    const version = /^(v\d+)\./.exec(stored)?.[1];
    if (version && version !== VERSION)
      throw new DataCipherError(`Cannot decrypt ${context}: it was encrypted in format ${version}, which this version does not know`);
    const parts = V1_PATTERN.exec(stored);
    // Not echoed: a value that is not encrypted may well be the clear secret itself.
    if (!parts) throw new DataCipherError(`Cannot decrypt ${context}: the stored value is not encrypted data (expected v1.<iv>.<tag>.<ciphertext>)`);
    const [iv, tag, ciphertext] = parts.slice(1).map(canonicalBase64url);
    if (!iv || !tag || !ciphertext) throw new DataCipherError(`Cannot decrypt ${context}: the stored value has been altered`);
    const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      // GCM says only that authentication failed; these are the ways that happens.
      throw new DataCipherError(
        `Cannot decrypt ${context}: the stored value has been altered, was encrypted with a different key (is DATA_ENCRYPTION_KEY the one the data was written with?), or belongs to another field`,
      );
    }
    return plain.toString('utf8');
  }

  /**
   * Whether `stored` has the shape of a value `encrypt` writes. It says nothing about whether it
   * will decrypt (that needs the key); it tells a value still in clear from an encrypted one, as a
   * migration converting a column needs to.
   */
  static isEncrypted(stored: string): boolean {
    return typeof stored === 'string' && V1_PATTERN.test(stored);
  }
}

function checkContext(context: string): void {
  // An empty context would bind the value to nothing, which is the mistake the context prevents.
  if (typeof context !== 'string' || context === '') throw new DataCipherError('A context naming the field (such as "user_account.mfa_secret") is required');
}

/**
 * Decodes base64url, or returns null unless `text` is exactly how its bytes encode. Node's decoder
 * ignores the unused low bits of the last character, so without this check two different stored
 * strings could decrypt to the same value, and an edit to the last character of a part could go
 * unnoticed.
 */
function canonicalBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
