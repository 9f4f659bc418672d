import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseLondonDateTime } from '@pcc/london-time';
import { DataSource } from 'typeorm';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { UsersService } from '../identity';
import { AuditEvent } from './entities/audit-event.entity';

/** Filters as AuditEventsQueryDto has checked them: single strings, well-formed. */
export interface AuditSearch {
  entityType?: string;
  /** The record's id as stored, or an application's reference (VF7-0012) */
  entityId?: string;
  /** As recorded: "application.submitted" */
  action?: string;
  /** Actor's id (a UUID), email, or "system" */
  actor?: string;
  /** Part of the actor's name or email (from their account today), or "system" */
  person?: string;
  /** A London day YYYY-MM-DD (inclusive: from its first / to its last moment), or an ISO 8601 instant */
  from?: string;
  to?: string;
  /** Page size, and page number from 1 */
  limit?: number;
  page?: number;
}

export interface AuditPage {
  items: AuditEvent[];
  total: number;
  limit: number;
  page: number;
}

/** Words for the ids on a page of events: people by user id, other records by `type:id`. */
export interface AuditLabels {
  people: Map<string, { fullName: string; email: string }>;
  records: Map<string, string>;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** An application's reference: the round's prefix, a hyphen and its number. */
const REFERENCE = /^[a-z0-9]{1,20}-\d{1,9}$/i;
/**
 * The events whose `after` names their record: the reference an application was given, a round's,
 * fund's or organisation's name. Reading labels from the trail's own rows keeps the audit module
 * out of other modules' tables and needs one query a page; the newest such event wins (a round
 * renamed by round.updated shows its new name).
 */
const LABELLING_ACTIONS = [
  'application.submitted',
  'round.created',
  'round.updated',
  'organisation.created',
  'fund_programme.created',
  'fund_programme.settings_changed',
];
const LABELLED_TYPES = ['application', 'funding_round', 'organisation', 'fund_programme'];

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  async search(q: AuditSearch): Promise<AuditPage> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const page = Math.max(q.page ?? 1, 1);
    const qb = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .take(limit)
      .skip((page - 1) * limit);
    if (q.entityType) qb.andWhere('e.entityType = :t', { t: q.entityType });
    if (q.entityId) {
      if (REFERENCE.test(q.entityId) && (!q.entityType || q.entityType === 'application')) {
        // "VF7-0012": the application given that reference when it was submitted (or a record whose id is that code).
        qb.andWhere(
          `(e.entityId = :i OR (e.entityType = 'application' AND e.entityId IN (SELECT s.entity_id FROM audit_event s WHERE s.action = 'application.submitted' AND s.after->>'reference' = :ref)))`,
          { i: q.entityId, ref: q.entityId.toUpperCase() },
        );
      } else qb.andWhere('e.entityId = :i', { i: q.entityId });
    }
    if (q.action) qb.andWhere('e.action = :action', { action: q.action });
    if (q.actor) {
      if (isUuid(q.actor)) qb.andWhere('e.actorId = :a', { a: q.actor });
      else qb.andWhere('lower(e.actorLabel) = lower(:a)', { a: q.actor });
    }
    if (q.person) {
      if (q.person.toLowerCase() === 'system') qb.andWhere('e.actorId IS NULL');
      else {
        const ids = await this.users.idsMatching(q.person);
        qb.andWhere('(e.actorId = ANY(CAST(:ids AS uuid[])) OR lower(e.actorLabel) = lower(:person))', { ids, person: q.person });
      }
    }
    const errors = [];
    for (const [field, value] of [
      ['from', q.from],
      ['to', q.to],
    ] as const) {
      if (!value) continue;
      const instant = this.instant(field, value);
      if (!instant) {
        // Well-formed but not a real moment (2027-02-30, 25:00): the DTO checks shape, not the calendar.
        errors.push({ field, rule: 'isDate', message: `Enter the ${field === 'from' ? 'start' : 'end'} date like 2027-01-17` });
        continue;
      }
      qb.andWhere(field === 'from' ? 'e.occurredAt >= :from' : 'e.occurredAt <= :to', { [field]: instant });
    }
    if (errors.length) throw new ValidationFailedException(errors);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit, page };
  }

  /**
   * Names for the people and records a page of events mentions, in two queries whatever the page
   * holds: the people from identity (by id, through its service), the rest from the trail itself.
   */
  async labelsFor(events: readonly AuditEvent[]): Promise<AuditLabels> {
    const userIds = new Set<string>();
    const recordIds = new Set<string>();
    for (const e of events) {
      if (e.actorId) userIds.add(e.actorId);
      if (e.entityType === 'user_account') userIds.add(e.entityId);
      else recordIds.add(e.entityId);
      for (const value of [...Object.values(asObject(e.after)), ...Object.values(asObject(e.before))]) {
        for (const id of Array.isArray(value) ? value : [value]) {
          if (isUuid(id)) {
            userIds.add(id);
            recordIds.add(id);
          }
        }
      }
    }
    const [people, rows] = await Promise.all([
      this.users.namesByIds([...userIds]),
      recordIds.size
        ? this.dataSource.query<{ entity_type: string; entity_id: string; label: string }[]>(
            `SELECT DISTINCT ON (entity_type, entity_id) entity_type, entity_id, coalesce(after->>'reference', after->>'name') AS label
               FROM audit_event
              WHERE entity_type = ANY($1) AND entity_id = ANY($2) AND action = ANY($3)
                AND coalesce(after->>'reference', after->>'name') IS NOT NULL
              ORDER BY entity_type, entity_id, id DESC`,
            [LABELLED_TYPES, [...recordIds], LABELLING_ACTIONS],
          )
        : Promise.resolve([]),
    ]);
    return { people, records: new Map(rows.map((r) => [`${r.entity_type}:${r.entity_id}`, r.label])) };
  }

  /** A London day's first (from) or last (to) moment, or the exact instant given; null if not a real date. */
  private instant(field: 'from' | 'to', value: string): Date | null {
    try {
      if (DATE_ONLY.test(value)) {
        const start = parseLondonDateTime(`${value}T${field === 'from' ? '00:00' : '23:59:59'}`);
        return field === 'to' ? new Date(start.getTime() + 999) : start;
      }
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return null;
      // Date() rolls 2027-02-30T10:00Z over into March; the calendar date must survive the trip.
      const utcDate = value.slice(0, 10);
      const offsetMatch = /([+-])(\d{2}):(\d{2})$/.exec(value);
      const offsetMs = offsetMatch ? (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3])) * 60_000 : 0;
      if (new Date(d.getTime() + offsetMs).toISOString().slice(0, 10) !== utcDate) return null;
      return d;
    } catch {
      return null;
    }
  }
}

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
