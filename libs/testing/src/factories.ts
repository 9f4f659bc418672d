import { randomBytes } from 'node:crypto';

/** Distinct per call, so tests sharing a database never collide on unique email addresses. */
export function uniqueEmail(name = 'person'): string {
  return `${name}.${randomBytes(4).toString('hex')}@example.org`;
}

/** A password that passes the policy: long and not on the common-password list. */
export function strongPassword(): string {
  return `Kettle-Orbit-${randomBytes(6).toString('hex')}`;
}
