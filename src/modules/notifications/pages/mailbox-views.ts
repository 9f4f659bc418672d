import { type ListState, listHref, paginationFor, safeReturnTo } from '../../../platform/http/paging';
import type { OutboxMessage } from '../entities/outbox-message.entity';

const STATUS_WORDS: Record<OutboxMessage['status'], string> = { pending: 'Waiting', sending: 'Sending', sent: 'Sent', failed: 'Failed' };

/** Where someone is in the mailbox list: its search and page. */
export function mailboxListState(q: { q?: string; page: number; limit: number }): ListState {
  return { path: '/admin/mailbox', q: q.q, page: q.page, limit: q.limit };
}

/** The list page: rows linking to each message with the list's own address as `returnTo`, and GOV.UK pagination. */
export function mailboxListView(messages: readonly OutboxMessage[], total: number, state: ListState) {
  const returnTo = encodeURIComponent(listHref(state));
  return {
    q: state.q ?? '',
    total,
    rows: messages.map((m) => ({
      href: `/admin/mailbox/${m.id}?returnTo=${returnTo}`,
      to: m.toAddress,
      subject: m.subject,
      template: m.template,
      sentAt: m.sentAt,
      status: STATUS_WORDS[m.status] ?? m.status,
    })),
    pagination: paginationFor(state, total),
  };
}

/** One message, and the link back to the list page it was opened from (only ever a mailbox page). */
export function mailboxMessageView(m: OutboxMessage, returnTo: unknown) {
  return {
    message: {
      to: m.toAddress,
      subject: m.subject,
      template: m.template,
      status: STATUS_WORDS[m.status] ?? m.status,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
      text: m.textBody,
    },
    backHref: safeReturnTo(returnTo, '/admin/mailbox', '/admin/mailbox'),
  };
}
