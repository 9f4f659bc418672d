import { seedDemoData } from '../../src/demo/seed';
import { startTestApp, type TestApp } from '../support/test-app';

describe('demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('loads both funds and the seven West Midlands areas, once', async () => {
    expect(await seedDemoData(t.app)).toEqual({ programmesCreated: 2, areasCreated: 7 });
    expect(await seedDemoData(t.app)).toEqual({ programmesCreated: 0, areasCreated: 0 });
    const programmes = await t.dataSource.query(`SELECT code, funding_source FROM fund_programme ORDER BY code`);
    expect(programmes).toEqual([
      { code: 'ACF', funding_source: 'proceeds_of_crime_act' },
      { code: 'VF', funding_source: 'moj_victims_grant' },
    ]);
    const areas = await t.dataSource.query(`SELECT name FROM local_authority_area ORDER BY name`);
    expect(areas.map((a: { name: string }) => a.name)).toEqual(['Birmingham', 'Coventry', 'Dudley', 'Sandwell', 'Solihull', 'Walsall', 'Wolverhampton']);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action IN ('fund_programme.created', 'local_authority_area.created')`);
    expect(n).toBe(9);
  });

  it('says what the Active Citizens Fund cannot pay for', async () => {
    const [acf] = await t.dataSource.query(`SELECT exclusions FROM fund_programme WHERE code = 'ACF'`);
    expect(acf.exclusions.join(' ')).toMatch(/police officers/);
  });
});
