import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AreasService, OUTSIDE_AREA } from '../areas';
import { writeAudit } from '@pcc/audit';
import { Brackets, DataSource, type EntityManager, In, QueryFailedError } from 'typeorm';
import { Clock } from '../../platform/clock';
import { EMAIL_ADDRESS_MESSAGE, isEmailAddress } from '../../platform/validation/email-address';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { NotificationsService } from '../notifications';
import { OrganisationMembership } from './entities/organisation-membership.entity';
import { Organisation, type OrganisationType } from './entities/organisation.entity';
import { SecurityToken } from './entities/security-token.entity';
import { EmailQuotaService } from './email-quota.service';
import { IdentityException } from './identity.exceptions';
import { normaliseCharityNumber, normaliseCompanyNumber, normalisePostcode, orgIdFor, validateRegistrationNumbers } from './organisation-identifiers';
import { AccessException, OrganisationRole, Permission, type Principal } from '../../platform/access';
import { sha256 } from './secrets';
import { normaliseEmail, UsersService } from './users.service';

export interface OrganisationDetails {
  name: string;
  type: OrganisationType;
  charityNumber?: string | null;
  companyNumber?: string | null;
  addressLine1: string;
  addressLine2?: string | null;
  town: string;
  postcode: string;
  /** ONS code of one of the seven areas, or "outside" */
  area: string;
  areaDescription?: string | null;
  contactName: string;
  contactEmail: string;
  contactPhone?: string | null;
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly emailQuota: EmailQuotaService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
  ) {}

  /** The organisations a person belongs to, with their role in each. */
  async forUser(userId: string): Promise<{ organisation: Organisation; role: OrganisationRole }[]> {
    const rows = await this.dataSource
      .getRepository(OrganisationMembership)
      .find({ where: { userId }, relations: { organisation: true }, order: { createdAt: 'ASC' } });
    return rows.map((r) => ({ organisation: r.organisation!, role: r.role }));
  }

  /** Pass the caller's manager inside a transaction, so the check does not wait for a second connection. */
  async roleIn(userId: string, organisationId: string, manager: EntityManager = this.dataSource.manager): Promise<OrganisationRole | null> {
    const m = await manager.getRepository(OrganisationMembership).findOne({ where: { userId, organisationId } });
    return m?.role ?? null;
  }

  /**
   * A person's role in each organisation they belong to, by organisation id, in one query: for a
   * list of records of several organisations that says on each what the person may do with it.
   */
  async rolesOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<Map<string, OrganisationRole>> {
    const rows = await manager.getRepository(OrganisationMembership).find({ where: { userId }, select: { organisationId: true, role: true } });
    return new Map(rows.map((r) => [r.organisationId, r.role]));
  }

  /**
   * Who hears about the organisation's grants: its contact address and the email of every owner
   * (owners are the people who may accept an offer), without repeats.
   */
  async ownerEmails(organisationId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager
      .getRepository(OrganisationMembership)
      .find({ where: { organisationId, role: OrganisationRole.Owner }, relations: { user: true }, order: { createdAt: 'ASC' } });
    const org = await manager.getRepository(Organisation).findOne({ where: { id: organisationId } });
    return [...new Set([org?.contactEmail, ...rows.map((r) => r.user?.email)].filter((e): e is string => !!e))];
  }

  /**
   * Everyone who should hear of a change to the organisation's bank details: its contact address
   * and every member, without repeats. A fraudster who changes them cannot stop the others hearing.
   */
  async contactEmails(organisationId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager
      .getRepository(OrganisationMembership)
      .find({ where: { organisationId }, relations: { user: true }, order: { createdAt: 'ASC' } });
    const org = await manager.getRepository(Organisation).findOne({ where: { id: organisationId } });
    return [...new Set([org?.contactEmail, ...rows.map((r) => r.user?.email)].filter((e): e is string => !!e))];
  }

  /** Organisations' names by id, for lists that show them beside other modules' records. */
  async namesByIds(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await manager.getRepository(Organisation).find({ where: { id: In([...new Set(ids)]) }, select: { id: true, name: true } });
    return new Map(rows.map((o) => [o.id, o.name]));
  }

  /** The ids of the organisations the person belongs to. */
  async organisationIdsOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.getRepository(OrganisationMembership).find({ where: { userId }, select: { organisationId: true } });
    return rows.map((r) => r.organisationId);
  }

  /**
   * Other organisations that look like this one: the same organisation identifier, charity number
   * or company number (the same applicant under another account, or a shared registered parent).
   */
  lookalikes(org: Organisation, manager: EntityManager = this.dataSource.manager): Promise<Organisation[]> {
    return manager
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .where('o.id <> :id', { id: org.id })
      .andWhere(
        new Brackets((q) => {
          q.where('o.org_id = :orgId', { orgId: org.orgId });
          if (org.charityNumber) q.orWhere('o.charity_number = :charityNumber', { charityNumber: org.charityNumber });
          if (org.companyNumber) q.orWhere('o.company_number = :companyNumber', { companyNumber: org.companyNumber });
        }),
      )
      .getMany();
  }

  /** An organisation by id, for other modules' rules (no access check: callers have made theirs). */
  find(organisationId: string, manager: EntityManager = this.dataSource.manager): Promise<Organisation | null> {
    return manager.getRepository(Organisation).findOneBy({ id: organisationId });
  }

  /**
   * Object-level access: members see their own organisation; staff who may view all applications
   * see any. Anyone else gets "not found", so ids of other groups' records reveal nothing.
   */
  async getFor(actor: Principal, organisationId: string): Promise<Organisation> {
    const org = await this.dataSource.getRepository(Organisation).findOne({ where: { id: organisationId } });
    const allowed = org && (actor.permissions.has(Permission.ApplicationsViewAll) || (await this.roleIn(actor.id, organisationId)));
    if (!org || !allowed) throw IdentityException.notFound('Organisation');
    return org;
  }

  /**
   * Only an account whose email is confirmed may register an organisation: registering claims a
   * charity or company number for good, and an unconfirmed address proves nothing about who is
   * claiming it (anyone could sign up as anyone and lock the real organisation out).
   */
  async create(actor: Principal, input: OrganisationDetails): Promise<Organisation> {
    if (!actor.emailVerified) throw IdentityException.emailNotConfirmed();
    const details = await this.validate(input);
    const alreadyRegistered = () =>
      IdentityException.conflict(
        'An organisation with this registration number already uses the service. Ask the person who manages it to invite you, or if it should not be registered by them, raise a dispute.',
        details.charityNumber ? 'charityNumber' : 'companyNumber',
      );
    try {
      return await this.dataSource.transaction(async (m) => {
        const id = randomUUID();
        const orgId = orgIdFor(details.charityNumber, details.companyNumber, id.slice(0, 8));
        if (await m.findOne(Organisation, { where: { orgId } })) throw alreadyRegistered();
        const org = await m.save(m.create(Organisation, { ...details, id, orgId }));
        await m.insert(OrganisationMembership, { organisationId: org.id, userId: actor.id, role: OrganisationRole.Owner });
        await writeAudit(m, { action: 'organisation.created', entityType: 'organisation', entityId: org.id, after: { ...details, orgId } });
        return org;
      });
    } catch (err) {
      // Two people registering the same organisation at once both pass the check above; the
      // unique org_id lets one in, and the other gets the same answer as if it had come second.
      if (
        err instanceof QueryFailedError &&
        (err as QueryFailedError & { code?: string; table?: string }).code === '23505' &&
        (err as { table?: string }).table === 'organisation'
      ) {
        throw alreadyRegistered();
      }
      throw err;
    }
  }

  /** Organisations a page at a time, unverified first, for administrators. */
  async listPage(limit: number, page: number): Promise<{ items: Organisation[]; total: number }> {
    const [items, total] = await this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .orderBy('o.verified_at IS NOT NULL')
      .addOrderBy('o.name')
      .addOrderBy('o.id')
      .take(limit)
      .skip((page - 1) * limit)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * An administrator has checked the organisation is who it says it is (against the charity or
   * company register, or by talking to it). Audited; marking it again changes nothing.
   */
  async markVerified(actor: Principal, organisationId: string): Promise<Organisation> {
    return this.dataSource.transaction(async (m) => {
      const org = await m.findOne(Organisation, { where: { id: organisationId }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw IdentityException.notFound('Organisation');
      if (org.verifiedAt) return org;
      const now = this.clock.now();
      await m.update(Organisation, { id: org.id }, { verifiedAt: now });
      await writeAudit(m, {
        action: 'organisation.verified',
        entityType: 'organisation',
        entityId: org.id,
        actorId: actor.id,
        before: { verifiedAt: null },
        after: { verifiedAt: now },
      });
      return { ...org, verifiedAt: now };
    });
  }

  async invite(actor: Principal, organisationId: string, email: string): Promise<void> {
    const org = await this.getFor(actor, organisationId);
    if ((await this.roleIn(actor.id, organisationId)) !== OrganisationRole.Owner)
      throw AccessException.forbidden('Only the owner of an organisation can invite people');
    const address = normaliseEmail(email);
    if (!isEmailAddress(address)) throw new ValidationFailedException([{ field: 'email', rule: 'isEmail', message: EMAIL_ADDRESS_MESSAGE }]);
    await this.dataSource.transaction(async (m) => {
      await this.emailQuota.consume(m, address, { userId: actor.id });
      const token = await this.users.issueToken(m, 'organisation_invitation', {
        email: address,
        organisationId,
        createdBy: actor.id,
        roles: [OrganisationRole.Member],
      });
      await this.notifications.enqueue(m, {
        idempotencyKey: `organisation-invitation:${sha256(token)}`,
        to: address,
        template: 'organisation-invitation',
        data: { organisation: org.name, invitedBy: actor.fullName, link: `${this.config.publicBaseUrl}/organisation-invitation?token=${token}` },
      });
      await writeAudit(m, { action: 'organisation.member_invited', entityType: 'organisation', entityId: organisationId, after: { email: address } });
    });
  }

  async invitationDetails(token: string): Promise<{ organisation: Organisation; email: string }> {
    const t = await this.dataSource
      .getRepository(SecurityToken)
      .findOne({ where: { tokenHash: sha256(token), purpose: 'organisation_invitation' }, relations: { organisation: true } });
    if (!t || t.usedAt || t.expiresAt <= this.clock.now() || !t.organisation) throw IdentityException.invalidToken('invitation');
    return { organisation: t.organisation, email: t.email! };
  }

  /** The invitation is for an email address; only the account with that address can use it. */
  async acceptInvitation(actor: Principal, token: string): Promise<Organisation> {
    const { organisation, email } = await this.invitationDetails(token);
    if (email !== actor.email) throw AccessException.forbidden(`This invitation was sent to ${email}. Sign in with that email address to accept it.`);
    return this.dataSource.transaction(async (m) => {
      await this.users.consumeToken(m, 'organisation_invitation', token, 'invitation');
      await m
        .createQueryBuilder()
        .insert()
        .into(OrganisationMembership)
        .values({ organisationId: organisation.id, userId: actor.id, role: OrganisationRole.Member })
        .orIgnore()
        .execute();
      await writeAudit(m, { action: 'organisation.member_joined', entityType: 'organisation', entityId: organisation.id, after: { userId: actor.id } });
      return organisation;
    });
  }

  private async validate(input: OrganisationDetails) {
    const errors = [];
    const charityNumber = input.charityNumber?.trim() ? normaliseCharityNumber(input.charityNumber) : null;
    const companyNumber = input.companyNumber?.trim() ? normaliseCompanyNumber(input.companyNumber) : null;
    errors.push(...validateRegistrationNumbers(input.type, charityNumber, companyNumber));
    const postcode = normalisePostcode(input.postcode ?? '');
    if (!postcode) errors.push({ field: 'postcode', rule: 'isPostcode', message: 'Enter a real postcode, like B4 6NQ' });
    const known = await this.areas.known(this.dataSource.manager, input.area && input.area !== OUTSIDE_AREA ? [input.area] : []);
    const outside = input.area === OUTSIDE_AREA;
    if (!outside && !known.has(input.area)) errors.push({ field: 'area', rule: 'isIn', message: 'Select the area where your organisation is based' });
    if (outside && !input.areaDescription?.trim())
      errors.push({ field: 'areaDescription', rule: 'required', message: 'Enter the area where your organisation is based' });
    if (errors.length) throw new ValidationFailedException(errors);
    return {
      name: input.name.trim(),
      type: input.type,
      charityNumber,
      companyNumber,
      addressLine1: input.addressLine1.trim(),
      addressLine2: input.addressLine2?.trim() || null,
      town: input.town.trim(),
      postcode: postcode!,
      areaOnsCode: outside ? null : input.area,
      outsideForceArea: outside,
      areaDescription: outside ? input.areaDescription!.trim() : null,
      contactName: input.contactName.trim(),
      contactEmail: normaliseEmail(input.contactEmail),
      contactPhone: input.contactPhone?.trim() || null,
    };
  }
}
