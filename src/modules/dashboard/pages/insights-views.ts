/**
 * The staff insights page's view-models: each figure becomes a chart (bars whose lengths and
 * places are computed here, so the Nunjucks macro in views/charts.njk only draws them), the data
 * table that follows it, and the same table as CSV. No HTML or SVG is built in TypeScript.
 */
import { formatLondonDate } from '@pcc/london-time';
import { formatPounds } from '@pcc/money';
import type { FundingRound } from '../../funds';
import type { AreaMoney, GroupMoney, InsightsChoices, InsightsFilter, RoundDecision, RoundMoney, RoundPayments } from '../insights.service';

/**
 * GOV.UK colours, each at least 3:1 against white as a bar must be (WCAG 1.4.11), and the text
 * colour at least 4.5:1 (1.4.3); test/unit/insights-views.spec.ts checks the ratios.
 */
export const CHART_COLOURS = { blue: '#1d70b8', green: '#00703c', purple: '#4c2c92' } as const;
export const CHART_TEXT = '#0b0c0c';

/** The drawing's own units (the SVG scales to its column; see .app-chart). */
export const CHART_WIDTH = 400;
/** The longest bar, leaving room after it for its value. */
export const MAX_BAR = 220;
const LABEL_STEP = 22;
const BAR_HEIGHT = 18;
const BAR_STEP = 26;
const GROUP_GAP = 10;

export interface TableCell {
  text: string;
  numeric?: boolean;
  /** What the CSV holds when it is not the text: amounts as pounds and pence without the £ and commas. */
  csv?: string | number;
}

/** One series of a chart: its name and colour, and which value of each row it draws. */
interface Series<T> {
  name: string;
  colour: string;
  value: (row: T) => number | null;
  text: (value: number) => string;
}

export interface ChartLabel {
  text: string;
  y: number;
}
export interface ChartBar {
  width: number;
  height: number;
  y: number;
  colour: string;
  /** The value as the chart writes it after the bar ("Requested: £12,000"), which the table also holds. */
  text: string;
  textX: number;
  textY: number;
}

export interface ChartView {
  id: string;
  heading: string;
  /** What the chart shows, in a sentence: the SVG's description and the table's caption context. */
  description: string;
  width: number;
  height: number;
  labels: ChartLabel[];
  bars: ChartBar[];
  textColour: string;
  /** Said instead of a chart when there is nothing to draw. */
  empty?: string;
  head: TableCell[];
  rows: TableCell[][];
  notes: string[];
  csvHref: string;
  csvFilename: string;
}

const pounds = (p: number): TableCell => ({ text: formatPounds(p), numeric: true, csv: (p / 100).toFixed(2) });
const count = (n: number): TableCell => ({ text: n.toLocaleString('en-GB'), numeric: true, csv: n });
const plain = (text: string): TableCell => ({ text });

/** Lays out a horizontal bar chart: each row's label, then one bar per series, lengths against the largest value. */
function layout<T>(rows: T[], label: (r: T) => string, series: Series<T>[]): Pick<ChartView, 'width' | 'height' | 'labels' | 'bars'> {
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => s.value(r) ?? 0)));
  const labels: ChartLabel[] = [];
  const bars: ChartBar[] = [];
  let y = 0;
  for (const r of rows) {
    labels.push({ text: label(r), y: y + 16 });
    y += LABEL_STEP;
    for (const s of series) {
      const v = s.value(r);
      if (v === null) continue;
      const width = max > 0 ? Math.round((v / max) * MAX_BAR * 10) / 10 : 0;
      bars.push({
        width,
        height: BAR_HEIGHT,
        y,
        colour: s.colour,
        text: series.length > 1 ? `${s.name}: ${s.text(v)}` : s.text(v),
        textX: Math.round((width + 6) * 10) / 10,
        textY: y + 14,
      });
      y += BAR_STEP;
    }
    y += GROUP_GAP;
  }
  return { width: CHART_WIDTH, height: Math.max(y, 1), labels, bars };
}

/**
 * What a chart is drawn for: the filter (which its CSV link carries, so the download has the same
 * rows), the filter in words when there is one (for the message when there is nothing to draw),
 * and the end of the CSV's file name ("-VF-2026-27").
 */
export interface ChartScope {
  filter?: InsightsFilter;
  label?: string;
  fileSuffix?: string;
}

/** The filter as a query string, "?fundId=…&year=2026-27", in the form's order; "" without one. */
export function filterQuery(f: InsightsFilter = {}): string {
  const q = new URLSearchParams();
  for (const key of ['fundId', 'year', 'roundId'] as const) if (f[key]) q.set(key, f[key]);
  const s = q.toString();
  return s ? `?${s}` : '';
}

type Base = Pick<ChartView, 'id' | 'heading' | 'description'> & { scope: ChartScope };

function chart<T>(
  base: Base,
  rows: T[],
  drawn: T[],
  label: (r: T) => string,
  series: Series<T>[],
  table: { head: TableCell[]; row: (r: T) => TableCell[] },
  notes: string[] = [],
  empty = 'There is nothing to show yet.',
): ChartView {
  const { filter, label: scopeLabel, fileSuffix = '' } = base.scope;
  return {
    id: base.id,
    heading: base.heading,
    description: base.description,
    ...layout(drawn, label, series),
    textColour: CHART_TEXT,
    // Narrowed by a filter, the message says to what: the rounds may exist, just not there.
    empty: drawn.length ? undefined : scopeLabel ? `There is nothing to show yet for ${scopeLabel}.` : empty,
    head: table.head,
    rows: rows.map(table.row),
    notes,
    csvHref: `/staff/insights/${base.id}.csv${filterQuery(filter)}`,
    csvFilename: `insights-${base.id}${fileSuffix}.csv`,
  };
}

const days = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} day${n === 1 ? '' : 's'}`;

export function byRoundChart(rows: RoundMoney[], scope: ChartScope = {}): ChartView {
  return chart(
    {
      id: 'by-round',
      heading: 'Requested and awarded by round',
      description: 'Amount requested by applications received, and amount awarded, for each funding round.',
      scope,
    },
    rows,
    rows,
    (r) => r.roundName,
    [
      { name: 'Requested', colour: CHART_COLOURS.blue, value: (r) => r.requestedPence, text: formatPounds },
      { name: 'Awarded', colour: CHART_COLOURS.green, value: (r) => r.awardedPence, text: formatPounds },
    ],
    {
      head: [
        plain('Round'),
        { text: 'Applications received', numeric: true },
        { text: 'Requested', numeric: true, csv: 'Requested (£)' },
        { text: 'Grants awarded', numeric: true },
        { text: 'Awarded', numeric: true, csv: 'Awarded (£)' },
      ],
      row: (r) => [plain(r.roundName), count(r.received), pounds(r.requestedPence), count(r.awarded), pounds(r.awardedPence)],
    },
    ['Applications received are those submitted and not withdrawn. Awarded counts offers made and accepted; a declined or lapsed offer gave its money back.'],
    'No funding round has been published yet.',
  );
}

export function perThousandChart(rows: AreaMoney[], scope: ChartScope = {}): ChartView {
  const sources = [...new Set(rows.filter((r) => r.populationSource).map((r) => `${r.populationSource ?? ''} (${r.populationYear ?? ''})`))];
  return chart(
    {
      id: 'per-1000-residents',
      heading: 'Awarded per 1,000 residents by local authority area',
      description: 'Amount awarded for every 1,000 people living in each local authority area, by where the funded organisation is based.',
      scope,
    },
    rows,
    // Seven bars of nothing say less than a sentence: drawn once something has been awarded.
    rows.some((r) => r.awardedPence > 0) ? rows.filter((r) => r.perThousandPence !== null) : [],
    (r) => r.name,
    [{ name: 'Per 1,000 residents', colour: CHART_COLOURS.purple, value: (r) => r.perThousandPence, text: formatPounds }],
    {
      head: [
        plain('Area'),
        plain('ONS code'),
        { text: 'Population', numeric: true },
        { text: 'Population year', numeric: true },
        { text: 'Grants awarded', numeric: true },
        { text: 'Awarded', numeric: true, csv: 'Awarded (£)' },
        { text: 'Per 1,000 residents', numeric: true, csv: 'Per 1,000 residents (£)' },
      ],
      row: (r) => [
        plain(r.name),
        plain(r.onsCode ?? ''),
        r.population === null ? { text: 'Not known', numeric: true, csv: '' } : count(r.population),
        r.populationYear === null ? { text: '', numeric: true } : { text: String(r.populationYear), numeric: true, csv: r.populationYear },
        count(r.awarded),
        pounds(r.awardedPence),
        r.perThousandPence === null ? { text: 'Not applicable', numeric: true, csv: '' } : pounds(r.perThousandPence),
      ],
    },
    [
      `Population: ${sources.length ? sources.join('; ') : 'not yet given'}. Administrators keep these figures up to date.`,
      'Each grant counts in the area where the organisation is based.',
    ],
    rows.some((r) => r.awardedPence > 0) ? 'No area has a population figure yet.' : 'No grants have been awarded yet.',
  );
}

function groupChart(id: string, heading: string, description: string, first: string, rows: GroupMoney[], scope: ChartScope, colour: string): ChartView {
  return chart(
    { id, heading, description, scope },
    rows,
    rows,
    (r) => r.name,
    [{ name: 'Awarded', colour, value: (r) => r.awardedPence, text: formatPounds }],
    {
      head: [plain(first), { text: 'Grants awarded', numeric: true }, { text: 'Awarded', numeric: true, csv: 'Awarded (£)' }],
      row: (r) => [plain(r.name), count(r.awarded), pounds(r.awardedPence)],
    },
    [],
    'No grants have been awarded yet.',
  );
}

export const byCategoryChart = (rows: GroupMoney[], scope: ChartScope = {}) =>
  groupChart('by-category', 'Awarded by category', 'Amount awarded for each category of application.', 'Category', rows, scope, CHART_COLOURS.blue);

export const byRingFenceChart = (rows: GroupMoney[], scope: ChartScope = {}) =>
  groupChart(
    'by-ring-fence',
    'Awarded by ring-fence',
    'Amount awarded from each ring-fence and from the general pot.',
    'Ring-fence',
    rows,
    scope,
    CHART_COLOURS.green,
  );

export function successRateChart(rows: RoundDecision[], scope: ChartScope = {}): ChartView {
  return chart(
    {
      id: 'success-rate',
      heading: 'Success rate by round',
      description: 'Applications offered a grant as a percentage of those decided, for each decided round.',
      scope,
    },
    rows,
    rows.filter((r) => r.successPercent !== null),
    (r) => r.roundName,
    [{ name: 'Success rate', colour: CHART_COLOURS.blue, value: (r) => r.successPercent, text: (v) => `${v}%` }],
    {
      head: [
        plain('Round'),
        plain('Decided on'),
        { text: 'Applications decided', numeric: true },
        { text: 'Offered a grant', numeric: true },
        { text: 'Success rate', numeric: true, csv: 'Success rate (%)' },
      ],
      row: (r) => [
        plain(r.roundName),
        r.decidedAt ? { text: formatLondonDate(r.decidedAt) } : plain('Not decided yet'),
        count(r.decided),
        count(r.offered),
        r.successPercent === null ? { text: 'Not applicable', numeric: true, csv: '' } : { text: `${r.successPercent}%`, numeric: true, csv: r.successPercent },
      ],
    },
    ['A round is decided when the Commissioner approves the decision that awards its grants.'],
    'No round has been decided yet.',
  );
}

export function decisionTimeChart(rows: RoundDecision[], scope: ChartScope = {}): ChartView {
  return chart(
    {
      id: 'time-to-decision',
      heading: 'Time from submission to decision',
      description: 'Median number of days from an application’s submission to the Commissioner’s decision, for each decided round.',
      scope,
    },
    rows,
    rows.filter((r) => r.medianDays !== null),
    (r) => r.roundName,
    [{ name: 'Median', colour: CHART_COLOURS.purple, value: (r) => r.medianDays, text: days }],
    {
      head: [plain('Round'), { text: 'Applications decided', numeric: true }, { text: 'Median days to decision', numeric: true }],
      row: (r) => [
        plain(r.roundName),
        count(r.decided),
        r.medianDays === null ? { text: 'Not decided yet', numeric: true, csv: '' } : { text: days(r.medianDays), numeric: true, csv: r.medianDays },
      ],
    },
    ['Days are calendar days in London.'],
    'No round has been decided yet.',
  );
}

export function outstandingChart(rows: RoundPayments[], scope: ChartScope = {}): ChartView {
  const withMoney = rows.filter((r) => r.committedPence > 0 || r.overdueReports > 0);
  return chart(
    {
      id: 'payments-outstanding',
      heading: 'Payments outstanding and overdue reports',
      description: 'Money committed to grants and not yet paid, for each round, from the ledger; with the monitoring reports overdue on its grants.',
      scope,
    },
    withMoney,
    withMoney,
    (r) => r.roundName,
    [{ name: 'Outstanding', colour: CHART_COLOURS.blue, value: (r) => r.outstandingPence, text: formatPounds }],
    {
      head: [
        plain('Round'),
        { text: 'Committed', numeric: true, csv: 'Committed (£)' },
        { text: 'Paid', numeric: true, csv: 'Paid (£)' },
        { text: 'Outstanding', numeric: true, csv: 'Outstanding (£)' },
        { text: 'Monitoring reports overdue', numeric: true },
      ],
      row: (r) => [plain(r.roundName), pounds(r.committedPence), pounds(r.paidPence), pounds(r.outstandingPence), count(r.overdueReports)],
    },
    ['Rounds with nothing committed are left out.'],
    'Nothing has been committed to grants yet.',
  );
}

/** The chart's table as CSV cells: the header, then each row, amounts as pounds and pence. */
export function chartCsvRows(c: ChartView): (string | number)[][] {
  const cell = (x: TableCell) => x.csv ?? x.text;
  return [c.head.map(cell), ...c.rows.map((r) => r.map(cell))];
}

type SelectItem = { value: string; text: string; selected: boolean };

/** "2026-27" → "April 2026 to March 2027". */
export const financialYearText = (year: string): string => `April ${year.slice(0, 4)} to March ${Number(year.slice(0, 4)) + 1}`;

/** The round filter above the charts: every published round, the chosen one selected. */
export function roundFilterItems(rounds: FundingRound[], selected?: string): SelectItem[] {
  return [{ value: '', text: 'All rounds', selected: !selected }, ...rounds.map((r) => ({ value: r.id, text: r.name, selected: r.id === selected }))];
}

/**
 * The filter form's three selects, with what was chosen (or typed into the address: a value that
 * is refused stays selected nowhere, and its box shows the problem). A well-formed year no round
 * closes in is offered too while it is chosen, so the form says what the empty charts are for.
 */
export function insightsFilterView(choices: InsightsChoices, typed: { fundId: string; year: string; roundId: string }, filter: InsightsFilter) {
  const years = filter.year && !choices.years.includes(filter.year) ? [...choices.years, filter.year].sort().reverse() : choices.years;
  return {
    fundItems: [
      { value: '', text: 'All funds', selected: !typed.fundId },
      ...choices.funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === filter.fundId })),
    ],
    yearItems: [
      { value: '', text: 'All years', selected: !typed.year },
      ...years.map((y) => ({ value: y, text: financialYearText(y), selected: y === filter.year })),
    ],
    roundItems: roundFilterItems(choices.rounds, filter.roundId),
    filtered: !!(typed.fundId || typed.year || typed.roundId),
  };
}

/** The filter in words, for the page's title and introduction and the empty charts' message; undefined without one. */
export function filterLabel(choices: InsightsChoices, f: InsightsFilter): string | undefined {
  const parts: string[] = [];
  const round = f.roundId ? choices.rounds.find((r) => r.id === f.roundId) : undefined;
  const fund = f.fundId ? choices.funds.find((x) => x.id === f.fundId) : undefined;
  if (round) parts.push(round.name);
  if (fund) parts.push(`${round ? 'of the ' : ''}${fund.name}${round ? '' : ' rounds'}`);
  if (f.year) parts.push(`${round || fund ? '' : 'rounds '}closing in the financial year ${financialYearText(f.year)}`);
  return parts.length ? parts.join(' ') : undefined;
}

/** The end of a CSV's file name: the fund's code, the year and the round's reference prefix ("-VF-2026-27-VF7"). */
export function filterFileSuffix(choices: InsightsChoices, f: InsightsFilter): string {
  const fund = f.fundId ? choices.funds.find((x) => x.id === f.fundId)?.code : undefined;
  const round = f.roundId ? choices.rounds.find((r) => r.id === f.roundId)?.referencePrefix : undefined;
  return [fund, f.year, round]
    .filter(Boolean)
    .map((p) => `-${p}`)
    .join('');
}

export const INSIGHT_CHART_IDS = [
  'by-round',
  'per-1000-residents',
  'by-category',
  'by-ring-fence',
  'success-rate',
  'time-to-decision',
  'payments-outstanding',
] as const;
export type InsightChartId = (typeof INSIGHT_CHART_IDS)[number];
