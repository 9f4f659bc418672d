import { formatPounds, MoneyError, parsePounds, pence, penceColumnTransformer, sumPence } from '@pcc/money';

describe('money in integer pence', () => {
  it('parses amounts the way people type them', () => {
    expect(parsePounds('£200,000')).toBe(20_000_000);
    expect(parsePounds('1234.5')).toBe(123_450);
    expect(parsePounds(' 50000.00 ')).toBe(5_000_000);
    expect(parsePounds('0.01')).toBe(1);
  });

  it('refuses what is not an amount of money', () => {
    for (const bad of ['', 'abc', '12.345', '1,23', '-5', '£', '1e6', '12,34,567']) {
      expect(parsePounds(bad)).toBeNull();
    }
  });

  it('formats whole pounds without pence and part-pounds with them', () => {
    expect(formatPounds(pence(20_000_000))).toBe('£200,000');
    expect(formatPounds(pence(123_450))).toBe('£1,234.50');
    expect(formatPounds(pence(1))).toBe('£0.01');
  });

  it('refuses fractional or unsafe values instead of rounding them away', () => {
    expect(() => pence(1.5)).toThrow(MoneyError);
    expect(() => pence(Number.MAX_SAFE_INTEGER + 1)).toThrow(MoneyError);
    expect(() => pence('12.3')).toThrow(MoneyError);
  });

  it('round-trips bigint columns, which node-postgres returns as strings', () => {
    expect(penceColumnTransformer.from('5000000')).toBe(5_000_000);
    expect(penceColumnTransformer.to(pence(5_000_000))).toBe('5000000');
    expect(penceColumnTransformer.from(null)).toBeNull();
    expect(sumPence([1, 2, 3])).toBe(6);
  });
});
