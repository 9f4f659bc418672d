import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { likeEscape, parseSort } from '../../platform/http/paging';
import { NotificationsService } from '../notifications';
import { UserAccount } from './entities/user-account.entity';
import { SecurityToken, type TokenPurpose } from './entities/security-token.entity';
import { IdentityErrorCode, IdentityException } from './identity.exceptions';
import { MfaService } from './mfa.service';
import { checkPassword } from './password-policy';
import { AccessException, type Principal, STAFF_ROLES, type StaffRole, permissionsFor } from '../../platform/access';
import { dummyPasswordHash, hashPassword, newSecretToken, sha256, verifyPassword } from './secrets';
import { EmailQuotaService } from './email-quota.service';
import { ThrottleService, throttleKeys } from './throttle.service';

const HOUR = 60 * 60 * 1000;
const LIFETIMES: Record<TokenPurpose, number> = {
  verify_email: 48 * HOUR,
  reset_password: 1 * HOUR,
  staff_invitation: 7 * 24 * HOUR,
  organisation_invitation: 14 * 24 * HOUR,
};

/**
 * A "forgot password" request is answered no sooner than this, known email or not: the extra work
 * for a real account (a token, an email, an audit row) took a few milliseconds more, enough to
 * tell from outside which emails have accounts.
 */
export const RESET_REQUEST_MIN_MS = 250;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toPrincipal(user: UserAccount, via: Principal['via']): Principal {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    roles: user.roles,
    permissions: permissionsFor(user.roles),
    emailVerified: !!user.emailVerifiedAt,
    mfaEnabled: !!user.mfaEnabledAt,
    isStaff: user.roles.length > 0,
    via,
  };
}

export type UserSort = 'name' | 'email' | 'role' | 'status' | 'lastSignedIn';

/** The administrators' list of accounts: filters already checked by UsersListQueryDto. */
export interface UserListQuery {
  search?: string;
  kind?: 'staff' | 'applicants';
  role?: StaffRole;
  status?: 'active' | 'invited' | 'deactivated';
  /** A column, "-" first for descending: "name", "-lastSignedIn" */
  sort?: string;
  limit: number;
  page: number;
}

export interface UserListItem {
  user: UserAccount;
  /** Staff invited who have not yet accepted: they cannot sign in yet. */
  invited: boolean;
}

export interface NewApplicantAccount {
  fullName: string;
  email: string;
  password: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly throttle: ThrottleService,
    private readonly mfa: MfaService,
    private readonly emailQuota: EmailQuotaService,
    private readonly clock: Clock,
  ) {}

  findActive(id: string): Promise<UserAccount | null> {
    return this.dataSource.getRepository(UserAccount).findOne({ where: { id, status: 'active' } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserAccount | null> {
    return manager.getRepository(UserAccount).findOne({ where: { id } });
  }

  list(): Promise<UserAccount[]> {
    return this.dataSource.getRepository(UserAccount).find({ order: { fullName: 'ASC' } });
  }

  /**
   * One page of accounts for administrators: searched by name or email, filtered by kind (staff
   * hold a role, applicants none), role and status, sorted by a column (then by id, so a page
   * never repeats or skips a row). `invited` marks staff who have not yet accepted their
   * invitation (no password yet): the hash itself never leaves the database.
   */
  async listPage(q: UserListQuery): Promise<{ items: UserListItem[]; total: number }> {
    const qb = this.dataSource.getRepository(UserAccount).createQueryBuilder('u');
    if (q.search) {
      // The search text is data, never a pattern: % and _ typed by someone match themselves.
      qb.andWhere('(u.fullName ILIKE :like OR u.email ILIKE :like)', { like: `%${likeEscape(q.search)}%` });
    }
    if (q.kind === 'staff') qb.andWhere(`cardinality(u.roles) > 0`);
    if (q.kind === 'applicants') qb.andWhere(`cardinality(u.roles) = 0`);
    if (q.role) qb.andWhere(':role = ANY(u.roles)', { role: q.role });
    if (q.status === 'deactivated') qb.andWhere(`u.status = 'deactivated'`);
    if (q.status === 'active') qb.andWhere(`u.status = 'active' AND u.passwordHash IS NOT NULL`);
    if (q.status === 'invited') qb.andWhere(`u.status = 'active' AND u.passwordHash IS NULL`);
    const total = await qb.getCount();
    const sort = parseSort<UserSort>(q.sort ?? 'name');
    const direction = sort.direction === 'desc' ? 'DESC' : 'ASC';
    const columns: Record<UserSort, string> = {
      name: 'lower(u.full_name)',
      email: 'u.email',
      role: `coalesce(u.roles[1], '')`,
      status: `CASE WHEN u.status = 'deactivated' THEN 2 WHEN u.password_hash IS NULL THEN 1 ELSE 0 END`,
      lastSignedIn: 'u.last_signed_in_at',
    };
    const column = columns[sort.key] ?? columns.name;
    const rows = await qb
      .addSelect('u.passwordHash IS NULL', 'invited')
      .addSelect(column, 'sort_key')
      .orderBy('sort_key', direction, direction === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST')
      .addOrderBy('u.id', 'ASC')
      .offset((q.page - 1) * q.limit)
      .limit(q.limit)
      .getRawAndEntities();
    const items = rows.entities.map((user, i) => ({ user, invited: (rows.raw[i] as { invited: boolean }).invited === true }));
    return { items, total };
  }

  /** Whether a staff member has yet to accept their invitation (they have no password yet). */
  async isInvitationPending(userId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ pending: boolean }[]>(`SELECT password_hash IS NULL AS pending FROM user_account WHERE id = $1`, [userId]);
    return row?.pending === true;
  }

  /** Names and emails of these accounts, for showing ids in words (the audit trail); unknown ids are left out. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, { fullName: string; email: string }>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (!wanted.length) return new Map();
    const users = await this.dataSource.getRepository(UserAccount).find({ select: { id: true, fullName: true, email: true }, where: { id: In(wanted) } });
    return new Map(users.map((u) => [u.id, { fullName: u.fullName, email: u.email }]));
  }

  /** Staff accounts by id, with their roles and whether they are active; unknown ids are left out. */
  async staffByIds(ids: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, StaffAccount>> {
    const wanted = [...new Set(ids)].filter(isUuid);
    if (!wanted.length) return new Map();
    const users = await m
      .getRepository(UserAccount)
      .find({ select: { id: true, fullName: true, email: true, roles: true, status: true }, where: { id: In(wanted) } });
    return new Map(users.map((u) => [u.id, staffAccount(u)]));
  }

  /** Active accounts holding a staff role, by name; an invitation not yet accepted still counts (they can be given work). */
  async activeWithRole(role: StaffRole, m: EntityManager = this.dataSource.manager): Promise<StaffAccount[]> {
    const users = await m
      .getRepository(UserAccount)
      .createQueryBuilder('u')
      .select(['u.id', 'u.fullName', 'u.email', 'u.roles', 'u.status'])
      .where(':role = ANY(u.roles) AND u.status = :active', { role, active: 'active' })
      .orderBy('u.full_name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .getMany();
    return users.map(staffAccount);
  }

  /** Ids of the accounts (at most `limit`) whose name or email contains the text, case aside. */
  async idsMatching(search: string, limit = 500): Promise<string[]> {
    const like = `%${likeEscape(search)}%`;
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM user_account WHERE full_name ILIKE $1 OR email ILIKE $1 ORDER BY id LIMIT $2`, [
      like,
      limit,
    ]);
    return rows.map((r) => r.id);
  }

  /**
   * Checks an email and password, throttled per account and per IP. The answer and its timing
   * are the same whether or not the email has an account.
   */
  async authenticate(email: string, password: string, ip: string | undefined): Promise<UserAccount> {
    const keys = throttleKeys(email, ip);
    // Counted before the password is checked, atomically: see ThrottleService.
    const reservations = await this.throttle.reserve(keys);
    const user = await this.dataSource
      .getRepository(UserAccount)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normaliseEmail(email) })
      .getOne();
    const ok = user?.passwordHash
      ? await verifyPassword(user.passwordHash, password)
      : await verifyPassword(await dummyPasswordHash(), password).then(() => false);
    // A wrong answer keeps its reservation: that is the failure being counted.
    if (!ok || !user || user.status !== 'active') throw IdentityException.invalidCredentials();
    // With MFA on, the password is only half of it: the count is cleared once the code is right
    // too (verifySecondFactor), or knowing the password would buy unlimited guesses at the code.
    // The password's own reservation is given back; each code guess reserves its own.
    if (user.mfaEnabledAt) await this.throttle.release(reservations);
    else await this.throttle.recordSuccess(email, reservations);
    return user;
  }

  /**
   * Checks the second factor for an account whose password was just accepted, with the same
   * throttle counters as the password: each code is counted before it is checked, and a right
   * one clears the account's count.
   */
  async verifySecondFactor(user: UserAccount, code: string, ip: string | undefined): Promise<void> {
    const keys = throttleKeys(user.email, ip);
    const reservations = await this.throttle.reserve(keys);
    try {
      await this.mfa.verify(user.id, code);
    } catch (err) {
      // Only a wrong code is a guess; anything else (a fault) gives the reservation back.
      if (!(err instanceof IdentityException && err.code === IdentityErrorCode.OtpInvalid)) await this.throttle.release(reservations);
      throw err;
    }
    await this.throttle.recordSuccess(user.email, reservations);
  }

  async recordSignIn(userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.update(UserAccount, { id: userId }, { lastSignedInAt: this.clock.now() });
      await writeAudit(m, { action: 'user.signed_in', entityType: 'user_account', entityId: userId, actorId: userId });
    });
  }

  /**
   * Registration never says whether an email is taken: an existing account holder gets an email
   * telling them someone tried to register with their address, and the page reads the same.
   */
  async registerApplicant(input: NewApplicantAccount): Promise<void> {
    const email = normaliseEmail(input.email);
    const problems = checkPassword(input.password, { email, name: input.fullName });
    if (problems.length) throw IdentityException.weakPassword(problems);
    const passwordHash = await hashPassword(input.password);
    await this.dataSource.transaction(async (m) => {
      // Counted the same whether or not the address has an account, so a refusal reveals nothing.
      await this.emailQuota.consume(m, email, {});
      const existing = await m.findOne(UserAccount, { where: { email } });
      if (existing) {
        await this.notifications.enqueue(m, {
          // Wall-clock time only to tell attempts apart (a test's fixed clock would make them one).
          idempotencyKey: `registration-attempt:${existing.id}:${Date.now()}`,
          to: email,
          template: 'account-already-exists',
          data: { name: existing.fullName, signInUrl: `${this.config.publicBaseUrl}/sign-in`, resetUrl: `${this.config.publicBaseUrl}/forgot-password` },
        });
        return;
      }
      const user = await m.save(m.create(UserAccount, { email, fullName: input.fullName.trim(), passwordHash, roles: [] }));
      await writeAudit(m, {
        action: 'user.registered',
        entityType: 'user_account',
        entityId: user.id,
        actorId: user.id,
        after: { email, fullName: user.fullName },
      });
      await this.sendVerification(m, user);
    });
  }

  async sendVerification(m: EntityManager, user: UserAccount): Promise<void> {
    const token = await this.issueToken(m, 'verify_email', { userId: user.id });
    await this.notifications.enqueue(m, {
      idempotencyKey: `verify-email:${sha256(token)}`,
      to: user.email,
      template: 'verify-email',
      data: { name: user.fullName, link: `${this.config.publicBaseUrl}/verify-email?token=${token}` },
    });
  }

  async resendVerification(userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await m.findOneOrFail(UserAccount, { where: { id: userId } });
      if (user.emailVerifiedAt) return;
      await this.emailQuota.consume(m, user.email, { userId });
      await this.sendVerification(m, user);
    });
  }

  async verifyEmail(token: string): Promise<UserAccount> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.consumeToken(m, 'verify_email', token, 'email confirmation');
      const user = await m.findOneOrFail(UserAccount, { where: { id: t.userId! } });
      if (!user.emailVerifiedAt) {
        user.emailVerifiedAt = this.clock.now();
        await m.save(user);
        await writeAudit(m, { action: 'user.email_verified', entityType: 'user_account', entityId: user.id, actorId: user.id });
      }
      return user;
    });
  }

  /**
   * Always looks the same to the caller; only a real, active account gets an email. "The same"
   * includes how long it takes: both paths count the request against the same limits (per email
   * address and per IP, so a refusal says nothing either), and the answer is held back until a
   * fixed minimum time has passed, which is longer than the work of either path takes.
   */
  async requestPasswordReset(email: string): Promise<void> {
    // The floor is set before the work starts, so when it ends does not depend on how long the
    // work took (a timer set after the work would inherit the work's tail).
    const floor = new Promise((resolve) => setTimeout(resolve, RESET_REQUEST_MIN_MS));
    const work = this.dataSource.transaction(async (m) => {
      await this.emailQuota.consume(m, email, {});
      const user = await m.findOne(UserAccount, { where: { email: normaliseEmail(email), status: 'active' } });
      if (!user) return;
      const token = await this.issueToken(m, 'reset_password', { userId: user.id });
      await this.notifications.enqueue(m, {
        idempotencyKey: `reset-password:${sha256(token)}`,
        to: user.email,
        template: 'reset-password',
        data: { name: user.fullName, link: `${this.config.publicBaseUrl}/reset-password?token=${token}` },
      });
      await writeAudit(m, { action: 'user.password_reset_requested', entityType: 'user_account', entityId: user.id });
    });
    // A refusal (the email limit) waits out the floor too, then is thrown.
    await Promise.allSettled([work, floor]);
    await work;
  }

  /** Sets a new password from a reset link, and signs the account out everywhere. */
  async resetPassword(token: string, password: string): Promise<UserAccount> {
    const hashLookup = await this.dataSource.getRepository(SecurityToken).findOne({ where: { tokenHash: sha256(token), purpose: 'reset_password' } });
    const user = hashLookup?.userId ? await this.findById(hashLookup.userId) : null;
    const problems = checkPassword(password, { email: user?.email, name: user?.fullName });
    if (problems.length) throw IdentityException.weakPassword(problems);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const t = await this.consumeToken(m, 'reset_password', token, 'password reset');
      const account = await m.findOneOrFail(UserAccount, { where: { id: t.userId! } });
      await m.update(UserAccount, { id: account.id }, { passwordHash, emailVerifiedAt: account.emailVerifiedAt ?? this.clock.now() });
      // Any other outstanding reset links die with this one.
      await m.query(`UPDATE security_token SET used_at = $2 WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL`, [
        account.id,
        this.clock.now(),
      ]);
      // Whoever knew the old password may have made API tokens or kept a session with it: a reset
      // ends them all, in this transaction, so there is no moment when the new password is set
      // and an old token still works.
      const revoked = await this.signOutEverywhere(m, account.id);
      await writeAudit(m, {
        action: 'user.password_reset',
        entityType: 'user_account',
        entityId: account.id,
        actorId: account.id,
        after: { apiTokensRevoked: revoked },
      });
      return account;
    });
  }

  /** Demo and first-run set-up only: an account that is already verified. */
  async createVerifiedAccount(input: {
    email: string;
    fullName: string;
    roles: StaffRole[];
    password: string;
    passwordHash?: string;
  }): Promise<UserAccount | null> {
    const email = normaliseEmail(input.email);
    assertRoles(input.roles, false);
    // Bulk set-up (demo data) may hash one password once and reuse it.
    const passwordHash = input.passwordHash ?? (await hashPassword(input.password));
    return this.dataSource.transaction(async (m) => {
      if (await m.findOne(UserAccount, { where: { email } })) return null;
      const user = await m.save(
        m.create(UserAccount, { email, fullName: input.fullName, roles: input.roles, passwordHash, emailVerifiedAt: this.clock.now() }),
      );
      await writeAudit(m, { action: 'user.created', entityType: 'user_account', entityId: user.id, after: { email, roles: input.roles } });
      return user;
    });
  }

  // ---- staff administration --------------------------------------------------------------

  async inviteStaff(actor: Principal, input: { email: string; fullName: string; roles: StaffRole[] }): Promise<UserAccount> {
    const email = normaliseEmail(input.email);
    assertRoles(input.roles, true);
    return this.dataSource.transaction(async (m) => {
      if (await m.findOne(UserAccount, { where: { email } })) throw IdentityException.conflict('An account with that email address already exists', 'email');
      await this.emailQuota.consume(m, email, { userId: actor.id });
      const user = await m.save(m.create(UserAccount, { email, fullName: input.fullName.trim(), roles: input.roles, passwordHash: null }));
      const token = await this.issueToken(m, 'staff_invitation', { userId: user.id, email, createdBy: actor.id });
      await this.notifications.enqueue(m, {
        idempotencyKey: `staff-invitation:${sha256(token)}`,
        to: email,
        template: 'staff-invitation',
        data: { name: user.fullName, invitedBy: actor.fullName, link: `${this.config.publicBaseUrl}/staff-invitation?token=${token}` },
      });
      await writeAudit(m, { action: 'user.staff_invited', entityType: 'user_account', entityId: user.id, after: { email, roles: input.roles } });
      return user;
    });
  }

  async checkStaffInvitation(token: string): Promise<UserAccount> {
    const t = await this.dataSource.getRepository(SecurityToken).findOne({ where: { tokenHash: sha256(token), purpose: 'staff_invitation' } });
    if (!t || t.usedAt || t.expiresAt <= this.clock.now() || !t.userId) throw IdentityException.invalidToken('invitation');
    const user = await this.findById(t.userId);
    if (!user || user.status !== 'active') throw IdentityException.invalidToken('invitation');
    return user;
  }

  async acceptStaffInvitation(token: string, password: string): Promise<UserAccount> {
    const invited = await this.checkStaffInvitation(token);
    const problems = checkPassword(password, { email: invited.email, name: invited.fullName });
    if (problems.length) throw IdentityException.weakPassword(problems);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const t = await this.consumeToken(m, 'staff_invitation', token, 'invitation');
      await m.update(UserAccount, { id: t.userId! }, { passwordHash, emailVerifiedAt: this.clock.now() });
      await writeAudit(m, { action: 'user.staff_invitation_accepted', entityType: 'user_account', entityId: t.userId!, actorId: t.userId! });
      return m.findOneOrFail(UserAccount, { where: { id: t.userId! } });
    });
  }

  async setRoles(actor: Principal, userId: string, roles: StaffRole[]): Promise<UserAccount> {
    assertRoles(roles, false);
    return this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserAccount, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw IdentityException.notFound('User');
      if (user.id === actor.id && user.roles.includes('admin' as StaffRole) && !roles.includes('admin' as StaffRole)) {
        throw AccessException.forbidden('You cannot remove your own administrator role');
      }
      const before = { roles: user.roles };
      user.roles = [...new Set(roles)].sort();
      await m.save(user);
      // New permissions (or fewer) apply from the next request; sessions re-read roles each time.
      await writeAudit(m, { action: 'user.roles_changed', entityType: 'user_account', entityId: user.id, before, after: { roles: user.roles } });
      return user;
    });
  }

  /** Takes effect at once: every session and API token of the user ends in the same transaction. */
  async deactivate(actor: Principal, userId: string): Promise<void> {
    if (actor.id === userId) throw AccessException.forbidden('You cannot deactivate your own account');
    await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserAccount, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw IdentityException.notFound('User');
      if (user.status === 'deactivated') return;
      await m.update(UserAccount, { id: userId }, { status: 'deactivated' });
      await this.signOutEverywhere(m, userId);
      await writeAudit(m, {
        action: 'user.deactivated',
        entityType: 'user_account',
        entityId: userId,
        before: { status: user.status },
        after: { status: 'deactivated' },
      });
    });
  }

  async reactivate(actor: Principal, userId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await m.findOne(UserAccount, { where: { id: userId } });
      if (!user) throw IdentityException.notFound('User');
      if (user.status === 'active') return;
      await m.update(UserAccount, { id: userId }, { status: 'active' });
      await writeAudit(m, {
        action: 'user.reactivated',
        entityType: 'user_account',
        entityId: userId,
        before: { status: user.status },
        after: { status: 'active' },
      });
    });
  }

  async endAllSessions(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM http_session WHERE user_id = $1`, [userId]);
  }

  /**
   * Ends every session and revokes every API token of the account, inside the caller's
   * transaction (a reset, a deactivation). Returns how many tokens were revoked, for the audit row.
   */
  async signOutEverywhere(m: EntityManager, userId: string): Promise<number> {
    await this.endAllSessions(m, userId);
    const [, count] = await m.query<[unknown, number]>(`UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
      this.clock.now(),
    ]);
    return count;
  }

  // ---- single-use emailed tokens ------------------------------------------------------------

  async issueToken(
    m: EntityManager,
    purpose: TokenPurpose,
    fields: { userId?: string; email?: string; organisationId?: string; roles?: string[]; createdBy?: string },
  ): Promise<string> {
    const token = newSecretToken();
    const now = this.clock.now();
    await m.insert(SecurityToken, {
      tokenHash: sha256(token),
      purpose,
      userId: fields.userId ?? null,
      email: fields.email ?? null,
      organisationId: fields.organisationId ?? null,
      roles: fields.roles ?? [],
      createdBy: fields.createdBy ?? null,
      // The application's clock for both, so the lifetime CHECK compares like with like and a
      // test can move time past the expiry.
      createdAt: now,
      expiresAt: new Date(now.getTime() + LIFETIMES[purpose]),
    });
    return token;
  }

  /** Marks a token used, atomically: of two simultaneous uses, exactly one succeeds. */
  async consumeToken(m: EntityManager, purpose: TokenPurpose, token: string, what: string): Promise<SecurityToken> {
    const [rows] = await m.query<[{ id: string }[], number]>(
      `UPDATE security_token SET used_at = $3
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
        RETURNING id`,
      [sha256(token), purpose, this.clock.now()],
    );
    if (!rows.length) throw IdentityException.invalidToken(what);
    return m.findOneOrFail(SecurityToken, { where: { id: rows[0].id } });
  }
}

function assertRoles(roles: StaffRole[], nonEmpty: boolean) {
  if (nonEmpty && roles.length === 0) {
    throw new ValidationFailedException([{ field: 'roles', rule: 'arrayNotEmpty', message: 'Select at least one role' }]);
  }
  const bad = roles.filter((r) => !STAFF_ROLES.includes(r));
  if (bad.length) throw new ValidationFailedException([{ field: 'roles', rule: 'isIn', message: `Unknown role: ${bad.join(', ')}` }]);
}

/** A member of staff as other modules see them. */
export interface StaffAccount {
  id: string;
  fullName: string;
  email: string;
  roles: StaffRole[];
  active: boolean;
}

function staffAccount(u: UserAccount): StaffAccount {
  return { id: u.id, fullName: u.fullName, email: u.email, roles: u.roles, active: u.status === 'active' };
}
