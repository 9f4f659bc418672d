import {
  CHART_COLOURS,
  CHART_TEXT,
  MAX_BAR,
  byRoundChart,
  chartCsvRows,
  filterFileSuffix,
  filterLabel,
  insightsFilterView,
  perThousandChart,
  successRateChart,
} from '../../src/modules/dashboard/pages/insights-views';
import { readInsightsFilter } from '../../src/modules/dashboard/pages/insights-form';
import type { InsightsChoices } from '../../src/modules/dashboard/insights.service';
import type { FundingRound } from '../../src/modules/funds';

/** WCAG 2 contrast ratio of a #rrggbb colour against white. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

describe('insights charts (view-models)', () => {
  it('draws bars in colours with at least 3:1 contrast against white, and text with at least 4.5:1', () => {
    for (const colour of Object.values(CHART_COLOURS)) expect([colour, contrastWithWhite(colour) >= 3]).toEqual([colour, true]);
    expect(contrastWithWhite(CHART_TEXT)).toBeGreaterThanOrEqual(4.5);
  });

  const rounds = [
    { roundId: 'a', roundName: 'Victims Fund 6', received: 12, requestedPence: 200_000_00, awarded: 5, awardedPence: 100_000_00 },
    { roundId: 'b', roundName: 'Victims Fund 7', received: 0, requestedPence: 0, awarded: 0, awardedPence: 0 },
  ];

  it('scales every bar against the largest value, and writes each value as the table does', () => {
    const c = byRoundChart(rounds);
    expect(c.bars.map((b) => b.width)).toEqual([MAX_BAR, MAX_BAR / 2, 0, 0]);
    expect(c.bars.map((b) => b.text)).toEqual(['Requested: £200,000', 'Awarded: £100,000', 'Requested: £0', 'Awarded: £0']);
    expect(c.labels.map((l) => l.text)).toEqual(['Victims Fund 6', 'Victims Fund 7']);
    expect(c.rows[0].map((x) => x.text)).toEqual(['Victims Fund 6', '12', '£200,000', '5', '£100,000']);
    // Every bar and label sits inside the drawing.
    for (const b of c.bars) expect(b.y + 18).toBeLessThanOrEqual(c.height);
    expect(c.csvHref).toBe('/staff/insights/by-round.csv');
    expect(byRoundChart(rounds, { filter: { roundId: 'r1' } }).csvHref).toBe('/staff/insights/by-round.csv?roundId=r1');
    // Every filter goes with the download, in the form's order, and names the file.
    const filtered = byRoundChart(rounds, { filter: { roundId: 'r1', year: '2026-27', fundId: 'f1' }, fileSuffix: '-VF-2026-27-VF7' });
    expect(filtered.csvHref).toBe('/staff/insights/by-round.csv?fundId=f1&year=2026-27&roundId=r1');
    expect(filtered.csvFilename).toBe('insights-by-round-VF-2026-27-VF7.csv');
  });

  it('says what a filter left nothing for, and draws no bars of nothing per 1,000 residents', () => {
    expect(byRoundChart([], {}).empty).toBe('No funding round has been published yet.');
    expect(byRoundChart([], { label: 'Victims Fund rounds' }).empty).toBe('There is nothing to show yet for Victims Fund rounds.');
    const none = perThousandChart([
      {
        onsCode: 'E08000025',
        name: 'Birmingham',
        awarded: 0,
        awardedPence: 0,
        population: 1_144_900,
        populationYear: 2021,
        populationSource: 'ONS',
        perThousandPence: 0,
      },
    ]);
    expect(none.bars).toEqual([]);
    expect(none.empty).toBe('No grants have been awarded yet.');
    expect(none.rows).toHaveLength(1);
  });

  it('gives the CSV the table’s rows, amounts as pounds and pence', () => {
    expect(chartCsvRows(byRoundChart(rounds))).toEqual([
      ['Round', 'Applications received', 'Requested (£)', 'Grants awarded', 'Awarded (£)'],
      ['Victims Fund 6', 12, '200000.00', 5, '100000.00'],
      ['Victims Fund 7', 0, '0.00', 0, '0.00'],
    ]);
  });

  it('leaves out of the chart, but not the table, what has no figure: an area without a population, an undecided round', () => {
    const area = perThousandChart([
      {
        onsCode: 'E08000025',
        name: 'Birmingham',
        awarded: 2,
        awardedPence: 1_144_900_00,
        population: 1_144_900,
        populationYear: 2021,
        populationSource: 'ONS',
        perThousandPence: 100_000,
      },
      {
        onsCode: null,
        name: 'Outside the force area or not recorded',
        awarded: 1,
        awardedPence: 5_000_00,
        population: null,
        populationYear: null,
        populationSource: null,
        perThousandPence: null,
      },
    ]);
    expect(area.bars.map((b) => b.text)).toEqual(['£1,000']);
    expect(area.rows).toHaveLength(2);
    expect(area.notes[0]).toBe('Population: ONS (2021). Administrators keep these figures up to date.');
    const success = successRateChart([
      { roundId: 'b', roundName: 'Victims Fund 7', decidedAt: null, decided: 0, offered: 0, successPercent: null, medianDays: null },
    ]);
    expect(success.bars).toEqual([]);
    expect(success.empty).toBe('No round has been decided yet.');
    expect(success.rows[0].map((x) => x.text)).toEqual(['Victims Fund 7', 'Not decided yet', '0', '0', 'Not applicable']);
  });

  describe('the filters', () => {
    const round = (id: string, name: string, programmeId: string, referencePrefix: string) => ({ id, name, programmeId, referencePrefix }) as FundingRound;
    const F1 = '11111111-1111-4111-8111-111111111111';
    const R1 = '22222222-2222-4222-8222-222222222222';
    const choices: InsightsChoices = {
      rounds: [round(R1, 'Victims Fund 7', F1, 'VF7')],
      funds: [{ id: F1, code: 'VF', name: 'Victims Fund' }],
      years: ['2026-27', '2025-26'],
    };

    it('reads a fund, a financial year and a round, leaving out empty ones', async () => {
      expect(await readInsightsFilter({ fundId: F1, year: '2026-27', roundId: '' }, choices)).toEqual({
        typed: { fundId: F1, year: '2026-27', roundId: '' },
        filter: { fundId: F1, year: '2026-27' },
        errors: [],
      });
      // A real year no round closes in: empty figures, not a problem.
      expect((await readInsightsFilter({ year: '2019-20' }, choices)).filter).toEqual({ year: '2019-20' });
    });

    it('refuses an unknown or malformed fund, year or round, or one given twice, naming its box in the form’s order', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ fundId: '33333333-3333-4333-8333-333333333333' }, 'fundId', 'Select a fund from the list'],
        [{ fundId: 'VF' }, 'fundId', 'Select a fund from the list'],
        [{ fundId: [F1, F1] }, 'fundId', 'Select one fund'],
        [{ year: '2026' }, 'year', 'Select a financial year from the list'],
        [{ year: '2026-28' }, 'year', 'Select a financial year from the list'],
        [{ year: '1999-00' }, 'year', 'Select a financial year from the list'],
        [{ year: ['2026-27', '2025-26'] }, 'year', 'Select one financial year'],
        [{ roundId: F1 }, 'roundId', 'Select a funding round from the list'],
      ];
      for (const [query, field, message] of cases) {
        const { errors, filter } = await readInsightsFilter(query, choices);
        expect({ query, errors: errors.map((e) => [e.field, e.message]), filter }).toEqual({ query, errors: [[field, message]], filter: {} });
      }
      const both = await readInsightsFilter({ roundId: 'x', year: 'y', fundId: 'z' }, choices);
      expect(both.errors.map((e) => e.field)).toEqual(['fundId', 'year', 'roundId']);
      await expect(readInsightsFilter({ fund: 'x' }, choices)).rejects.toMatchObject({ status: 400, details: [{ field: 'fund', rule: 'unknownFilter' }] });
    });

    it('offers the choices with what was chosen, and says the filter in words and in the file name', () => {
      const view = insightsFilterView(choices, { fundId: F1, year: '2019-20', roundId: '' }, { fundId: F1, year: '2019-20' });
      expect(view.fundItems).toEqual([
        { value: '', text: 'All funds', selected: false },
        { value: F1, text: 'Victims Fund', selected: true },
      ]);
      expect(view.yearItems.map((i) => [i.value, i.text, i.selected])).toEqual([
        ['', 'All years', false],
        ['2026-27', 'April 2026 to March 2027', false],
        ['2025-26', 'April 2025 to March 2026', false],
        ['2019-20', 'April 2019 to March 2020', true],
      ]);
      expect(view.filtered).toBe(true);
      expect(filterLabel(choices, {})).toBeUndefined();
      expect(filterLabel(choices, { fundId: F1 })).toBe('Victims Fund rounds');
      expect(filterLabel(choices, { year: '2026-27' })).toBe('rounds closing in the financial year April 2026 to March 2027');
      expect(filterLabel(choices, { fundId: F1, year: '2026-27' })).toBe('Victims Fund rounds closing in the financial year April 2026 to March 2027');
      expect(filterLabel(choices, { roundId: R1 })).toBe('Victims Fund 7');
      expect(filterFileSuffix(choices, { fundId: F1, year: '2026-27', roundId: R1 })).toBe('-VF-2026-27-VF7');
      expect(filterFileSuffix(choices, {})).toBe('');
    });
  });
});
