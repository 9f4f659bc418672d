import type { PublishedGrant } from '../../src/modules/grants';
import { readCrimeAndDisorderFilter, readFundedProjectsFilter } from '../../src/modules/publishing/pages/transparency-form';
import { fundedProjectsView, fundedProjectView, specifiedInformationView } from '../../src/modules/publishing/pages/transparency-views';
import { CRIME_AND_DISORDER_CSV_COLUMNS, toCrimeAndDisorderGrant } from '../../src/modules/publishing/specified-information';

/* Issue 13: the public transparency pages' filters and view-models, apart from the database. */
const grant = (over: Partial<PublishedGrant> = {}): PublishedGrant => ({
  grantId: '3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f',
  reference: 'ACF27-0001',
  title: 'Boxing for all',
  summary: 'Run by local volunteers in Tipton.',
  amountPence: 80_000,
  requestedPence: 80_000,
  awardedOn: '2026-11-20',
  startsOn: '2026-11-20',
  endsOn: '2027-11-19',
  areasServed: [],
  category: { code: 'youth_sport', name: 'Sport and activities for young people' },
  organisation: {
    name: 'Tipton Boxing',
    orgId: 'GB-CHC-1190001',
    charityNumber: '1190001',
    companyNumber: null,
    postcode: 'DY4 7AA',
    areaOnsCode: 'E08000028',
  },
  round: { id: 'r1', name: 'Active Citizens Fund 2026/27', referencePrefix: 'ACF27', programmeCode: 'ACF', programmeName: 'Active Citizens Fund' },
  decisionNumber: '004-2026',
  modifiedAt: new Date('2026-11-20T10:00:00Z'),
  purpose: 'Run by local volunteers in Tipton.',
  conditions: 'Use it for the project.\n\nReport at the end.',
  reasons: 'It keeps young people safe.',
  crimeAndDisorderReduction: true,
  ...over,
});
const areaNames = new Map([
  ['E08000025', 'Birmingham'],
  ['E08000028', 'Sandwell'],
]);

describe('the Specified Information list', () => {
  it('maps a grant to its row: the month made, recipient, purpose, conditions, reasons and links', () => {
    const row = toCrimeAndDisorderGrant(grant(), 'https://grants.example');
    expect(row).toMatchObject({
      month: '2026-11',
      reference: 'ACF27-0001',
      recipient: { name: 'Tipton Boxing', identifier: 'GB-CHC-1190001' },
      amountAwarded: 800,
      conditions: 'Use it for the project.\n\nReport at the end.',
      reasons: 'It keeps young people safe.',
      decision: { number: '004-2026', url: 'https://grants.example/decisions/004-2026' },
      url: 'https://grants.example/funded-projects/3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f',
    });
    expect(CRIME_AND_DISORDER_CSV_COLUMNS.find((c) => c.title === 'Amount awarded (£)')!.value(row)).toBe('800.00');
  });

  it('groups the rows by month and keeps the filter in the download links', async () => {
    const filter = await readCrimeAndDisorderFilter({ year: '2026', month: '' }, 2020);
    expect(filter).toMatchObject({ year: 2026, month: null, errors: [] });
    const rows = [grant({ awardedOn: '2026-11-20' }), grant({ awardedOn: '2026-11-02', reference: 'ACF27-0002' }), grant({ awardedOn: '2026-05-01' })].map(
      (g) => toCrimeAndDisorderGrant(g, 'https://grants.example'),
    );
    const view = specifiedInformationView({
      filter,
      facets: { years: [2026], crimeAndDisorderYears: [2026], categories: [] },
      funds: ['Active Citizens Fund'],
      grants: rows,
    });
    expect(view.months.map((m) => [m.id, m.grants.length])).toEqual([
      ['month-2026-11', 2],
      ['month-2026-05', 1],
    ]);
    expect(view.months[0].grants[0].conditions).toEqual(['Use it for the project.', 'Report at the end.']);
    expect(view.csvHref).toBe('/transparency/crime-and-disorder-grants.csv?year=2026');
  });

  it('refuses a year or month that cannot be, naming the box, and shows the default year without one', async () => {
    expect((await readCrimeAndDisorderFilter({}, 2025)).year).toBe(2025);
    expect((await readCrimeAndDisorderFilter({ year: 'abc' }, 2025)).errors).toEqual([{ field: 'year', message: 'Select a year from the list' }]);
    expect((await readCrimeAndDisorderFilter({ month: '13' }, 2025)).errors).toEqual([{ field: 'month', message: 'Select a month from the list' }]);
    expect((await readCrimeAndDisorderFilter({ year: ['2024', 'x'] }, 2025)).year).toBe(2024);
  });
});

describe('the funded projects', () => {
  const choices = { fundCodes: new Set(['ACF', 'VF']), areaCodes: new Set(areaNames.keys()), categoryCodes: new Set(['youth_sport']) };

  it('reads the filters, and refuses values that are not ours, in the form’s order', async () => {
    const ok = await readFundedProjectsFilter({ fund: 'ACF', year: '2026', area: 'E08000028', category: 'youth_sport', q: '  box ', page: '2' }, choices);
    expect(ok.filters).toEqual({ fundCode: 'ACF', year: 2026, areaOnsCode: 'E08000028', category: 'youth_sport', q: 'box' });
    expect(ok).toMatchObject({ page: 2, limit: 50, errors: [] });
    const bad = await readFundedProjectsFilter({ category: 'nope', area: 'E99999999', fund: 'XYZ', year: '1999', page: '-1' }, choices);
    expect(bad.errors.map((e) => e.field)).toEqual(['fund', 'year', 'area', 'category']);
    expect(bad.page).toBe(1);
  });

  it('links each project with the list’s address, and shows the areas the project works in', async () => {
    const filter = await readFundedProjectsFilter({ fund: 'ACF' }, choices);
    const view = fundedProjectsView({
      filter,
      facets: { years: [2026], crimeAndDisorderYears: [2026], categories: [{ code: 'youth_sport', name: 'Sport' }] },
      funds: [{ code: 'ACF', name: 'Active Citizens Fund' }],
      areaNames,
      items: [grant({ areasServed: ['E08000025', 'E99999999'] })],
      total: 1,
    });
    expect(view.items[0]).toMatchObject({
      href: '/funded-projects/3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f?returnTo=%2Ffunded-projects%3Ffund%3DACF',
      areas: 'Birmingham',
    });
    expect(view.fundItems.find((i) => i.value === 'ACF')!.selected).toBe(true);
    const page = fundedProjectView({ grant: grant(), areaNames, paidPence: 0, returnTo: 'https://evil.example' });
    expect(page).toMatchObject({ backHref: '/funded-projects', areas: 'Sandwell', decisionHref: '/decisions/004-2026', paid: '£0' });
  });
});
