import {
  CHART_COLOURS,
  CHART_TEXT,
  MAX_BAR,
  byRoundChart,
  chartCsvRows,
  perThousandChart,
  successRateChart,
} from '../../src/modules/dashboard/pages/insights-views';

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
    expect(byRoundChart(rounds, 'r1').csvHref).toBe('/staff/insights/by-round.csv?roundId=r1');
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
});
