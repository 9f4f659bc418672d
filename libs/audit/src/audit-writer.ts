import { currentContext } from '@pcc/request-context';
import type { EntityManager } from 'typeorm';

export interface AuditEntry {
  /** What happened, as a dotted verb a grants officer can read: "round.published". */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** Overrides the actor from the request context, for system jobs acting on someone's behalf. */
  actorId?: string | null;
  actorLabel?: string | null;
}

/**
 * Writes audit rows through the caller's own EntityManager, so the row is part of the caller's
 * transaction: a state change and its audit row commit or roll back together. There is no
 * "fire and forget" path on purpose — an audit row written outside the transaction could record
 * a change that never happened, or miss one that did.
 *
 * The `audit_event` table refuses UPDATE, DELETE and TRUNCATE (see the foundation migration), so
 * the only thing this code, or anyone with the application's database login, can do is append.
 */
/**
 * Call first in any service method that changes data through a caller-supplied manager, so a
 * missing transaction is refused before anything is written, not after.
 */
export function assertInTransaction(manager: EntityManager, what: string): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`${what} must run inside the transaction that makes the change`);
  }
}

export async function writeAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  assertInTransaction(manager, `Audit "${entry.action}"`);
  const ctx = currentContext();
  await manager.query(
    `INSERT INTO audit_event (actor_id, actor_label, action, entity_type, entity_id, before, after, request_id, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.actorId !== undefined ? entry.actorId : (ctx?.actorId ?? null),
      entry.actorLabel !== undefined ? entry.actorLabel : (ctx?.actorLabel ?? 'system'),
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      ctx?.requestId ?? null,
      ctx?.ip ?? null,
    ],
  );
}
