import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseLondonDateTime } from '@pcc/london-time';
import { DataSource } from 'typeorm';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { isUuid } from '../../platform/http/id.pipe';
import { AuditEvent } from './entities/audit-event.entity';

/** Filters as AuditEventsQueryDto has checked them: single strings, well-formed. */
export interface AuditSearch {
  entityType?: string;
  entityId?: string;
  /** Actor's id (a UUID), email, or "system" */
  actor?: string;
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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    if (q.entityId) qb.andWhere('e.entityId = :i', { i: q.entityId });
    if (q.actor) {
      if (isUuid(q.actor)) qb.andWhere('e.actorId = :a', { a: q.actor });
      else qb.andWhere('lower(e.actorLabel) = lower(:a)', { a: q.actor });
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
