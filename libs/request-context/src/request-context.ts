import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Who is acting and through which request, available anywhere in the call chain without threading
 * it through every signature. Log lines and audit rows both read it, so one request id ties a
 * user's complaint to the log and to the audit trail.
 */
export interface RequestContext {
  requestId: string;
  ip?: string;
  actorId?: string | null;
  actorLabel?: string | null;
  /** When the request arrived, by the application's clock: deadlines are judged by this. */
  receivedAt?: Date;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Sets the signed-in user once authentication has run, for the rest of the request. */
export function setActor(actorId: string | null, actorLabel: string | null): void {
  const ctx = storage.getStore();
  if (ctx) {
    ctx.actorId = actorId;
    ctx.actorLabel = actorLabel;
  }
}

// Accept a caller's id only when it looks like one, so a header cannot inject text into logs.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}
