import { PassThrough } from 'node:stream';
import type { Response } from 'express';
import { applicationsTable, areaLabel, CSV_HEADER } from '../../src/modules/applications/applications-csv';
import { sendTable } from '../../src/platform/web/table-export';
import { csvCell, csvLine } from '../../src/platform/web/csv';
import type { ApplicationRow } from '../../src/modules/applications/applications.service';
import type { FundingRound } from '../../src/modules/funds';
import type { Organisation } from '../../src/modules/identity';

describe('CSV cells', () => {
  it('leaves plain text, numbers and empty values as they are', () => {
    expect(csvCell('Aston Neighbours')).toBe('Aston Neighbours');
    expect(csvCell(12500.5)).toBe('12500.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('Women’s Refuge é')).toBe('Women’s Refuge é');
  });

  it('neutralises text a spreadsheet would run as a formula with a leading apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","Click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(csvCell('+1+1')).toBe(`'+1+1`);
    expect(csvCell('-2+3')).toBe(`'-2+3`);
    expect(csvCell('@SUM(A1:A9)')).toBe(`'@SUM(A1:A9)`);
    expect(csvCell('\tcmd')).toBe(`'\tcmd`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    // Only at the start: a formula character later on is harmless text.
    expect(csvCell('A = B')).toBe('A = B');
    expect(csvCell('email@example.org')).toBe('email@example.org');
  });

  it('quotes a cell holding a quote, a comma or a line break, doubling its quotes (RFC 4180)', () => {
    expect(csvCell('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(csvCell('The "Hub"')).toBe('"The ""Hub"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('joins a line with commas and ends it with CRLF', () => {
    expect(csvLine(['a', 'b,c', null, '=x'])).toBe(`a,"b,c",,'=x\r\n`);
    expect(csvLine([])).toBe('\r\n');
  });
});

describe('the applications export', () => {
  const org = (overrides: Partial<Organisation> = {}) =>
    ({
      name: 'Aston Neighbours, Together',
      orgId: '360G-PCC-ABC',
      charityNumber: null,
      companyNumber: '01234567',
      areaOnsCode: 'E08000025',
      outsideForceArea: false,
      areaDescription: null,
      ...overrides,
    }) as unknown as Organisation;

  it('names the area, or says the organisation is outside the West Midlands', () => {
    const names = new Map([['E08000025', 'Birmingham']]);
    expect(areaLabel(org(), names)).toBe('Birmingham');
    expect(areaLabel(org({ areaOnsCode: 'E99999999' }), names)).toBe('E99999999');
    expect(areaLabel(org({ areaOnsCode: null }), names)).toBe('');
    expect(areaLabel(org({ outsideForceArea: true, areaDescription: 'Stafford' }), names)).toBe('Outside the West Midlands (Stafford)');
    expect(areaLabel(org({ outsideForceArea: true }), names)).toBe('Outside the West Midlands');
  });

  /** sendTable's output and headers, written to a stream standing in for the response. */
  async function download(table: Parameters<typeof sendTable>[2]): Promise<{ headers: Record<string, string>; body: string }> {
    const headers: Record<string, string> = {};
    const res = new PassThrough();
    const fake = Object.assign(res, {
      status: () => fake,
      setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    }) as unknown as Response;
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => res.on('end', resolve));
    await sendTable(fake, 'csv', table);
    await ended;
    return { headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  it('writes a BOM, the header and one line per application, with London times and amounts in pounds', async () => {
    const round = { referencePrefix: 'VF7', categories: [{ code: 'hate_crime', name: 'Victims of hate crime' }] } as unknown as FundingRound;
    const rows = [
      {
        application: {
          id: 'a1',
          reference: 'VF7-0001',
          category: 'hate_crime',
          amountRequestedPence: 1_250_050,
          status: 'submitted',
          // 10:30 UTC in June is 11:30 in London (BST).
          submittedAt: new Date('2030-06-01T10:30:00Z'),
          screeningReason: null,
          duplicateFlags: [
            { applicationId: 'a2', reason: 'same bank account' },
            { applicationId: 'a3', reason: 'same title' },
          ],
        },
        organisation: org(),
      },
      {
        application: {
          id: 'a2',
          reference: null,
          category: 'unknown_code',
          amountRequestedPence: null,
          status: 'draft',
          submittedAt: null,
          screeningReason: '=cmd|calc',
          duplicateFlags: [],
        },
        organisation: org({ name: '@Group', companyNumber: null, charityNumber: '1100001' }),
      },
    ] as unknown as ApplicationRow[];
    const references = new Map<string, string | null>([
      ['a1', 'VF7-0001'],
      ['a2', null],
      ['a3', 'VF7-0003'],
    ]);
    // 23:30 UTC on 31 December is still 31 December in London (GMT): the file is named by the London date.
    const { headers, body } = await download(
      applicationsTable({ round, areaNames: new Map([['E08000025', 'Birmingham']]), now: new Date('2030-12-31T23:30:00Z') }, [{ rows, references }]),
    );
    expect(headers['content-disposition']).toBe('attachment; filename="VF7-applications-2030-12-31.csv"');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const lines = body.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[0]).toBe(
      'Reference,Organisation,Organisation identifier,Charity number,Company number,Area,Category,Amount requested (£),Status,Submitted at (London time),Screening reason,Duplicate flags',
    );
    expect(lines[1]).toBe(
      'VF7-0001,"Aston Neighbours, Together",360G-PCC-ABC,,01234567,Birmingham,Victims of hate crime,12500.50,Submitted,2030-06-01 11:30:00,,' +
        'draft a2 (same bank account); VF7-0003 (same title)',
    );
    expect(lines[2]).toBe(`,'@Group,360G-PCC-ABC,1100001,,Birmingham,unknown_code,,Draft,,'=cmd|calc,`);
  });
});
