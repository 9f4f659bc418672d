import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseLondonDateTime } from '@pcc/london-time';
import { DataSource } from 'typeorm';
import { ValidationFailedException } from '../../platform/errors/app-exception';
import { AuditEvent } from './entities/audit-event.entity';
import { isUuid } from '../../platform/http/id.pipe';

export interface AuditSearch {
  entityType?: string;
  entityId?: string;
  /** Actor's email or id */
  actor?: string;
  /** London dates, YYYY-MM-DD, inclusive */
  from?: string;
  to?: string;
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(q: AuditSearch): Promise<AuditEvent[]> {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').orderBy('e.id', 'DESC').take(Math.min(q.limit ?? 200, 1000));
    if (q.entityType) qb.andWhere('e.entityType = :t', { t: q.entityType.trim() });
    if (q.entityId) qb.andWhere('e.entityId = :i', { i: q.entityId.trim() });
    if (q.actor) {
      const a = q.actor.trim();
      if (isUuid(a)) qb.andWhere('e.actorId = :a', { a });
      else qb.andWhere('lower(e.actorLabel) = lower(:a)', { a });
    }
    const errors = [];
    for (const [field, value, time] of [['from', q.from, '00:00'], ['to', q.to, '23:59:59']] as const) {
      if (!value) continue;
      try {
        const instant = parseLondonDateTime(`${value}T${time}`);
        qb.andWhere(field === 'from' ? 'e.occurredAt >= :from' : 'e.occurredAt <= :to', { [field]: field === 'to' ? new Date(instant.getTime() + 999) : instant });
      } catch {
        errors.push({ field, rule: 'isDate', message: `Enter the ${field === 'from' ? 'start' : 'end'} date like 2027-01-17` });
      }
    }
    if (errors.length) throw new ValidationFailedException(errors);
    return qb.getMany();
  }
}
