import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FieldError } from '../../platform/errors/app-exception';

export const MIN_PASSWORD_LENGTH = 12;
const COMMON_CORES = new Set([
  'password',
  'passw0rd',
  'qwerty',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'monkey',
  'dragon',
  'football',
  'abc',
  'test',
  'changeme',
  'secret',
  'login',
]);
const MAX_PASSWORD_LENGTH = 256;

/**
 * The common-password list is the 12-or-more-character entries of the top million passwords from
 * SecLists (Daniel Miessler, OWASP; CC BY-SA 3.0), lower-cased — see data/NOTICE. Shorter
 * entries are left out because the length rule already refuses them.
 */
let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(path.join(__dirname, 'data', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

/** NCSC/NIST-style rules: long, not common, not about you. No arbitrary character-class rules. */
export function checkPassword(password: string, context: { email?: string; name?: string } = {}, field = 'password'): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ field, rule: 'minLength', message: `Password must be ${MIN_PASSWORD_LENGTH} characters or more` });
    return errors;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    errors.push({ field, rule: 'maxLength', message: `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer` });
    return errors;
  }
  const lower = password.toLowerCase();
  const personal = [context.email?.split('@')[0], ...(context.name?.split(/\s+/) ?? [])]
    .filter((p): p is string => !!p && p.length >= 4)
    .map((p) => p.toLowerCase());
  // A common word padded with digits or symbols to reach the length ("password123456") is no stronger.
  const core = lower.replace(/[^a-z]+$/, '').replace(/^[^a-z]+/, '');
  if (
    commonPasswords().has(lower) ||
    commonPasswords().has(core) ||
    COMMON_CORES.has(core) ||
    /^(.)\1+$/.test(password) ||
    /^(0123456789|1234567890|abcdefghijkl|qwertyuiop)/.test(lower)
  ) {
    errors.push({ field, rule: 'notCommon', message: 'Password is too common. Try three or more random words' });
  } else if (personal.some((p) => lower.includes(p)) || lower.includes('pccgrants')) {
    errors.push({ field, rule: 'notPersonal', message: 'Password must not contain your name, email address or the name of this service' });
  }
  return errors;
}
