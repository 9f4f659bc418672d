import { isUuid } from '../../../platform/http/id.pipe';
import type { AuditLabels } from '../audit.service';
import type { AuditEvent } from '../entities/audit-event.entity';
import { AUDIT_ACTIONS, RECORD_TYPES, actionLabel, describeEvent, recordTypeLabel } from './audit-sentences';

/** One row of the audit trail table, in words. */
export interface AuditRow {
  occurredAt: Date;
  /** "Priya Shah screened VF7-0012 as eligible" */
  sentence: string;
  /** The action as recorded, for anyone matching it with the API or the logs. */
  action: string;
  recordType: string;
  record: string;
  /** The audit trail of just this record. */
  recordHref: string;
  requestId: string | null;
}

/** What a record is called when nothing better is known: a draft application has no reference yet. */
const UNNAMED: Record<string, string> = {
  application: 'a draft application',
  funding_round: 'a round',
  fund_programme: 'a fund',
  organisation: 'an organisation',
  user_account: 'an account',
  api_token: 'an API token',
  deadline_extension: 'a deadline extension',
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function auditRows(events: readonly AuditEvent[], labels: AuditLabels): AuditRow[] {
  const byId = new Map<string, string>();
  for (const [key, label] of labels.records) byId.set(key.slice(key.indexOf(':') + 1), label);
  for (const [id, p] of labels.people) byId.set(id, p.fullName);
  const named = (id: unknown) => (typeof id === 'string' ? byId.get(id) : undefined);

  return events.map((e) => {
    const after = obj(e.after);
    const before = obj(e.before);
    const person = e.actorId ? labels.people.get(e.actorId) : undefined;
    // No account: the service itself (a job, start-up), or someone not signed in (a password reset asked for).
    const actor = person?.fullName ?? (e.actorLabel && e.actorLabel !== 'system' ? e.actorLabel : 'The service');
    const record =
      (e.entityType === 'user_account'
        ? (labels.people.get(e.entityId)?.fullName ?? (typeof after.email === 'string' ? after.email : undefined))
        : undefined) ??
      labels.records.get(`${e.entityType}:${e.entityId}`) ??
      (e.entityType === 'organisation' && typeof after.name === 'string' ? after.name : undefined) ??
      (UNNAMED[e.entityType] && isUuid(e.entityId) ? UNNAMED[e.entityType] : `${recordTypeLabel(e.entityType).toLowerCase()} ${e.entityId}`);
    const params = new URLSearchParams({ entityType: e.entityType, entityId: e.entityId });
    return {
      occurredAt: e.occurredAt,
      sentence: describeEvent(e.action, { actor, record, named, before, after }),
      action: e.action,
      recordType: recordTypeLabel(e.entityType),
      record,
      recordHref: `/admin/audit?${params.toString()}`,
      requestId: e.requestId,
    };
  });
}

/** The "What happened" select: every action the service records, by its label; the chosen one kept even if unknown. */
export function actionItems(selected: string | undefined) {
  const items = Object.entries(AUDIT_ACTIONS)
    .map(([value, w]) => ({ value, text: w.label }))
    .sort((a, b) => a.text.localeCompare(b.text));
  if (selected && !AUDIT_ACTIONS[selected]) items.unshift({ value: selected, text: actionLabel(selected) });
  return [{ value: '', text: 'Anything' }, ...items].map((i) => ({ ...i, selected: i.value === (selected ?? '') }));
}

/** The "Record type" select; a type the table does not know (from a link) is kept. */
export function recordTypeItems(selected: string | undefined) {
  const items = Object.entries(RECORD_TYPES).map(([value, text]) => ({ value, text }));
  if (selected && !RECORD_TYPES[selected]) items.push({ value: selected, text: recordTypeLabel(selected) });
  return [{ value: '', text: 'Any' }, ...items].map((i) => ({ ...i, selected: i.value === (selected ?? '') }));
}
