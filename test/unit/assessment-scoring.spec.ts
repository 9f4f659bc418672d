import fc from 'fast-check';
import { Fraction } from 'fraction.js';
import {
  type CriterionScale,
  type RankCandidate,
  assessmentPercent,
  calibrate,
  divergent,
  formatHundredths,
  formatPercent,
  fromHundredths,
  mean,
  planAssignments,
  rankApplications,
  tieBreakCriterion,
  toHundredths,
} from '../../src/modules/assessment/scoring';
import { hundredthsOf } from '../../src/modules/assessment/dto/assessment.dto';

const criterion = (id: string, weight: number, scaleMin: number, scaleMax: number, position: number): CriterionScale => ({
  id,
  weight,
  scaleMin,
  scaleMax,
  position,
});
const CRITERIA = [criterion('need', 3, 0, 4, 0), criterion('delivery', 7, 1, 10, 1), criterion('value', 11, 0, 4, 2)];
const scores = (...s: number[]) => s.map((score, i) => ({ criterionId: CRITERIA[i].id, score }));

describe('assessment arithmetic (exact)', () => {
  it('matches the hand-worked table (weights 3, 7, 11 over 0–4 and 1–10)', () => {
    expect(formatPercent(assessmentPercent(CRITERIA, scores(3, 7, 2)))).toBe('59.13');
    expect(assessmentPercent(CRITERIA, scores(3, 7, 2))!.toFraction()).toBe('3725/63'); // 14900/252
    expect(formatPercent(assessmentPercent(CRITERIA, scores(4, 10, 4)))).toBe('100.00');
    expect(formatPercent(assessmentPercent(CRITERIA, scores(0, 1, 0)))).toBe('0.00');
    expect(formatPercent(assessmentPercent(CRITERIA, scores(1, 4, 3)))).toBe('53.97');
    expect(formatPercent(assessmentPercent(CRITERIA, scores(2, 5, 1)))).toBe('35.05');
  });

  it('has no percentage until every criterion is scored', () => {
    expect(assessmentPercent(CRITERIA, scores(3, 7))).toBeNull();
    expect(assessmentPercent([], [])).toBeNull();
  });

  it('takes the mean of the exact fractions, not of the rounded figures', () => {
    const a = assessmentPercent(CRITERIA, scores(3, 7, 2))!;
    const b = assessmentPercent(CRITERIA, scores(4, 10, 4))!;
    // 59.13 and 100.00 shown; their mean is 79.565 → 79.57, but the exact mean is 79.5634… → 79.56.
    expect(formatPercent(mean([a, b]))).toBe('79.56');
  });

  it('rounds half up where binary floating point would not', () => {
    // 1.005 × 100 is 100.49999999999999 in floating point; exactly it is 100.5 → 101 hundredths.
    expect(toHundredths(fromHundredths(0).add(1005, 1000))).toBe(101);
    expect(Math.round(1.005 * 100)).toBe(100); // what a float would have given
    expect(toHundredths(fromHundredths(1234).add(1, 200))).toBe(1235); // 12.345 → 12.35
    expect(toHundredths(fromHundredths(1234).add(1, 201))).toBe(1234);
    expect(toHundredths(fromHundredths(-549))).toBe(-549);
    expect(toHundredths(fromHundredths(0).sub(12345, 1000000))).toBe(-1); // −0.012345 → −0.01
    expect(formatHundredths(-549)).toBe('-5.49');
    expect(formatHundredths(7)).toBe('0.07');
  });

  it('reads a moderated score as exact hundredths', () => {
    expect(['72.5', '72.50', '0', '100', '100.00', '7.05'].map(hundredthsOf)).toEqual([7250, 7250, 0, 10000, 10000, 705]);
  });

  it('is the same for the same input, whatever the order of the scores', () => {
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 4 })), ([a, b, c]) => {
        const forwards = assessmentPercent(CRITERIA, scores(a, b, c))!;
        const backwards = assessmentPercent(CRITERIA, scores(a, b, c).reverse())!;
        expect(forwards.equals(backwards)).toBe(true);
        expect(toHundredths(forwards)).toBeGreaterThanOrEqual(0);
        expect(toHundredths(forwards)).toBeLessThanOrEqual(10000);
      }),
    );
  });

  it('equals the weighted mean worked criterion by criterion, on any scales and weights', () => {
    // The definition, one fraction per criterion, against the common-denominator sum the code uses.
    const criterion = fc.record({ weight: fc.integer({ min: 1, max: 100 }), scaleMin: fc.integer({ min: 0, max: 50 }), span: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(
        fc.array(criterion, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (cs, at) => {
          const criteria = cs.map((c, i) => ({ id: `c${i}`, weight: c.weight, scaleMin: c.scaleMin, scaleMax: c.scaleMin + c.span, position: i }));
          const scores = criteria.map((c, i) => ({ criterionId: c.id, score: c.scaleMin + Math.round(at[i] * (c.scaleMax - c.scaleMin)) }));
          let total = new Fraction(0);
          for (const [i, c] of criteria.entries()) total = total.add(new Fraction(scores[i].score - c.scaleMin, c.scaleMax - c.scaleMin).mul(c.weight));
          const expected = total.div(criteria.reduce((w, c) => w + c.weight, 0)).mul(100);
          expect(assessmentPercent(criteria, scores)!.equals(expected)).toBe(true);
        },
      ),
    );
  });

  it('flags divergence only above the threshold', () => {
    expect(divergent([fromHundredths(5000), fromHundredths(6000)], 10)).toBe(false); // exactly 10 apart
    expect(divergent([fromHundredths(5000), fromHundredths(6001)], 10)).toBe(true);
    expect(divergent([fromHundredths(5000)], 0)).toBe(false);
  });

  it('breaks ties on the highest weight, and of equal weights the first on the form', () => {
    expect(tieBreakCriterion(CRITERIA)?.id).toBe('value');
    expect(tieBreakCriterion([criterion('b', 5, 0, 4, 1), criterion('a', 5, 0, 4, 0)])?.id).toBe('a');
  });
});

describe('ranking', () => {
  const row = (reference: string, final: number | null, top: number | null, minute: number): RankCandidate => ({
    applicationId: reference,
    reference,
    submittedAt: new Date(Date.UTC(2027, 0, 5, 9, minute)),
    final: final === null ? null : fromHundredths(final),
    topCriterion: top === null ? null : fromHundredths(top),
  });
  const ROWS = [
    row('VF-0004', 6000, 50, 4),
    row('VF-0001', 6000, 75, 9),
    row('VF-0002', 6000, 50, 2),
    row('VF-0003', 6000, 50, 2),
    row('VF-0005', 8000, 0, 1),
    row('VF-0006', null, null, 0),
  ];

  it('orders by final score, then top criterion, then earlier submission, then reference, and names the rule', () => {
    expect(rankApplications(ROWS).map((r) => [r.rank, r.row.reference, r.tieBreak])).toEqual([
      [1, 'VF-0005', null],
      [2, 'VF-0001', 'top_criterion'],
      [3, 'VF-0002', 'top_criterion'],
      [4, 'VF-0003', 'reference'],
      [5, 'VF-0004', 'submitted_at'],
      [null, 'VF-0006', null],
    ]);
  });

  it('gives the same ranking whatever order the rows come in', () => {
    const expected = rankApplications(ROWS).map((r) => r.row.reference);
    fc.assert(
      fc.property(fc.shuffledSubarray(ROWS, { minLength: ROWS.length, maxLength: ROWS.length }), (shuffled) => {
        expect(rankApplications(shuffled).map((r) => r.row.reference)).toEqual(expected);
      }),
    );
  });
});

describe('automatic assignment', () => {
  const apps = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: `app-${i}`, organisationId: `org-${i % 5}`, reference: `VF-${String(i).padStart(4, '0')}` }));

  it('gives each application its assessors with loads within one of each other, from any start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 3 }), (n, people, required) => {
        fc.pre(people >= required);
        const assessors = Array.from({ length: people }, (_, i) => `assessor-${i}`);
        const plan = planAssignments({ applications: apps(n), assessors, existing: [], required, interests: new Set() });
        expect(plan.short).toEqual([]);
        expect(plan.assign).toHaveLength(n * required);
        const loads = assessors.map((a) => plan.assign.filter((p) => p.assessorId === a).length);
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
        // Never the same person twice on one application.
        expect(new Set(plan.assign.map((p) => `${p.applicationId}:${p.assessorId}`)).size).toBe(plan.assign.length);
      }),
    );
  });

  it('never assigns someone with a standing interest, and says where it fell short', () => {
    const plan = planAssignments({
      applications: apps(3),
      assessors: ['a', 'b'],
      existing: [],
      required: 2,
      interests: new Set(['a:org-1']),
    });
    expect(plan.assign.filter((p) => p.applicationId === 'app-1')).toEqual([{ applicationId: 'app-1', assessorId: 'b' }]);
    expect(plan.short).toEqual([{ applicationId: 'app-1', missing: 1 }]);
  });

  it('is deterministic: the same plan whatever order the applications and assessors arrive in', () => {
    const input = { applications: apps(12), assessors: ['d', 'b', 'a', 'c'], existing: [], required: 2, interests: new Set(['c:org-2']) };
    const expected = planAssignments(input);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(input.applications, { minLength: 12, maxLength: 12 }),
        fc.shuffledSubarray(input.assessors, { minLength: 4, maxLength: 4 }),
        (a, p) => {
          expect(planAssignments({ ...input, applications: a, assessors: p })).toEqual(expected);
        },
      ),
    );
  });

  it('counts existing assignments, and a declared conflict keeps that pair apart without counting', () => {
    const plan = planAssignments({
      applications: apps(1),
      assessors: ['a', 'b', 'c'],
      existing: [
        { applicationId: 'app-0', assessorId: 'a', counts: true },
        { applicationId: 'app-0', assessorId: 'b', counts: false },
      ],
      required: 2,
      interests: new Set(),
    });
    expect(plan.assign).toEqual([{ applicationId: 'app-0', assessorId: 'c' }]);
  });
});

describe('calibration', () => {
  it('sets each assessor’s mean against the panel’s on the same applications', () => {
    const p = (h: number) => fromHundredths(h);
    const result = calibrate([
      { assessorId: 'harsh', applicationId: 'x', percent: p(4000) },
      { assessorId: 'kind', applicationId: 'x', percent: p(8000) },
      { assessorId: 'kind', applicationId: 'y', percent: p(7000) },
      { assessorId: 'fair', applicationId: 'y', percent: p(7000) },
    ]);
    expect(result.map((c) => [c.assessorId, c.assessed, formatPercent(c.assessorMean), formatPercent(c.panelMean), formatPercent(c.difference)])).toEqual([
      ['harsh', 1, '40.00', '60.00', '-20.00'],
      ['fair', 1, '70.00', '70.00', '0.00'],
      ['kind', 2, '75.00', '65.00', '10.00'],
    ]);
  });
});
