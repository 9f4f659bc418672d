import {
  exclusiveCloseInstant,
  formatLondonDateTime,
  fromLondonLocal,
  LondonTimeError,
  londonIsoDate,
  londonOffsetMinutes,
  parseLondonDateTime,
} from '@pcc/london-time';

describe('London time', () => {
  it('gives the London calendar day of an instant as an ISO date, across midnight in summer time', () => {
    expect(londonIsoDate(new Date('2027-06-30T22:59:59Z'))).toBe('2027-06-30');
    expect(londonIsoDate(new Date('2027-06-30T23:00:00Z'))).toBe('2027-07-01');
    expect(londonIsoDate(new Date('2027-01-05T23:59:59Z'))).toBe('2027-01-05');
  });

  it('reads winter times as GMT and summer times as BST', () => {
    expect(parseLondonDateTime('2027-01-17T23:59').toISOString()).toBe('2027-01-17T23:59:00.000Z');
    expect(parseLondonDateTime('2027-07-01T12:00').toISOString()).toBe('2027-07-01T11:00:00.000Z');
    expect(londonOffsetMinutes(new Date('2027-01-01T00:00:00Z'))).toBe(0);
    expect(londonOffsetMinutes(new Date('2027-07-01T00:00:00Z'))).toBe(60);
  });

  it('handles the day the clocks go forward (28 March 2027)', () => {
    expect(parseLondonDateTime('2027-03-28T00:59').toISOString()).toBe('2027-03-28T00:59:00.000Z');
    expect(parseLondonDateTime('2027-03-28T02:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(() => parseLondonDateTime('2027-03-28T01:30')).toThrow(LondonTimeError);
  });

  it('resolves the repeated hour when the clocks go back (31 October 2027) to the earlier, BST, reading', () => {
    expect(parseLondonDateTime('2027-10-31T01:30').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(parseLondonDateTime('2027-10-31T02:30').toISOString()).toBe('2027-10-31T02:30:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    expect(() => fromLondonLocal({ year: 2027, month: 2, day: 30, hour: 12, minute: 0 })).toThrow(LondonTimeError);
    expect(() => parseLondonDateTime('17/01/2027 23:59')).toThrow(LondonTimeError);
  });

  it('makes the closing minute inclusive', () => {
    const closes = parseLondonDateTime('2027-01-17T23:59');
    expect(exclusiveCloseInstant(closes).toISOString()).toBe('2027-01-18T00:00:00.000Z');
  });

  it('writes dates and times in GOV.UK style', () => {
    expect(formatLondonDateTime(parseLondonDateTime('2027-01-17T23:59'))).toBe('11:59pm on Sunday 17 January 2027');
    expect(formatLondonDateTime(parseLondonDateTime('2027-07-01T12:00'))).toBe('midday on Thursday 1 July 2027');
    expect(formatLondonDateTime(parseLondonDateTime('2027-07-02T00:00'))).toBe('midnight on Friday 2 July 2027');
    expect(formatLondonDateTime(parseLondonDateTime('2027-07-01T09:30'))).toBe('9:30am on Thursday 1 July 2027');
  });
});
