import type { Permission, Principal } from '../../platform/access';
import type { RoundCard } from './pages/round-cards';

/** A link in a panel, with the number of things waiting behind it when there is one to give. */
export interface PanelItem {
  text: string;
  href: string;
  count?: number;
  /** Said after the count when it is not exact ("or more"). */
  countSuffix?: string;
}

/** One panel of the staff dashboard as its template shows it (text, never HTML). */
export interface PanelView {
  /** The panel's id on the page (its heading's id, for aria-labelledby). */
  id: string;
  heading: string;
  items?: PanelItem[];
  /** The fund managers' rounds, each with its numbers. */
  rounds?: RoundCard[];
  /** Shown when there is nothing in the panel: that nothing is waiting, and what will appear here. */
  empty?: { text: string; later?: string };
  actions?: { text: string; href: string }[];
}

/**
 * A panel of the staff dashboard. The dashboard shows every panel whose permissions the person
 * holds any of, in `order`; a module that gives staff a queue (scoring, allocation, payments…)
 * adds its panel to DASHBOARD_PANELS in dashboard.module.ts, loading its numbers from its service.
 */
export interface DashboardPanel {
  readonly permissions: readonly Permission[];
  /** Lower comes first. */
  readonly order: number;
  load(me: Principal): Promise<PanelView>;
}

export const DASHBOARD_PANELS = Symbol('DASHBOARD_PANELS');

/** A queue whose module has not been built yet: says so honestly, and what will appear there. */
export function upcomingQueue(id: string, permissions: readonly Permission[], order: number, heading: string, later: string): DashboardPanel {
  return {
    permissions,
    order,
    load: () => Promise.resolve({ id, heading, empty: { text: 'Nothing needs your attention yet.', later } }),
  };
}
