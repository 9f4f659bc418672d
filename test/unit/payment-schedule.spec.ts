import fc from 'fast-check';
import { HALF_ON_SIX_MONTH_REPORT, PAID_IN_FULL, presetOf, scheduleSummary, splitAward } from '../../src/modules/funds';
import { scheduleProblems } from '../../src/modules/funds/payment-schedule';

/* Issue 12's payment schedules: shares of an award in whole pence that always add up to it. */
describe('payment schedules', () => {
  it('splits an award into whole-pence instalments that add up to it exactly, on any schedule', () => {
    const schedule = fc
      .array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 })
      .filter((ps) => ps.reduce((a, b) => a + b, 0) <= 100)
      .map((ps) => [...ps.slice(0, -1), 100 - ps.slice(0, -1).reduce((a, b) => a + b, 0)].filter((p) => p > 0))
      .filter((ps) => ps.length > 0 && ps.reduce((a, b) => a + b, 0) === 100)
      .map((ps) => ps.map((percent) => ({ percent, trigger: 'acceptance' as const })));
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 100_000_000 }), (steps, award) => {
        const parts = splitAward(steps, award);
        expect(parts.reduce((s, p) => s + p.amountPence, 0)).toBe(award);
        for (const p of parts) {
          expect(Number.isInteger(p.amountPence)).toBe(true);
          expect(p.amountPence).toBeGreaterThanOrEqual(0);
        }
        // Every share but the last is its percent rounded down; the last takes the odd pence.
        parts.slice(0, -1).forEach((p) => expect(p.amountPence).toBe(Math.floor((award * p.step.percent) / 100)));
      }),
    );
  });

  it('says how a grant is paid, in pounds', () => {
    expect(scheduleSummary(PAID_IN_FULL, 2_000_00)).toBe('In full: £2,000 when you accept the offer, into your organisation’s bank account.');
    expect(scheduleSummary(HALF_ON_SIX_MONTH_REPORT, 12_345_67)).toBe(
      '£6,172.83 when you accept the offer, then £6,172.84 when your 6-month monitoring report is approved, into your organisation’s bank account.',
    );
  });

  it('knows its presets, and refuses shares that do not add up to 100% or a report without its months', () => {
    expect(presetOf(HALF_ON_SIX_MONTH_REPORT)).toBe('half_on_report');
    expect(
      presetOf([
        { percent: 40, trigger: 'acceptance' },
        { percent: 60, trigger: 'acceptance' },
      ]),
    ).toBeNull();
    expect(scheduleProblems([{ percent: 50, trigger: 'acceptance' }]).map((p) => p.rule)).toEqual(['sumsTo100']);
    expect(
      scheduleProblems([
        { percent: 50, trigger: 'acceptance' },
        { percent: 50, trigger: 'monitoring_report' },
      ]).map((p) => p.field),
    ).toEqual(['paymentSchedule.1.reportMonths']);
    expect(scheduleProblems(HALF_ON_SIX_MONTH_REPORT)).toEqual([]);
  });
});
