import { createHash, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/** 256 random bits, URL-safe: for links in emails and API tokens. */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * Emailed tokens and API tokens are high-entropy, so a fast hash is enough to make a stolen
 * database useless for sign-in, and it allows lookup by hash. Passwords get argon2id instead.
 */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Inside Jest's workers only, the same algorithm with 1 MiB and 1 iteration: the test suite hashes
 * and checks about 1,500 passwords, and at the baseline each costs about 70 ms of CPU (over a
 * minute in all on two cores). Jest sets JEST_WORKER_ID in its workers and nowhere else; the app,
 * the demo seed and the first-start tests' real processes always use the baseline. A hash records
 * its own settings, so either kind is verified the same way.
 */
const JEST_ARGON2_OPTIONS = { ...ARGON2_OPTIONS, memoryCost: 1_024, timeCost: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  const inJest = process.env.JEST_WORKER_ID !== undefined && process.env.NODE_ENV === 'test';
  return argon2.hash(password, inJest ? JEST_ARGON2_OPTIONS : ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Checked against when an email is unknown, so "no such account" takes as long as "wrong
 * password" and response times do not reveal who has an account.
 */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
