import { Fraction as FractionClass } from 'fraction.js';

/** An exact fraction (fraction.js on BigInt). */
export type Fraction = InstanceType<typeof FractionClass>;
const frac = (n: number | bigint, d: number | bigint = 1): Fraction => new FractionClass(n, d);

/*
 * The arithmetic of scores, kept exact: every figure is a fraction of whole numbers (fraction.js on
 * BigInt), and only the figure shown is rounded, once, to hundredths of a percentage point. So the
 * same scores always give the same percentage, a mean of means never drifts, and two applications
 * that tie really tie rather than differing in the fifteenth decimal place.
 */

export interface CriterionScale {
  id: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
  position: number;
}

export interface ScoreOf {
  criterionId: string;
  score: number;
}

const ZERO = frac(0);

/** (score − min) / (max − min): 0 at the bottom of the scale, 1 at the top. */
export function normalised(c: CriterionScale, score: number): Fraction {
  return frac(score - c.scaleMin, c.scaleMax - c.scaleMin);
}

/**
 * An assessment's score as a percentage: the weighted mean over the criteria of each normalised
 * score, × 100. Null unless every criterion has a score (a draft has no percentage).
 */
export function assessmentPercent(criteria: readonly CriterionScale[], scores: readonly ScoreOf[]): Fraction | null {
  if (!criteria.length) return null;
  const byCriterion = new Map(scores.map((s) => [s.criterionId, s.score]));
  // Σ weight × (score − min)/(max − min) over a common denominator (the scales' ranges' least
  // common multiple), in BigInt: one fraction per assessment rather than three per criterion,
  // which is most of a big round's ranking time. Exactly the same value.
  const common = criteria.reduce((l, c) => lcm(l, BigInt(c.scaleMax - c.scaleMin)), 1n);
  let numerator = 0n;
  let weights = 0n;
  for (const c of criteria) {
    const score = byCriterion.get(c.id);
    if (score === undefined) return null;
    numerator += BigInt(c.weight) * BigInt(score - c.scaleMin) * (common / BigInt(c.scaleMax - c.scaleMin));
    weights += BigInt(c.weight);
  }
  return frac(numerator * 100n, common * weights);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

export function mean(values: readonly Fraction[]): Fraction | null {
  if (!values.length) return null;
  return values.reduce((sum, v) => sum.add(v), ZERO).div(values.length);
}

/** Hundredths of a point, rounded half up (72.345 → 7235): the only rounding anywhere. */
export function toHundredths(f: Fraction): number {
  const n = BigInt(f.s) * BigInt(f.n);
  const d = BigInt(f.d);
  const scaled = n * 100n;
  // floor((2·scaled + d) / 2d) rounds half up for any sign.
  const twice = 2n * scaled + d;
  const q = twice / (2n * d);
  const floor = twice % (2n * d) < 0n ? q - 1n : q;
  return Number(floor);
}

/** "72.50": hundredths written with two decimal places. */
export function formatHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatPercent(f: Fraction | null): string | null {
  return f === null ? null : formatHundredths(toHundredths(f));
}

export function fromHundredths(hundredths: number): Fraction {
  return frac(hundredths, 100);
}

/** Whether the scores are further apart than the round's moderation threshold (percentage points). */
export function divergent(percents: readonly Fraction[], thresholdPoints: number): boolean {
  if (percents.length < 2) return false;
  let lo = percents[0];
  let hi = percents[0];
  for (const p of percents) {
    if (p.compare(lo) < 0) lo = p;
    if (p.compare(hi) > 0) hi = p;
  }
  return hi.sub(lo).compare(thresholdPoints) > 0;
}

/** The criterion that breaks ties: the highest weight, and of equal weights the first on the form. */
export function tieBreakCriterion(criteria: readonly CriterionScale[]): CriterionScale | null {
  let best: CriterionScale | null = null;
  for (const c of criteria) if (!best || c.weight > best.weight || (c.weight === best.weight && c.position < best.position)) best = c;
  return best;
}

// ---- ranking ----------------------------------------------------------------------------------

export type TieBreak = 'top_criterion' | 'submitted_at' | 'reference';

export interface RankCandidate {
  applicationId: string;
  reference: string;
  submittedAt: Date;
  /** The moderated score where there is one, else the mean of the submitted assessments; null if none. */
  final: Fraction | null;
  /** The mean normalised score on the tie-break criterion over the submitted assessments. */
  topCriterion: Fraction | null;
}

export interface Ranked<T extends RankCandidate> {
  row: T;
  /** 1, 2, 3…: every scored row has its own place, ties being broken; null for a row with no score. */
  rank: number | null;
  /** Which rule placed the row against a neighbour with the same final score, if one did. */
  tieBreak: TieBreak | null;
}

function compareNullableDesc(a: Fraction | null, b: Fraction | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b.compare(a);
}

/** The rule that orders two rows with the same final score (and the comparison's sign), or null if nothing does. */
function breakTie(a: RankCandidate, b: RankCandidate): { rule: TieBreak; order: number } | null {
  const top = compareNullableDesc(a.topCriterion, b.topCriterion);
  if (top !== 0) return { rule: 'top_criterion', order: top };
  const time = a.submittedAt.getTime() - b.submittedAt.getTime();
  if (time !== 0) return { rule: 'submitted_at', order: time };
  // Byte order, not locale order: the same on every machine. References are unique, so this decides.
  if (a.reference !== b.reference) return { rule: 'reference', order: a.reference < b.reference ? -1 : 1 };
  return null;
}

/**
 * Orders a round's applications by final score, highest first. Ties are broken by the score on
 * the highest-weighted criterion, then by the earlier submission, then by reference; rows with no
 * score yet come last, by reference. Deterministic: the input's order never matters.
 */
export function rankApplications<T extends RankCandidate>(rows: readonly T[]): Ranked<T>[] {
  const sorted = [...rows].sort((a, b) => {
    const byFinal = compareNullableDesc(a.final, b.final);
    if (byFinal !== 0) return byFinal;
    if (a.final === null) return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
    return breakTie(a, b)?.order ?? 0;
  });
  return sorted.map((row, i) => {
    if (row.final === null) return { row, rank: null, tieBreak: null };
    const tiedWith = [sorted[i - 1], sorted[i + 1]].find((n) => n && n.final !== null && n.final.equals(row.final!));
    return { row, rank: i + 1, tieBreak: tiedWith ? (breakTie(row, tiedWith)?.rule ?? null) : null };
  });
}

// ---- assignment -------------------------------------------------------------------------------

export interface AssignmentPlanInput {
  /** Eligible applications, in any order. */
  applications: readonly { id: string; organisationId: string; reference: string }[];
  /** Active assessors, in any order. */
  assessors: readonly string[];
  /** Every assessment already in the round; a conflicted one still stops the same pair again. */
  existing: readonly { applicationId: string; assessorId: string; counts: boolean }[];
  /** Assessors per application. */
  required: number;
  /** `${assessorId}:${organisationId}` for each standing interest. */
  interests: ReadonlySet<string>;
}

export interface AssignmentPlan {
  assign: { applicationId: string; assessorId: string }[];
  /** Applications that could not get enough assessors (too few without an interest), with how many are missing. */
  short: { applicationId: string; missing: number }[];
}

/**
 * Automatic assignment: each application gets the round's number of assessors, taking whoever has
 * the fewest in the round so far (then the lowest id), never someone with a standing interest in
 * the organisation or who already has (or declined) that application. Applications are taken in
 * reference order, so the same input always gives the same plan, and from an even start the most
 * loaded assessor ends with at most one more than the least.
 */
export function planAssignments(input: AssignmentPlanInput): AssignmentPlan {
  const load = new Map(input.assessors.map((a) => [a, 0]));
  const taken = new Set<string>();
  const counted = new Map<string, number>();
  for (const e of input.existing) {
    taken.add(`${e.applicationId}:${e.assessorId}`);
    if (e.counts) {
      counted.set(e.applicationId, (counted.get(e.applicationId) ?? 0) + 1);
      if (load.has(e.assessorId)) load.set(e.assessorId, load.get(e.assessorId)! + 1);
    }
  }
  const plan: AssignmentPlan = { assign: [], short: [] };
  const apps = [...input.applications].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  for (const app of apps) {
    const missing = input.required - (counted.get(app.id) ?? 0);
    if (missing <= 0) continue;
    const candidates = [...load.keys()]
      .filter((a) => !taken.has(`${app.id}:${a}`) && !input.interests.has(`${a}:${app.organisationId}`))
      .sort((a, b) => load.get(a)! - load.get(b)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, missing);
    for (const a of candidates) {
      plan.assign.push({ applicationId: app.id, assessorId: a });
      taken.add(`${app.id}:${a}`);
      load.set(a, load.get(a)! + 1);
    }
    if (candidates.length < missing) plan.short.push({ applicationId: app.id, missing: missing - candidates.length });
  }
  return plan;
}

// ---- calibration ------------------------------------------------------------------------------

export interface Calibration {
  assessorId: string;
  assessed: number;
  assessorMean: Fraction;
  panelMean: Fraction;
  /** assessorMean − panelMean: below zero scores harder than the panel, above more generously. */
  difference: Fraction;
}

/**
 * Each assessor's mean against the panel's mean on the same applications (the panel mean of an
 * application being the mean of all its submitted assessments, theirs included).
 */
export function calibrate(submitted: readonly { assessorId: string; applicationId: string; percent: Fraction }[]): Calibration[] {
  const byApplication = new Map<string, Fraction[]>();
  for (const s of submitted) byApplication.set(s.applicationId, [...(byApplication.get(s.applicationId) ?? []), s.percent]);
  const panel = new Map([...byApplication].map(([id, ps]) => [id, mean(ps)!]));
  const byAssessor = new Map<string, { own: Fraction[]; panel: Fraction[] }>();
  for (const s of submitted) {
    const entry = byAssessor.get(s.assessorId) ?? { own: [], panel: [] };
    entry.own.push(s.percent);
    entry.panel.push(panel.get(s.applicationId)!);
    byAssessor.set(s.assessorId, entry);
  }
  return [...byAssessor]
    .map(([assessorId, e]) => {
      const assessorMean = mean(e.own)!;
      const panelMean = mean(e.panel)!;
      return { assessorId, assessed: e.own.length, assessorMean, panelMean, difference: assessorMean.sub(panelMean) };
    })
    .sort((a, b) => a.difference.compare(b.difference) || (a.assessorId < b.assessorId ? -1 : 1));
}
