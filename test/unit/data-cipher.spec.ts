import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { DataCipher, DataCipherError } from '@pcc/crypto';
import fc from 'fast-check';

describe('DataCipher (AES-256-GCM for fields at rest)', () => {
  const key = randomBytes(32);
  const cipher = new DataCipher(key);
  const CONTEXT = 'bank_details.account_number';

  /** Replaces the character at `index` with another one from the base64url alphabet. */
  function changeCharAt(text: string, index: number): string {
    const c = text[index];
    return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
  }

  it('gives back what it was given, including text beyond ASCII and the empty string', () => {
    for (const plain of ['12345678', 'JBSWY3DPEHPK3PXP', 'Ysgol Gymraeg — £1,000 ✓ 日本語 🏴󠁧󠁢󠁷󠁬󠁳󠁿', '', ' spaces kept ']) {
      expect(cipher.decrypt(cipher.encrypt(plain, CONTEXT), CONTEXT)).toBe(plain);
    }
  });

  it('writes a versioned, self-describing value that does not contain the clear text', () => {
    const stored = cipher.encrypt('12345678', CONTEXT);
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('12345678');
    expect(DataCipher.isEncrypted(stored)).toBe(true);
  });

  it('gives a different value each time for the same input (a random IV per value)', () => {
    const values = Array.from({ length: 50 }, () => cipher.encrypt('12345678', CONTEXT));
    expect(new Set(values).size).toBe(50);
    expect(new Set(values.map((v) => v.split('.')[1])).size).toBe(50);
    values.forEach((v) => expect(cipher.decrypt(v, CONTEXT)).toBe('12345678'));
  });

  describe('refuses a value that was altered', () => {
    const stored = cipher.encrypt('sort code 12-34-56', CONTEXT);
    const [, iv, tag, body] = stored.split('.');

    it.each([
      ['the IV', 1, iv.length],
      ['the tag', 2, tag.length],
      ['the ciphertext', 3, body.length],
    ])('in every character of %s', (_part, partIndex, length) => {
      for (let i = 0; i < length; i++) {
        const parts = stored.split('.');
        parts[partIndex] = changeCharAt(parts[partIndex], i);
        expect(() => cipher.decrypt(parts.join('.'), CONTEXT)).toThrow(DataCipherError);
      }
    });

    it.each([
      [
        'a flipped bit in the ciphertext',
        `v1.${iv}.${tag}.${Buffer.from(Buffer.from(body, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')}`,
      ],
      ['a truncated ciphertext', `v1.${iv}.${tag}.${body.slice(0, -4)}`],
      ['an extended ciphertext', `v1.${iv}.${tag}.${body}AAAA`],
      ['an empty ciphertext', `v1.${iv}.${tag}.`],
      ['a short tag', `v1.${iv}.${tag.slice(0, 16)}.${body}`],
      ['a missing part', `v1.${iv}.${body}`],
      ['an extra part', `${stored}.AAAA`],
      ['padding added', `${stored}=`],
      ['another version', `v2.${iv}.${tag}.${body}`],
      ['no version', `${iv}.${tag}.${body}`],
      ['clear text', 'JBSWY3DPEHPK3PXP'],
      ['nothing', ''],
    ])('with %s', (_what, altered) => {
      expect(() => cipher.decrypt(altered, CONTEXT)).toThrow(DataCipherError);
    });

    it('and says why without echoing the value', () => {
      expect(() => cipher.decrypt(changeCharAt(stored, stored.length - 1), CONTEXT)).toThrow(/altered/);
      expect(() => cipher.decrypt('JBSWY3DPEHPK3PXP', 'user_account.mfa_secret')).toThrow(/user_account\.mfa_secret.*not encrypted/);
      expect(() => cipher.decrypt('JBSWY3DPEHPK3PXP', 'user_account.mfa_secret')).not.toThrow(/JBSWY3DPEHPK3PXP/);
      expect(() => cipher.decrypt(`v9.${iv}.${tag}.${body}`, CONTEXT)).toThrow(/format v9/);
    });
  });

  it('refuses a value encrypted for another field (context)', () => {
    const stored = cipher.encrypt('12345678', 'bank_details.account_number');
    expect(() => cipher.decrypt(stored, 'bank_details.sort_code')).toThrow(DataCipherError);
    expect(() => cipher.decrypt(stored, 'user_account.mfa_secret')).toThrow(/another field/);
    expect(() => cipher.decrypt(stored, 'bank_details.account_number ')).toThrow(DataCipherError);
  });

  it('refuses a value encrypted with another key, naming the setting to check', () => {
    const stored = cipher.encrypt('12345678', CONTEXT);
    const other = new DataCipher(randomBytes(32));
    expect(() => other.decrypt(stored, CONTEXT)).toThrow(DataCipherError);
    expect(() => other.decrypt(stored, CONTEXT)).toThrow(/different key.*DATA_ENCRYPTION_KEY/);
    // The same key bytes in a new object decrypt it: nothing but the key is needed.
    expect(new DataCipher(Buffer.from(key)).decrypt(stored, CONTEXT)).toBe('12345678');
  });

  it('needs a 32-byte key, and keeps its own copy of it', () => {
    expect(() => new DataCipher(randomBytes(16))).toThrow(/32 bytes.*16 bytes/);
    expect(() => new DataCipher(randomBytes(33))).toThrow(DataCipherError);
    expect(() => new DataCipher(Buffer.alloc(0))).toThrow(DataCipherError);
    expect(() => new DataCipher('a'.repeat(32) as unknown as Buffer)).toThrow(/not a Buffer/);
    const mine = randomBytes(32);
    const c = new DataCipher(mine);
    const stored = c.encrypt('x', CONTEXT);
    mine.fill(0);
    expect(c.decrypt(stored, CONTEXT)).toBe('x');
  });

  it('does not show the key when logged or serialised', () => {
    const hex = key.toString('hex');
    const b64 = key.toString('base64');
    const shown = [JSON.stringify(cipher), inspect(cipher, { showHidden: true, depth: 5 })];
    for (const s of shown) {
      expect(s).not.toContain(hex);
      expect(s).not.toContain(b64);
    }
  });

  it('needs a context, and refuses text UTF-8 cannot carry', () => {
    expect(() => cipher.encrypt('x', '')).toThrow(/context/);
    expect(() => cipher.decrypt(cipher.encrypt('x', CONTEXT), '')).toThrow(/context/);
    expect(() => cipher.encrypt('half a pair \ud800', CONTEXT)).toThrow(/unpaired surrogate/);
  });

  it('tells encrypted values from clear ones', () => {
    expect(DataCipher.isEncrypted(cipher.encrypt('', CONTEXT))).toBe(true);
    expect(DataCipher.isEncrypted('JBSWY3DPEHPK3PXP')).toBe(false);
    expect(DataCipher.isEncrypted('')).toBe(false);
    expect(DataCipher.isEncrypted('v1.abc.def.ghi')).toBe(false);
    expect(DataCipher.isEncrypted(null as unknown as string)).toBe(false);
  });

  it('round-trips any text for any context (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (plain, context) => {
        const stored = cipher.encrypt(plain, context);
        expect(DataCipher.isEncrypted(stored)).toBe(true);
        expect(cipher.decrypt(stored, context)).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any other context than the one it was encrypted for (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 }), (plain, a, b) => {
        fc.pre(a !== b);
        expect(() => cipher.decrypt(cipher.encrypt(plain, a), b)).toThrow(DataCipherError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('DataCipher fingerprints', () => {
  const key = Buffer.alloc(32, 7);
  it('are equal for equal text and context, and differ by key and by context', () => {
    const a = new DataCipher(key);
    expect(a.fingerprint('309430:00733445', 'bank_details.account')).toBe(
      new DataCipher(Buffer.from(key)).fingerprint('309430:00733445', 'bank_details.account'),
    );
    expect(a.fingerprint('309430:00733445', 'bank_details.account')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.fingerprint('309430:00733445', 'bank_details.account')).not.toBe(a.fingerprint('309430:00733446', 'bank_details.account'));
    expect(a.fingerprint('309430:00733445', 'bank_details.account')).not.toBe(a.fingerprint('309430:00733445', 'other.column'));
    expect(a.fingerprint('309430:00733445', 'bank_details.account')).not.toBe(
      new DataCipher(Buffer.alloc(32, 8)).fingerprint('309430:00733445', 'bank_details.account'),
    );
  });
});
