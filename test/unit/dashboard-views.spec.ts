import type { FundingRound } from '../../src/modules/funds';
import type { RoundSummary } from '../../src/modules/dashboard';
import { closingText, londonDaysBetween, roundCard } from '../../src/modules/dashboard/pages/round-cards';

/** The dashboard's round cards: days to close by the London calendar, and money against limits. No database. */
describe('dashboard round cards', () => {
  it('counts days by the London calendar, not UTC', () => {
    // 00:30 on 25 October in London (BST) is still 24 October in UTC.
    const now = new Date('2026-10-24T23:30:00Z');
    const closes = new Date('2026-10-25T22:59:00Z'); // 23:59 GMT on 25 October, after the clocks go back
    expect(londonDaysBetween(now, closes)).toBe(0);
    expect(closingText(closes, false, now)).toBe('Closes today');
    expect(closingText(closes, false, new Date('2026-10-24T22:30:00Z'))).toBe('Closes tomorrow');
    expect(closingText(closes, false, new Date('2026-10-15T12:00:00Z'))).toBe('Closes in 10 days');
    expect(closingText(closes, true, new Date('2026-10-25T23:30:00Z'))).toBe('Closed today');
    expect(closingText(closes, true, new Date('2026-10-26T09:00:00Z'))).toBe('Closed yesterday');
    expect(closingText(closes, true, new Date('2026-10-28T09:00:00Z'))).toBe('Closed 3 days ago');
  });

  it('shows requested against the budget and each ring-fence, with over-subscription, and links to the filtered lists', () => {
    const round = {
      id: 'r1',
      name: 'Victims Fund 7',
      programme: { name: 'Victims Fund' },
      closesAt: new Date('2026-10-25T22:59:00Z'),
      totalBudgetPence: 20_000_000,
      categories: [
        { code: 'hate_crime', name: 'Victims of hate crime' },
        { code: 'domestic_abuse', name: 'Domestic abuse' },
      ],
      ringFences: [
        { name: 'Victims of hate crime', amountPence: 5_000_000, category: 'hate_crime' },
        { name: 'Refuges', amountPence: 3_000_000, category: 'domestic_abuse' },
      ],
    } as unknown as FundingRound;
    const summary: RoundSummary = {
      round,
      status: 'open',
      totals: {
        countsByStatus: { draft: 11, submitted: 30, eligible: 3, ineligible: 1, withdrawn: 3 },
        submittedRequestedPence: 19_999_999,
        draftRequestedPence: 11_575_000,
        byCategory: { hate_crime: { submittedRequestedPence: 6_325_000, count: 6 } },
        byArea: {},
        screeningOutstanding: 30,
      },
    };
    const card = roundCard(summary, new Date('2026-10-20T12:00:00Z'));
    expect(card.closing).toBe('Closes in 5 days');
    expect(card.total).toBe(48);
    expect(card.budget).toMatchObject({ requestedText: '£199,999.99', limitText: '£200,000', percent: 99, overText: undefined });
    expect(card.ringFences).toEqual([
      expect.objectContaining({ name: 'Victims of hate crime', requestedText: '£63,250', percent: 126, overText: 'Over-subscribed by £13,250', count: 6 }),
      expect.objectContaining({ name: 'Refuges (Domestic abuse)', requestedText: '£0', percent: 0, overText: undefined, count: 0 }),
    ]);
    expect(card.ringFences[0].href).toBe('/staff/rounds/r1/applications?category=hate_crime');
    expect(card.screening).toEqual({ count: 30, href: '/staff/rounds/r1/applications?status=submitted' });
    expect(card.statusCounts.map((s) => [s.text, s.count])).toEqual([
      ['Draft', 11],
      ['Submitted, not yet screened', 30],
      ['Eligible', 3],
      ['Not eligible', 1],
      ['Withdrawn', 3],
    ]);
  });
});
