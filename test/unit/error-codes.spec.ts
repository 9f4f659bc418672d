import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES } from '../../src/error-codes';
import { ApplicationsErrorCode, ApplicationsException } from '../../src/modules/applications';
import { AssessmentErrorCode, AssessmentException } from '../../src/modules/assessment';
import { AllocationErrorCode, AllocationException } from '../../src/modules/allocation';
import { DecisionsErrorCode, DecisionsException } from '../../src/modules/decisions';
import { GrantsErrorCode, GrantsException } from '../../src/modules/grants';
import { PaymentsErrorCode, PaymentsException } from '../../src/modules/payments';
import { FundsErrorCode, FundsException, RoundsErrorCode, RoundsException } from '../../src/modules/funds';
import { IdentityErrorCode, IdentityException } from '../../src/modules/identity';
import { NotificationsErrorCode, NotificationsException } from '../../src/modules/notifications';
import { PublishingErrorCode, PublishingException } from '../../src/modules/publishing';
import { AccessErrorCode, AccessException } from '../../src/platform/access';
import { AppException } from '../../src/platform/errors/app-exception';
import { errorCodesMarkdown } from '../../src/platform/http/openapi';

/** Every exception class with its module's enum and the module the document names. */
const CATALOGUES: { exception: object; codes: Record<string, string>; module: string }[] = [
  { exception: AccessException, codes: AccessErrorCode, module: 'access' },
  { exception: IdentityException, codes: IdentityErrorCode, module: 'identity' },
  { exception: FundsException, codes: FundsErrorCode, module: 'funds' },
  { exception: RoundsException, codes: RoundsErrorCode, module: 'funds' },
  { exception: ApplicationsException, codes: ApplicationsErrorCode, module: 'applications' },
  { exception: NotificationsException, codes: NotificationsErrorCode, module: 'notifications' },
  { exception: AssessmentException, codes: AssessmentErrorCode, module: 'assessment' },
  { exception: AllocationException, codes: AllocationErrorCode, module: 'allocation' },
  { exception: DecisionsException, codes: DecisionsErrorCode, module: 'decisions' },
  { exception: GrantsException, codes: GrantsErrorCode, module: 'grants' },
  { exception: PaymentsException, codes: PaymentsErrorCode, module: 'payments' },
  { exception: PublishingException, codes: PublishingErrorCode, module: 'publishing' },
];

type Factory = (...args: unknown[]) => unknown;

/** The static factories of an exception class (everything callable on it but the class's own machinery). */
function factoriesOf(exception: object): [string, Factory][] {
  return Object.getOwnPropertyNames(exception)
    .filter((name) => !['length', 'name', 'prototype'].includes(name))
    .map((name) => [name, (exception as Record<string, unknown>)[name]] as const)
    .filter((entry): entry is [string, Factory] => typeof entry[1] === 'function');
}

/**
 * Calls a factory with arguments every current one accepts: an empty array serves as a list of
 * field errors, a number (NaN) and a string (''). A factory that cannot be called so fails the
 * test, which then needs an entry here rather than going unchecked.
 */
function produce(factory: Factory): unknown {
  return factory(...Array.from({ length: Math.max(factory.length, 2) }, () => []));
}

describe('error codes', () => {
  const documented = new Map(ERROR_CODES.map((c) => [c.code, c]));
  const markdown = errorCodesMarkdown(ERROR_CODES);

  it.each(CATALOGUES.map((c) => [c.module, (c.exception as { name: string }).name, c] as const))(
    '%s: every code %s can produce is in its enum and in the document, with the status it is raised with',
    (_module, _name, { exception, codes, module }) => {
      const factories = factoriesOf(exception);
      expect(factories.length).toBeGreaterThan(0);
      const enumValues = new Set(Object.values(codes));
      for (const [name, factory] of factories) {
        const e = produce(factory);
        expect({ name, isAppException: e instanceof AppException }).toEqual({ name, isAppException: true });
        const { code, status } = e as AppException;
        expect({ name, code, inEnum: enumValues.has(code) }).toEqual({ name, code, inEnum: true });
        expect({ name, documented: documented.get(code) }).toEqual({ name, documented: { code, status, module } });
        expect(markdown).toContain(`| \`${code}\` | ${status} | ${module} |`);
      }
    },
  );

  it('checks every exception class a module declares in its exceptions file', () => {
    const root = path.resolve(__dirname, '../../src');
    const files = [
      ...fs.readdirSync(path.join(root, 'modules'), { recursive: true, encoding: 'utf8' }).map((f) => path.join(root, 'modules', f)),
      ...fs.readdirSync(path.join(root, 'platform', 'access')).map((f) => path.join(root, 'platform', 'access', f)),
    ].filter((f) => f.endsWith('.exceptions.ts'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const listed = new Set(CATALOGUES.map((c) => c.exception));
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each exceptions file found on disk, whatever its exports
      const exported = Object.values(require(file) as Record<string, unknown>);
      const classes = exported.filter((v): v is object => typeof v === 'function' && v.prototype instanceof AppException);
      for (const c of classes)
        expect({ file: path.relative(root, file), exception: (c as { name: string }).name, listed: listed.has(c) }).toMatchObject({ listed: true });
    }
  });

  it('documents every code of every enum, and nothing else', () => {
    const declared = CATALOGUES.flatMap((c) => Object.values(c.codes)).sort();
    expect([...documented.keys()].sort()).toEqual(declared);
    expect(ERROR_CODES).toHaveLength(declared.length);
  });

  it('keeps the published code strings: clients branch on them', () => {
    // Spot checks of strings whose prefix does not match the enum's module, the easiest to "tidy".
    expect(AccessErrorCode.Forbidden).toBe('identity.forbidden');
    expect(AccessErrorCode.MfaEnrolmentRequired).toBe('identity.mfa_enrolment_required');
    expect(RoundsErrorCode.RoundExists).toBe('funds.round_exists');
    expect(IdentityErrorCode.InvalidApiToken).toBe('identity.invalid_token');
  });
});
