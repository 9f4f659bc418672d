import fc from 'fast-check';
import {
  type AllocationCandidate,
  type AllocationSettings,
  type RingFencePot,
  AllocationSettingsError,
  allocate,
  qualifiesFor,
} from '../../src/modules/allocation/allocation-plan';

/*
 * The allocation run's arithmetic (issue 11): Victims Fund 7's shape, ring-fences by category and
 * by area, both policies for unspent ring-fenced money, ties, partial awards, an empty round, a
 * round where every bid qualifies; and, on random rounds, that no pot is ever exceeded and no
 * ring-fenced money funds a bid that does not qualify.
 */

const HATE = { id: 'rf-hate', name: 'hate crime', amountPence: 50_000_00, category: 'hate_crime' };
const settings = (o: Partial<AllocationSettings> = {}): AllocationSettings => ({
  budgetPence: 200_000_00,
  thresholdHundredths: 6000,
  unspentRingFences: 'release',
  ...o,
});
let n = 0;
const bid = (o: Partial<AllocationCandidate> & { requestedPence: number }): AllocationCandidate => {
  n++;
  return {
    applicationId: `app-${String(n).padStart(4, '0')}`,
    reference: `VF7-${String(n).padStart(4, '0')}`,
    rank: n,
    scoreHundredths: 9000 - n * 10,
    category: 'other_victims',
    areaOnsCode: 'E08000025',
    ...o,
  };
};
beforeEach(() => (n = 0));
const outcomes = (r: ReturnType<typeof allocate>) => r.awards.map((a) => `${a.reference} ${a.outcome} ${a.amountPence} ${a.source ?? '-'}`);

describe('allocation run (issue 11)', () => {
  it('funds Victims Fund 7’s shape: 48 bids, £200,000 with £50,000 for hate crime', () => {
    // 12 hate-crime bids of £5,000 and 36 others of £6,000, ranked alternately.
    const bids = Array.from({ length: 48 }, (_, i) =>
      bid({ requestedPence: (i % 4 === 0 ? 5_000 : 6_000) * 100, category: i % 4 === 0 ? 'hate_crime' : 'other_victims' }),
    );
    const r = allocate(bids, [HATE], settings());
    const hate = r.awards.filter((a) => a.source === 'rf-hate');
    // The ring-fence pays for 10 of the 12 hate-crime bids (£50,000); the two below them compete for the general pot.
    expect(hate.map((a) => a.reference)).toEqual(
      bids
        .filter((b) => b.category === 'hate_crime')
        .slice(0, 10)
        .map((b) => b.reference),
    );
    expect(r.ringFences[0]).toMatchObject({ committedPence: 50_000_00, remainingPence: 0 });
    // The general pot, £150,000, pays 25 bids of £6,000 in rank order; the rest wait in rank order.
    expect(r.general).toMatchObject({ amountPence: 150_000_00, committedPence: 150_000_00, remainingPence: 0 });
    expect(r.committedPence).toBe(200_000_00);
    const reserve = r.awards.filter((a) => a.outcome === 'reserve');
    expect(reserve.map((a) => a.reservePosition)).toEqual(reserve.map((_, i) => i + 1));
    expect(reserve[0].reason).toBe('Reserve 1: £6,000 requested; the general pot is spent');
    expect(hate[0].reason).toBe('Funded from the hate crime ring-fence');
  });

  it('releases an underspent ring-fence to the general pot, or holds it, as the round says', () => {
    const bids = [
      bid({ requestedPence: 10_000_00, category: 'hate_crime' }),
      bid({ requestedPence: 120_000_00 }),
      bid({ requestedPence: 40_000_00 }),
      bid({ requestedPence: 30_000_00 }),
    ];
    // £150,000 general: £120,000 then the £40,000 bid does not fit (£30,000 left), the £30,000 one does.
    const held = allocate(bids, [HATE], settings({ unspentRingFences: 'hold' }));
    expect(outcomes(held)).toEqual([
      'VF7-0001 funded 1000000 rf-hate',
      'VF7-0002 funded 12000000 general',
      'VF7-0003 reserve 0 -',
      'VF7-0004 funded 3000000 general',
    ]);
    expect(held.ringFences[0]).toMatchObject({ committedPence: 10_000_00, releasedPence: 0, remainingPence: 40_000_00 });
    // Released, the £40,000 left in the ring-fence funds the reserve.
    const released = allocate(bids, [HATE], settings({ unspentRingFences: 'release' }));
    expect(outcomes(released)[2]).toBe('VF7-0003 funded 4000000 general');
    expect(released.awards[2].reason).toBe('Funded from the general pot (with ring-fenced money released)');
    expect(released.ringFences[0]).toMatchObject({ releasedPence: 40_000_00, remainingPence: 0 });
    expect(released.general).toMatchObject({ amountPence: 150_000_00, releasedPence: 40_000_00, committedPence: 190_000_00, remainingPence: 0 });
  });

  it('splits a pot across areas with ring-fences by area', () => {
    const fences: RingFencePot[] = [
      { id: 'rf-bham', name: 'Birmingham', amountPence: 3_000_00, areaOnsCode: 'E08000025' },
      { id: 'rf-cov', name: 'Coventry', amountPence: 2_000_00, areaOnsCode: 'E08000026' },
    ];
    const bids = [
      bid({ requestedPence: 2_000_00, areaOnsCode: 'E08000025' }),
      bid({ requestedPence: 2_000_00, areaOnsCode: 'E08000025' }),
      bid({ requestedPence: 2_000_00, areaOnsCode: 'E08000026' }),
      bid({ requestedPence: 2_000_00, areaOnsCode: 'E08000030' }),
    ];
    const r = allocate(bids, fences, settings({ budgetPence: 7_000_00, unspentRingFences: 'hold' }));
    expect(outcomes(r)).toEqual(['VF7-0001 funded 200000 rf-bham', 'VF7-0002 funded 200000 general', 'VF7-0003 funded 200000 rf-cov', 'VF7-0004 reserve 0 -']);
    expect(qualifiesFor({ category: null, areaOnsCode: 'E08000026' }, fences[1])).toBe(true);
  });

  it('leaves out bids below the threshold or without a score, saying why', () => {
    const r = allocate([bid({ requestedPence: 100, scoreHundredths: 5200 }), bid({ requestedPence: 100, scoreHundredths: null, rank: null })], [], settings());
    expect(r.awards.map((a) => [a.outcome, a.reason])).toEqual([
      ['not_funded', 'Not funded: score 52.00 is below the threshold of 60.00'],
      ['not_funded', 'Not funded: it has no final score'],
    ]);
  });

  it('keeps tied bids in the ranking’s order, and gives the same result whatever order they arrive in', () => {
    const bids = [bid({ requestedPence: 100_00, rank: 1 }), bid({ requestedPence: 100_00, rank: 1 }), bid({ requestedPence: 100_00, rank: 3 })];
    const r = allocate(bids, [], settings({ budgetPence: 200_00 }));
    expect(outcomes(r)).toEqual(['VF7-0001 funded 10000 general', 'VF7-0002 funded 10000 general', 'VF7-0003 reserve 0 -']);
    expect(allocate([...bids].reverse(), [], settings({ budgetPence: 200_00 }))).toEqual(r);
  });

  it('awards a partial amount where the fund manager set one, and refuses one above the request', () => {
    const r = allocate([bid({ requestedPence: 10_000_00, partialPence: 7_500_00 })], [], settings());
    expect(r.awards[0]).toMatchObject({
      outcome: 'partly_funded',
      amountPence: 7_500_00,
      reason: 'Part-funded from the general pot: £7,500 of the £10,000 requested',
    });
    expect(() => allocate([bid({ requestedPence: 100, partialPence: 100 })], [], settings())).toThrow(AllocationSettingsError);
    expect(() => allocate([bid({ requestedPence: 100, partialPence: 0 })], [], settings())).toThrow(/more than £0 and less than the £1 requested/);
  });

  it('copes with an empty round, and refuses ring-fences above the budget and thresholds out of range', () => {
    expect(allocate([], [HATE], settings())).toMatchObject({ awards: [], committedPence: 0 });
    expect(() => allocate([], [HATE], settings({ budgetPence: 10_000_00 }))).toThrow(/ring-fences \(£50,000\) are more than the budget \(£10,000\)/);
    expect(() => allocate([], [], settings({ thresholdHundredths: 10_001 }))).toThrow(/threshold must be a score from 0 to 100/);
  });

  it('funds from the ring-fence first when every bid qualifies for it', () => {
    const bids = Array.from({ length: 6 }, () => bid({ requestedPence: 20_000_00, category: 'hate_crime' }));
    const r = allocate(bids, [HATE], settings({ budgetPence: 90_000_00, unspentRingFences: 'hold' }));
    expect(r.awards.map((a) => a.source)).toEqual(['rf-hate', 'rf-hate', 'general', 'general', null, null]);
    expect(r.ringFences[0]).toMatchObject({ committedPence: 40_000_00, remainingPence: 10_000_00 });
    expect(r.general).toMatchObject({ committedPence: 40_000_00, remainingPence: 0 });
  });

  it('never exceeds a pot and never funds a bid from a ring-fence it does not qualify for, on random rounds', () => {
    const categories = ['hate_crime', 'domestic_abuse', 'young_victims', 'other_victims'];
    const areas = ['E08000025', 'E08000026', 'E08000027'];
    const candidate = fc.record({
      requestedPence: fc.integer({ min: 1, max: 30_000_00 }),
      part: fc.option(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { nil: undefined }),
      score: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
      category: fc.constantFrom(...categories),
      area: fc.constantFrom(...areas),
    });
    const fence = fc.record({ amountPence: fc.integer({ min: 0, max: 60_000_00 }), by: fc.constantFrom('category', 'area'), which: fc.nat() });
    fc.assert(
      fc.property(
        fc.array(candidate, { maxLength: 60 }),
        fc.array(fence, { maxLength: 5 }),
        fc.integer({ min: 0, max: 400_000_00 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('release' as const, 'hold' as const),
        (cs, fs, extra, threshold, policy) => {
          const fences: RingFencePot[] = fs.map((f, i) => ({
            id: `rf-${i}`,
            name: `Fence ${i}`,
            amountPence: f.amountPence,
            ...(f.by === 'category' ? { category: categories[f.which % categories.length] } : { areaOnsCode: areas[f.which % areas.length] }),
          }));
          const budget = fences.reduce((s, f) => s + f.amountPence, 0) + extra;
          const candidates: AllocationCandidate[] = cs.map((c, i) => ({
            applicationId: `a${i}`,
            reference: `R-${String(i).padStart(3, '0')}`,
            rank: c.score === null ? null : 10_001 - c.score,
            scoreHundredths: c.score,
            requestedPence: c.requestedPence,
            partialPence:
              c.part && Math.floor(c.requestedPence * c.part) > 0 && Math.floor(c.requestedPence * c.part) < c.requestedPence
                ? Math.floor(c.requestedPence * c.part)
                : undefined,
            category: c.category,
            areaOnsCode: c.area,
          }));
          const r = allocate(candidates, fences, { budgetPence: budget, thresholdHundredths: threshold, unspentRingFences: policy });
          const byId = new Map(candidates.map((c) => [c.applicationId, c]));
          expect(r.awards).toHaveLength(candidates.length);
          for (const a of r.awards) {
            const c = byId.get(a.applicationId)!;
            if (a.source && a.source !== 'general')
              expect(
                qualifiesFor(
                  c,
                  fences.find((f) => f.id === a.source)!,
                ),
              ).toBe(true);
            if (a.amountPence > 0) {
              expect(c.scoreHundredths).not.toBeNull();
              expect(c.scoreHundredths!).toBeGreaterThanOrEqual(threshold);
              expect(a.amountPence).toBe(c.partialPence ?? c.requestedPence);
            }
          }
          for (const f of fences) {
            const spent = r.awards.filter((a) => a.source === f.id).reduce((s, a) => s + a.amountPence, 0);
            const totals = r.ringFences.find((t) => t.id === f.id)!;
            expect(spent).toBe(totals.committedPence);
            expect(spent + totals.releasedPence).toBeLessThanOrEqual(f.amountPence);
          }
          const total = r.awards.reduce((s, a) => s + a.amountPence, 0);
          expect(total).toBe(r.committedPence);
          expect(total).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 300 },
    );
  });
});
