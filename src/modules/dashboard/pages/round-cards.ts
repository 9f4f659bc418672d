/**
 * A fund manager's view of each round on the dashboard: counts by status, days to close in London
 * time, what submitted applications ask for against the budget and each ring-fence, and the
 * screening still to do — each number a link to the round's applications filtered to it.
 */
import { toLondonLocal } from '@pcc/london-time';
import { formatPounds } from '@pcc/money';
import { ROUND_STATUS_TAGS } from '../../funds';
import type { RoundSummary } from '../dashboard.service';
import type { RoundTotals } from '../../applications';

type ApplicationStatus = keyof RoundTotals['countsByStatus'];

/** In the order an application moves through them. */
const STATUS_ROWS: { status: ApplicationStatus; text: string }[] = [
  { status: 'draft', text: 'Draft' },
  { status: 'submitted', text: 'Submitted, not yet screened' },
  { status: 'eligible', text: 'Eligible' },
  { status: 'ineligible', text: 'Not eligible' },
  { status: 'withdrawn', text: 'Withdrawn' },
];

export interface AgainstLimit {
  name: string;
  limitText: string;
  requestedText: string;
  /** Requested as a whole percentage of the limit, rounded down (so 100% is never shown when it is over). */
  percent: number;
  /** "Over-subscribed by £13,250" when more is asked for than there is. */
  overText?: string;
  count?: number;
  href: string;
}

export interface RoundCard {
  id: string;
  name: string;
  fundName: string;
  status: { text: string; classes: string };
  closing: string;
  applicationsHref: string;
  /** Assessment and ranking, once the round has closed. */
  assessmentHref?: string;
  total: number;
  statusCounts: { text: string; count: number; href: string }[];
  budget: AgainstLimit;
  ringFences: AgainstLimit[];
  draftRequestedText: string;
  draftCount: number;
  screening: { count: number; href: string };
}

/** Whole calendar days in London from `from` to `to` (negative when `to` is earlier). */
export function londonDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => {
    const l = toLondonLocal(d);
    return Date.UTC(l.year, l.month - 1, l.day);
  };
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** "Closes today", "Closes tomorrow", "Closes in 28 days"; "Closed today", "Closed yesterday", "Closed 3 days ago". */
export function closingText(closesAt: Date, closed: boolean, now: Date): string {
  const days = londonDaysBetween(now, closesAt);
  if (closed) {
    if (days >= 0) return 'Closed today';
    return days === -1 ? 'Closed yesterday' : `Closed ${-days} days ago`;
  }
  if (days <= 0) return 'Closes today';
  return days === 1 ? 'Closes tomorrow' : `Closes in ${days} days`;
}

function againstLimit(name: string, limitPence: number, requestedPence: number, href: string, count?: number): AgainstLimit {
  return {
    name,
    limitText: formatPounds(limitPence),
    requestedText: formatPounds(requestedPence),
    percent: limitPence > 0 ? Math.floor((requestedPence * 100) / limitPence) : 0,
    overText: requestedPence > limitPence ? `Over-subscribed by ${formatPounds(requestedPence - limitPence)}` : undefined,
    count,
    href,
  };
}

export function roundCard({ round, status, totals }: RoundSummary, now: Date): RoundCard {
  const base = `/staff/rounds/${round.id}/applications`;
  const categoryNames = new Map(round.categories.map((c) => [c.code, c.name]));
  const total = Object.values(totals.countsByStatus).reduce((a, b) => a + b, 0);
  return {
    id: round.id,
    name: round.name,
    fundName: round.programme?.name ?? '',
    status: ROUND_STATUS_TAGS[status],
    closing: closingText(round.closesAt, status === 'closed', now),
    applicationsHref: base,
    assessmentHref: status === 'closed' ? `/staff/rounds/${round.id}/assessment` : undefined,
    total,
    statusCounts: STATUS_ROWS.map(({ status: s, text }) => ({ text, count: totals.countsByStatus[s] ?? 0, href: `${base}?status=${s}` })),
    budget: againstLimit('Budget', round.totalBudgetPence, totals.submittedRequestedPence, base),
    ringFences: (round.ringFences ?? []).map((f) => {
      if (!f.category) {
        // A ring-fence by area: what that area's organisations ask for, and the list filtered to them.
        const asked = totals.byArea[f.areaOnsCode ?? ''];
        return againstLimit(
          f.name,
          f.amountPence,
          asked?.submittedRequestedPence ?? 0,
          `${base}?area=${encodeURIComponent(f.areaOnsCode ?? '')}`,
          asked?.count ?? 0,
        );
      }
      const asked = totals.byCategory[f.category];
      const category = categoryNames.get(f.category) ?? f.category;
      const name = category === f.name ? f.name : `${f.name} (${category})`;
      return againstLimit(name, f.amountPence, asked?.submittedRequestedPence ?? 0, `${base}?category=${encodeURIComponent(f.category)}`, asked?.count ?? 0);
    }),
    draftRequestedText: formatPounds(totals.draftRequestedPence),
    draftCount: totals.countsByStatus.draft,
    screening: { count: totals.screeningOutstanding, href: `${base}?status=submitted` },
  };
}
