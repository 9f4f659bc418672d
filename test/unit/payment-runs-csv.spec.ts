import fc from 'fast-check';
import { formatSortCode, paymentRunCsv, PAYMENT_RUN_CSV_HEADER, poundsForImport, runNumber } from '../../src/modules/payments/payment-runs-csv';
import { financialYear, normaliseBankAccount } from '../../src/modules/payments/payments.service';
import { ValidationFailedException } from '../../src/platform/errors/app-exception';

describe('a payment run’s CSV for the finance system', () => {
  const line = {
    payee: 'Hope Community Group',
    sortCode: '309430',
    accountNumber: '00733445',
    amountPence: 125_050,
    reference: 'VF7-0012-1',
    grant: 'VF7-0012',
    costCentre: 'PCC-VS-4410',
    run: 'PR-0003',
    paymentId: '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e',
  };

  it('has the documented columns, in order, then one line per payment', () => {
    const csv = paymentRunCsv([line]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      PAYMENT_RUN_CSV_HEADER.join(','),
      'Hope Community Group,30-94-30,00733445,1250.50,VF7-0012-1,VF7-0012,PCC-VS-4410,PR-0003,5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e',
      '',
    ]);
  });

  it('never lets a payee’s name run as a formula, and quotes commas and quotes', () => {
    for (const evil of ['=1+1', '+44 121 496 0000', '-2', '@SUM(A1)', '\tTab', '\rReturn'])
      expect(
        paymentRunCsv([{ ...line, payee: evil }])
          .split('\r\n')[1]
          .startsWith(evil.includes('\r') ? `"'` : `'`),
      ).toBe(true);
    expect(paymentRunCsv([{ ...line, payee: 'Smith, Jones & "Co"' }]).split('\r\n')[1]).toMatch(/^"Smith, Jones & ""Co""",/);
    // Whatever the payee, the line still has nine cells once parsed.
    fc.assert(
      fc.property(fc.string(), (payee) => {
        const row = paymentRunCsv([{ ...line, payee }])
          .slice(1)
          .split('\r\n')
          .slice(1)
          .join('\r\n');
        const cells = parseCsvRow(row.replace(/\r\n$/, ''));
        expect(cells).toHaveLength(9);
        // Exactly the payee, with an apostrophe in front only when it would otherwise start a formula.
        expect(cells[0]).toBe(/^[=+\-@\t\r]/.test(payee) ? `'${payee}` : payee);
      }),
    );
  });

  it('writes pounds with two decimals, sort codes with hyphens, runs with four digits', () => {
    expect([poundsForImport(1), poundsForImport(100), poundsForImport(123_456_78)]).toEqual(['0.01', '1.00', '123456.78']);
    expect(formatSortCode('012345')).toBe('01-23-45');
    expect(runNumber(7)).toBe('PR-0007');
  });
});

describe('bank account numbers as people type them', () => {
  const refused = (input: { accountName: string; sortCode: string; accountNumber: string }) => {
    try {
      normaliseBankAccount(input);
      return [];
    } catch (err) {
      if (!(err instanceof ValidationFailedException)) throw err;
      return (err.details ?? []).map((d) => d.message);
    }
  };
  it('accepts spaces and hyphens, pads short account numbers to eight digits', () => {
    expect(normaliseBankAccount({ accountName: ' Hope ', sortCode: '30 94-30', accountNumber: '733 445' })).toEqual({
      accountName: 'Hope',
      sortCode: '309430',
      accountNumber: '00733445',
    });
  });
  it('names each problem in GOV.UK words', () => {
    expect(refused({ accountName: '', sortCode: '', accountNumber: '' })).toEqual([
      'Enter the name on the account',
      'Enter a sort code',
      'Enter an account number',
    ]);
    expect(refused({ accountName: 'A', sortCode: '3094301', accountNumber: '123456789' })).toEqual([
      'Enter a valid sort code like 309430',
      'Account number must be between 6 and 8 digits',
    ]);
    expect(refused({ accountName: 'A', sortCode: '30943O', accountNumber: '1234567-' })).toEqual([
      'Enter a valid sort code like 309430',
      'Enter a valid account number like 00733445',
    ]);
  });
});

describe('the financial year (April to March)', () => {
  it('starts on 1 April', () => {
    expect(financialYear('2026-03-31')).toBe('2025-26');
    expect(financialYear('2026-04-01')).toBe('2026-27');
    expect(financialYear('2099-12-31')).toBe('2099-00');
  });
});

/** A minimal RFC 4180 row parser for the test's own check. */
function parseCsvRow(row: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= row.length) {
    if (row[i] === '"') {
      let value = '';
      i++;
      while (i < row.length) {
        if (row[i] === '"' && row[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (row[i] === '"') {
          i++;
          break;
        } else value += row[i++];
      }
      cells.push(value);
      i++; // the comma
    } else {
      const end = row.indexOf(',', i);
      cells.push(row.slice(i, end === -1 ? row.length : end));
      i = end === -1 ? row.length + 1 : end + 1;
    }
  }
  return cells;
}
