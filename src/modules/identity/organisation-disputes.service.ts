import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { writeAudit } from '@pcc/audit';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../platform/clock';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { NotificationsService } from '../notifications';
import { Organisation } from './entities/organisation.entity';
import { IdentityException } from './identity.exceptions';
import { normaliseCharityNumber, normaliseCompanyNumber } from './organisation-identifiers';
import { OrganisationRole, type Principal } from '../../platform/access';

export type DisputeStatus = 'open' | 'transferred' | 'rejected';
export type DisputeDecision = 'transfer' | 'reject';

/** A dispute as pages and emails show it (the table has no entity; see the migration). */
export interface OrganisationDispute {
  id: string;
  organisationId: string;
  organisationName: string;
  orgId: string;
  organisationVerified: boolean;
  claimantId: string;
  claimantName: string;
  claimantEmail: string;
  claimantRole: string;
  reason: string;
  status: DisputeStatus;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  /** Who owns the organisation now. */
  owners: { id: string; fullName: string; email: string }[];
}

const SELECT_DISPUTE = `
  SELECT d.id, d.organisation_id AS "organisationId", o.name AS "organisationName", o.org_id AS "orgId",
         o.verified_at IS NOT NULL AS "organisationVerified",
         d.claimant_id AS "claimantId", c.full_name AS "claimantName", c.email AS "claimantEmail",
         d.claimant_role AS "claimantRole", d.reason, d.status, d.resolution_note AS "resolutionNote",
         d.resolved_at AS "resolvedAt", d.created_at AS "createdAt",
         coalesce((SELECT json_agg(json_build_object('id', u.id, 'fullName', u.full_name, 'email', u.email) ORDER BY u.full_name)
                     FROM organisation_membership om JOIN user_account u ON u.id = om.user_id
                    WHERE om.organisation_id = d.organisation_id AND om.role = 'owner'), '[]') AS owners
    FROM organisation_dispute d
    JOIN organisation o ON o.id = d.organisation_id
    JOIN user_account c ON c.id = d.claimant_id`;

/**
 * When someone registers an organisation that is not theirs, the real organisation cannot
 * register again ("already uses the service"). Instead of a dead end, its people raise a dispute
 * here: who they are and why; an administrator looks into it and either transfers ownership to
 * the claimant or rejects the claim. Every step is audited and the claimant is emailed the outcome.
 */
@Injectable()
export class OrganisationDisputesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** The organisation registered under a charity or company number, if any. */
  async findByRegistrationNumber(number: string): Promise<Organisation | null> {
    const raw = number.trim();
    if (!raw) return null;
    const charity = normaliseCharityNumber(raw);
    const company = normaliseCompanyNumber(raw);
    return this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .where('o.charityNumber = :charity OR o.companyNumber = :company', { charity, company })
      .getOne();
  }

  async raise(actor: Principal, input: { registrationNumber: string; claimantRole: string; reason: string }): Promise<OrganisationDispute> {
    if (!actor.emailVerified) throw IdentityException.emailNotConfirmed();
    const org = await this.findByRegistrationNumber(input.registrationNumber);
    if (!org) {
      throw new ValidationFailedException([
        {
          field: 'registrationNumber',
          rule: 'exists',
          message: 'No organisation with this charity or company number uses the service. You can add it yourself.',
        },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const [member] = await m.query<unknown[]>(`SELECT role FROM organisation_membership WHERE organisation_id = $1 AND user_id = $2`, [org.id, actor.id]);
      if (member) throw IdentityException.conflict('You are already a member of this organisation', 'registrationNumber');
      const [open] = await m.query<unknown[]>(`SELECT 1 FROM organisation_dispute WHERE organisation_id = $1 AND claimant_id = $2 AND status = 'open'`, [
        org.id,
        actor.id,
      ]);
      if (open)
        throw IdentityException.conflict('You have already raised a dispute about this organisation. An administrator will be in touch.', 'registrationNumber');
      // The partial unique index settles two identical submissions at once (409 from the database).
      const [{ id }] = await m.query<{ id: string }[]>(
        `INSERT INTO organisation_dispute (organisation_id, claimant_id, claimant_role, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
        [org.id, actor.id, input.claimantRole.trim(), input.reason.trim()],
      );
      await writeAudit(m, {
        action: 'organisation.dispute_raised',
        entityType: 'organisation',
        entityId: org.id,
        actorId: actor.id,
        after: { disputeId: id, claimantRole: input.claimantRole.trim(), reason: input.reason.trim() },
      });
      const [dispute] = await m.query<OrganisationDispute[]>(`${SELECT_DISPUTE} WHERE d.id = $1`, [id]);
      return dispute;
    });
  }

  async countOpen(): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM organisation_dispute WHERE status = 'open'`);
    return n;
  }

  listOpen(): Promise<OrganisationDispute[]> {
    return this.dataSource.query(`${SELECT_DISPUTE} WHERE d.status = 'open' ORDER BY d.created_at`);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<OrganisationDispute> {
    const [dispute] = await manager.query<OrganisationDispute[]>(`${SELECT_DISPUTE} WHERE d.id = $1`, [id]);
    if (!dispute) throw IdentityException.notFound('Dispute');
    return dispute;
  }

  /**
   * Decides an open dispute, once. "transfer" makes the claimant the organisation's owner and
   * removes the owners who registered it (they may be the squatters; they keep nothing); other
   * members stay. The claimant is emailed either way, in the same transaction as the decision.
   */
  async resolve(actor: Principal, id: string, decision: DisputeDecision, note: string | undefined): Promise<OrganisationDispute> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<
        {
          id: string;
          organisation_id: string;
          claimant_id: string;
          status: DisputeStatus;
        }[]
      >(`SELECT id, organisation_id, claimant_id, status FROM organisation_dispute WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw IdentityException.notFound('Dispute');
      if (row.status !== 'open') throw IdentityException.conflict('This dispute has already been resolved', 'decision');
      // Read inside the transaction, after the lock: a second pool connection here could starve
      // the pool under concurrent resolves, and what we audit must be what we change.
      const before = await this.get(id, m);
      const status: DisputeStatus = decision === 'transfer' ? 'transferred' : 'rejected';
      if (decision === 'transfer') {
        const [claimant] = await m.query<{ status: string }[]>(`SELECT status FROM user_account WHERE id = $1`, [row.claimant_id]);
        // An organisation must not end up owned only by an account that can no longer sign in.
        if (claimant?.status !== 'active')
          throw IdentityException.conflict('The claimant’s account is deactivated, so the organisation cannot be transferred to them', 'decision');
        await m.query(`DELETE FROM organisation_membership WHERE organisation_id = $1 AND role = 'owner' AND user_id <> $2`, [
          row.organisation_id,
          row.claimant_id,
        ]);
        await m.query(
          `INSERT INTO organisation_membership (organisation_id, user_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
          [row.organisation_id, row.claimant_id, OrganisationRole.Owner],
        );
        await writeAudit(m, {
          action: 'organisation.ownership_transferred',
          entityType: 'organisation',
          entityId: row.organisation_id,
          before: { owners: before.owners.map((o) => o.id) },
          after: { owners: [row.claimant_id], disputeId: id },
        });
      }
      await m.query(`UPDATE organisation_dispute SET status = $2, resolution_note = $3, resolved_by = $4, resolved_at = $5 WHERE id = $1`, [
        id,
        status,
        note?.trim() || null,
        actor.id,
        this.clock.now(),
      ]);
      await writeAudit(m, {
        action: 'organisation.dispute_resolved',
        entityType: 'organisation',
        entityId: row.organisation_id,
        before: { disputeId: id, status: 'open' },
        after: { disputeId: id, status, note: note?.trim() || null },
      });
      await this.notifications.enqueue(m, {
        idempotencyKey: `organisation-dispute-resolved:${id}`,
        to: before.claimantEmail,
        template: decision === 'transfer' ? 'organisation-dispute-upheld' : 'organisation-dispute-rejected',
        data: {
          name: before.claimantName,
          organisation: before.organisationName,
          note: note?.trim() || '',
          link: `${this.config.publicBaseUrl}/organisations/${row.organisation_id}`,
        },
      });
      const [after] = await m.query<OrganisationDispute[]>(`${SELECT_DISPUTE} WHERE d.id = $1`, [id]);
      return after;
    });
  }
}
