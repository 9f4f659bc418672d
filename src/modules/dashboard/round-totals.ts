/**
 * The applications module's per-round totals (ApplicationsService.roundTotals), which the
 * dashboard reads through ROUND_TOTALS. Declared here until the applications module exports its
 * RoundTotals; the shape is the agreed one, so swapping the import changes nothing else.
 */
export type ApplicationStatus = 'draft' | 'submitted' | 'withdrawn' | 'eligible' | 'ineligible';

export interface RoundTotals {
  countsByStatus: Record<ApplicationStatus, number>;
  submittedRequestedPence: number;
  draftRequestedPence: number;
  byCategory: Record<string, { submittedRequestedPence: number; count: number }>;
  screeningOutstanding: number;
}

export interface RoundTotalsSource {
  roundTotals(roundIds: string[]): Promise<Map<string, RoundTotals>>;
}

export const ROUND_TOTALS = Symbol('ROUND_TOTALS');
