import { hashPassword, verifyPassword } from '../../src/modules/identity/secrets';

/**
 * Passwords are hashed with argon2id at OWASP's baseline (19 MiB, 2 iterations, 1 lane) everywhere
 * but inside Jest's workers, where the suite's many accounts use 1 MiB and 1 iteration so that
 * hashing does not dominate the test run. Both kinds verify, since a hash records its settings.
 */
describe('password hashing', () => {
  const saved = process.env.JEST_WORKER_ID;
  afterEach(() => {
    process.env.JEST_WORKER_ID = saved;
  });

  it('uses OWASP’s argon2id baseline outside Jest', async () => {
    delete process.env.JEST_WORKER_ID;
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('uses the cheapest argon2id settings inside Jest’s workers, and either kind of hash verifies', async () => {
    expect(saved).toBeDefined();
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
  });
});
