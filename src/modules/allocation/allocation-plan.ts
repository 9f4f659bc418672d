import { formatPounds } from '@pcc/money';

/*
 * The allocation run's arithmetic (issue 11), pure and deterministic: from a round's ranking, its
 * budget, its ring-fences and a quality threshold, which applications are funded, from which pot,
 * and why. No database and no clock: the same input always gives the same awards, whatever order
 * it arrives in. Money is whole pence; a ring-fence's money never funds an application that does
 * not qualify for it, and nothing is ever committed beyond a pot.
 */

export type Outcome = 'funded' | 'partly_funded' | 'reserve' | 'not_funded';

/** An application as the ranking gives it, with any partial award a fund manager has set. */
export interface AllocationCandidate {
  applicationId: string;
  reference: string;
  /** Place in the ranking (1 = best); null when it has no final score yet. */
  rank: number | null;
  /** The final score in hundredths of a percentage point (72.50% = 7250); null when not scored. */
  scoreHundredths: number | null;
  requestedPence: number;
  /** A partial award set by a fund manager: more than 0, less than the request. */
  partialPence?: number;
  category: string | null;
  areaOnsCode: string | null;
}

/** Money kept for applications of one category or one area. */
export interface RingFencePot {
  id: string;
  name: string;
  amountPence: number;
  category?: string | null;
  areaOnsCode?: string | null;
}

export interface AllocationSettings {
  /** The round's whole budget, ring-fences included. */
  budgetPence: number;
  /** The lowest final score funded, in hundredths (6000 = 60.00%). */
  thresholdHundredths: number;
  /** What happens to ring-fenced money no qualifying application uses: released to the general pot, or held. */
  unspentRingFences: 'release' | 'hold';
}

export interface Award {
  applicationId: string;
  reference: string;
  outcome: Outcome;
  /** What is awarded: 0 unless funded or partly funded. */
  amountPence: number;
  /** The ring-fence's id, 'general', or null when nothing is awarded. */
  source: string | null;
  /** Place on the reserve list (1 first), for reserves only. */
  reservePosition: number | null;
  reason: string;
}

export interface PotTotals {
  id: string;
  name: string;
  amountPence: number;
  committedPence: number;
  /** Ring-fenced money given to the general pot under the "release" policy. */
  releasedPence: number;
  remainingPence: number;
}

export interface AllocationResult {
  awards: Award[];
  general: PotTotals;
  ringFences: PotTotals[];
  committedPence: number;
}

export class AllocationSettingsError extends Error {
  constructor(readonly problems: { field: string; message: string }[]) {
    super(problems.map((p) => p.message).join('. '));
  }
}

const isPence = (v: number) => Number.isSafeInteger(v) && v >= 0;
const percent = (hundredths: number) => (hundredths / 100).toFixed(2);

/** Whether an application qualifies for a ring-fence: by its category, or by its area. */
export function qualifiesFor(c: Pick<AllocationCandidate, 'category' | 'areaOnsCode'>, fence: RingFencePot): boolean {
  if (fence.category) return c.category === fence.category;
  if (fence.areaOnsCode) return c.areaOnsCode === fence.areaOnsCode;
  return false;
}

function check(candidates: readonly AllocationCandidate[], fences: readonly RingFencePot[], s: AllocationSettings) {
  const problems: { field: string; message: string }[] = [];
  if (!isPence(s.budgetPence)) problems.push({ field: 'budgetPence', message: 'The budget must be a whole number of pence, 0 or more' });
  if (!Number.isInteger(s.thresholdHundredths) || s.thresholdHundredths < 0 || s.thresholdHundredths > 10_000)
    problems.push({ field: 'thresholdPercent', message: 'The threshold must be a score from 0 to 100' });
  const fenced = fences.reduce((sum, f) => sum + f.amountPence, 0);
  fences.forEach((f, i) => {
    if (!isPence(f.amountPence)) problems.push({ field: `ringFences.${i}.amountPence`, message: `${f.name}: the amount must be whole pence, 0 or more` });
    if (!f.category === !f.areaOnsCode) problems.push({ field: `ringFences.${i}`, message: `${f.name}: a ring-fence is for one category or one area` });
  });
  if (isPence(s.budgetPence) && fenced > s.budgetPence)
    problems.push({ field: 'ringFences', message: `The ring-fences (${formatPounds(fenced)}) are more than the budget (${formatPounds(s.budgetPence)})` });
  const seen = new Set<string>();
  candidates.forEach((c, i) => {
    if (seen.has(c.applicationId)) problems.push({ field: `candidates.${i}`, message: `${c.reference} is listed twice` });
    seen.add(c.applicationId);
    if (!isPence(c.requestedPence)) problems.push({ field: `candidates.${i}.requestedPence`, message: `${c.reference}: the request must be whole pence` });
    if (c.partialPence !== undefined && (!Number.isSafeInteger(c.partialPence) || c.partialPence <= 0 || c.partialPence >= c.requestedPence))
      problems.push({
        field: `candidates.${i}.partialPence`,
        message: `${c.reference}: a partial award must be more than £0 and less than the ${formatPounds(c.requestedPence)} requested`,
      });
  });
  if (problems.length) throw new AllocationSettingsError(problems);
}

/** Ranked first (by rank, then reference, then id), unranked last: the order every decision is made in. */
function inRankOrder(a: AllocationCandidate, b: AllocationCandidate): number {
  const ra = a.rank ?? Number.POSITIVE_INFINITY;
  const rb = b.rank ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.reference !== b.reference) return a.reference < b.reference ? -1 : 1;
  return a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0;
}

/**
 * The recommended awards. In rank order, each application at or above the threshold draws on the
 * first ring-fence it qualifies for that can pay it in full, else on the general pot, else joins
 * the reserve list; one that does not fit is passed over for the next that does. Under the
 * "release" policy, ring-fenced money left when everyone has been considered goes to the general
 * pot, and the reserve list (in rank order) is offered it.
 */
export function allocate(candidates: readonly AllocationCandidate[], ringFences: readonly RingFencePot[], settings: AllocationSettings): AllocationResult {
  check(candidates, ringFences, settings);
  const fences = ringFences.map((f) => ({ ...f, remaining: f.amountPence, committed: 0, released: 0 }));
  const fencedTotal = ringFences.reduce((sum, f) => sum + f.amountPence, 0);
  const general = { amount: settings.budgetPence - fencedTotal, remaining: settings.budgetPence - fencedTotal, committed: 0, released: 0 };
  // Amounts repeat across thousands of reasons, and Intl's formatting was most of a big run's time.
  const shown = new Map<number, string>();
  const pounds = (p: number): string => {
    let text = shown.get(p);
    if (text === undefined) shown.set(p, (text = formatPounds(p)));
    return text;
  };
  const threshold = percent(settings.thresholdHundredths);
  const ordered = [...candidates].sort(inRankOrder);
  const awards = new Map<string, Award>();
  const waiting: AllocationCandidate[] = [];

  const fund = (c: AllocationCandidate, amount: number, source: string, from: string) => {
    const partly = amount < c.requestedPence;
    awards.set(c.applicationId, {
      applicationId: c.applicationId,
      reference: c.reference,
      outcome: partly ? 'partly_funded' : 'funded',
      amountPence: amount,
      source,
      reservePosition: null,
      reason: partly ? `Part-funded from ${from}: ${pounds(amount)} of the ${pounds(c.requestedPence)} requested` : `Funded from ${from}`,
    });
  };

  for (const c of ordered) {
    if (c.scoreHundredths === null || c.rank === null) {
      awards.set(c.applicationId, { ...nothing(c), reason: 'Not funded: it has no final score' });
      continue;
    }
    if (c.scoreHundredths < settings.thresholdHundredths) {
      awards.set(c.applicationId, {
        ...nothing(c),
        reason: `Not funded: score ${percent(c.scoreHundredths)} is below the threshold of ${threshold}`,
      });
      continue;
    }
    const amount = c.partialPence ?? c.requestedPence;
    const fence = fences.find((f) => qualifiesFor(c, f) && f.remaining >= amount);
    if (fence) {
      fence.remaining -= amount;
      fence.committed += amount;
      fund(c, amount, fence.id, `the ${fence.name} ring-fence`);
    } else if (general.remaining >= amount) {
      general.remaining -= amount;
      general.committed += amount;
      fund(c, amount, 'general', 'the general pot');
    } else waiting.push(c);
  }

  let reserve = waiting;
  if (settings.unspentRingFences === 'release') {
    for (const f of fences) {
      f.released = f.remaining;
      general.released += f.remaining;
      general.remaining += f.remaining;
      f.remaining = 0;
    }
    if (general.released > 0) {
      reserve = [];
      for (const c of waiting) {
        const amount = c.partialPence ?? c.requestedPence;
        if (general.remaining >= amount) {
          general.remaining -= amount;
          general.committed += amount;
          fund(c, amount, 'general', 'the general pot (with ring-fenced money released)');
        } else reserve.push(c);
      }
    }
  }
  reserve.forEach((c, i) => {
    const amount = c.partialPence ?? c.requestedPence;
    const fence = fences.find((f) => qualifiesFor(c, f));
    const pots = fence
      ? `the ${fence.name} ring-fence has ${pounds(fence.remaining)} left and the general pot ${pounds(general.remaining)}`
      : general.remaining === 0
        ? 'the general pot is spent'
        : `the general pot has ${pounds(general.remaining)} left`;
    awards.set(c.applicationId, {
      ...nothing(c),
      outcome: 'reserve',
      reservePosition: i + 1,
      reason: `Reserve ${i + 1}: ${pounds(amount)} requested; ${pots}`,
    });
  });

  const totals = (id: string, name: string, p: { amount: number; committed: number; released: number; remaining: number }): PotTotals => ({
    id,
    name,
    amountPence: p.amount,
    committedPence: p.committed,
    releasedPence: p.released,
    remainingPence: p.remaining,
  });
  const fenceTotals = fences.map((f) => totals(f.id, f.name, { amount: f.amountPence, committed: f.committed, released: f.released, remaining: f.remaining }));
  const generalTotals = totals('general', 'General pot', general);
  return {
    awards: ordered.map((c) => awards.get(c.applicationId)!),
    general: generalTotals,
    ringFences: fenceTotals,
    committedPence: generalTotals.committedPence + fenceTotals.reduce((sum, f) => sum + f.committedPence, 0),
  };
}

function nothing(c: AllocationCandidate): Award {
  return { applicationId: c.applicationId, reference: c.reference, outcome: 'not_funded', amountPence: 0, source: null, reservePosition: null, reason: '' };
}
