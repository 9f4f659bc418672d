import type { EntityManager } from 'typeorm';
import { Grant } from './entities/grant.entity';
import { GrantVariation } from './entities/grant-variation.entity';
import { MonitoringReport } from './entities/monitoring-report.entity';
import { GrantsException } from './grants.exceptions';

/** A grant's records numbered 1, 2, 3 … within the grant: its variations, and its monitoring reports (by seq). */
export type GrantNumbered = 'variation' | 'monitoringReport';

/**
 * The next number of a grant's variations or monitoring reports: the largest so far plus one,
 * read under the grant's row lock (SELECT … FOR UPDATE) in the caller's transaction.
 *
 * Why the lock: without it, two transactions numbering the same grant at once would both read the
 * same largest number (neither sees the other's uncommitted row), and the second would fail on the
 * unique index (grant, number) instead of taking the next number. With it, the second waits until
 * the first commits, and its read then sees the first's row. Callers that locked the grant earlier
 * for their own checks already hold the lock, so taking it again here costs no wait; the lock ends
 * with their transaction, after the numbered row is saved.
 */
export async function nextNumberForGrant(m: EntityManager, grantId: string, numbered: GrantNumbered): Promise<number> {
  const grant = await m.findOne(Grant, { where: { id: grantId }, select: { id: true }, lock: { mode: 'pessimistic_write' } });
  if (!grant) throw GrantsException.notFound();
  const last = numbered === 'variation' ? await m.maximum(GrantVariation, 'number', { grantId }) : await m.maximum(MonitoringReport, 'seq', { grantId });
  return (last ?? 0) + 1;
}
