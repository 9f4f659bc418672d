import {
  errorView,
  escapeHtml,
  londonDateTimeFromForm,
  londonDateTimeValues,
  penceForInput,
  poundsFromForm,
  str,
  strings,
  type FormError,
} from '../../src/platform/web/forms';

describe('forms toolkit: errorView', () => {
  it('links each problem to its field, or to the element named by href', () => {
    const view = errorView([
      { field: 'name', message: 'Enter a name' },
      { field: 'opensAt', href: 'opensAt-month', message: 'The date must include a month' },
    ]);
    expect(view.errorList).toEqual([
      { text: 'Enter a name', href: '#name' },
      { text: 'The date must include a month', href: '#opensAt-month' },
    ]);
    expect(view.errorFor.name).toEqual({ text: 'Enter a name', messages: ['Enter a name'], anchor: 'name' });
    expect(view.errorFor.opensAt.anchor).toBe('opensAt-month');
  });

  it('shows one problem per value checked by a DTO, the one about being empty first', () => {
    const view = errorView([
      { field: 'email', rule: 'isEmail', message: 'Enter an email address in the correct format' },
      { field: 'roles', rule: 'isIn', message: 'Select a role from the list' },
      { field: 'roles', rule: 'arrayNotEmpty', message: 'Select at least one role' },
      { field: 'email', rule: 'maxLength', message: 'Email is too long' },
    ]);
    // Fields keep the order of their first problem.
    expect(view.errorList).toEqual([
      { text: 'Enter an email address in the correct format', href: '#email' },
      { text: 'Select at least one role', href: '#roles' },
    ]);
    expect(view.errorFor.roles.messages).toEqual(['Select at least one role']);
  });

  it("lists every one of a page's own problems on a field, each once", () => {
    const errors: FormError[] = [
      { field: 'ringFences', message: 'Ring-fences, line 1: enter the amount in pounds' },
      { field: 'ringFences', message: 'Ring-fences, line 3: write the name' },
      { field: 'ringFences', message: 'Ring-fences, line 1: enter the amount in pounds' },
    ];
    const view = errorView(errors);
    expect(view.errorList.map((e) => e.text)).toEqual(['Ring-fences, line 1: enter the amount in pounds', 'Ring-fences, line 3: write the name']);
    expect(view.errorFor.ringFences.messages).toHaveLength(2);
    expect(view.errorFor.ringFences.text).toBe('Ring-fences, line 1: enter the amount in pounds Ring-fences, line 3: write the name');
  });

  it('is empty when there is no problem', () => {
    expect(errorView([])).toEqual({ errorList: [], errorFor: {} });
  });
});

describe('forms toolkit: London date and time inputs', () => {
  const fields = (day: string, month: string, year: string, time: string) => ({
    'opensAt-day': day,
    'opensAt-month': month,
    'opensAt-year': year,
    opensAtTime: time,
  });

  it('reads a winter date as GMT and a summer date as BST', () => {
    expect(londonDateTimeFromForm(fields('17', '1', '2027', '09:00'), 'opensAt', 'the round opens').value?.toISOString()).toBe('2027-01-17T09:00:00.000Z');
    expect(londonDateTimeFromForm(fields('6', '4', '2027', '9.30'), 'opensAt', 'the round opens').value?.toISOString()).toBe('2027-04-06T08:30:00.000Z');
  });

  it('names the missing part and links to its box', () => {
    const { value, errors } = londonDateTimeFromForm(fields('17', '', '2027', '09:00'), 'opensAt', 'the round opens');
    expect(value).toBeUndefined();
    expect(errors).toEqual([{ field: 'opensAt', href: 'opensAt-month', message: 'The date the round opens must include a month' }]);
  });

  it('refuses a date that does not exist, a 12-hour time and a time lost to the clocks going forward', () => {
    expect(londonDateTimeFromForm(fields('31', '2', '2027', '09:00'), 'opensAt', 'the round opens').errors[0].message).toBe(
      'The date the round opens must be a real date',
    );
    expect(londonDateTimeFromForm(fields('1', '2', '2027', '9pm'), 'opensAt', 'the round opens').errors).toEqual([
      { field: 'opensAtTime', message: 'Enter the time the round opens on the 24-hour clock, like 09:00 or 23:59' },
    ]);
    const gap = londonDateTimeFromForm(fields('28', '3', '2027', '01:30'), 'opensAt', 'the round opens');
    expect(gap.value).toBeUndefined();
    expect(gap.errors[0].field).toBe('opensAtTime');
  });

  it('shows an instant back in London time', () => {
    expect(londonDateTimeValues('closesAt', new Date('2027-07-01T22:59:00Z'))).toEqual({
      'closesAt-day': '1',
      'closesAt-month': '7',
      'closesAt-year': '2027',
      closesAtTime: '23:59',
    });
  });
});

describe('forms toolkit: pounds inputs', () => {
  it('reads pounds with commas, a £ sign and pence', () => {
    const errors: FormError[] = [];
    expect(poundsFromForm('£200,000', 'totalBudget', 'the total budget', errors)).toBe(20_000_000);
    expect(poundsFromForm('1,250.50', 'totalBudget', 'the total budget', errors)).toBe(125_050);
    expect(errors).toEqual([]);
  });

  it('says what is wrong, or nothing when the amount is optional', () => {
    const errors: FormError[] = [];
    expect(poundsFromForm('', 'minGrant', 'the smallest grant', errors)).toBeUndefined();
    expect(poundsFromForm('lots', 'maxGrant', 'the largest grant', errors)).toBeUndefined();
    expect(poundsFromForm('  ', 'minAmount', 'the smallest amount', errors, false)).toBeUndefined();
    expect(errors).toEqual([
      { field: 'minGrant', message: 'Enter the smallest grant' },
      { field: 'maxGrant', message: 'Enter the largest grant in pounds, like 20,000 or 1,250.50' },
    ]);
  });

  it('shows pence as someone would type them', () => {
    expect(penceForInput(20_000_000)).toBe('200,000');
    expect(penceForInput(125_050)).toBe('1,250.50');
    expect(penceForInput(null)).toBe('');
  });
});

describe('forms toolkit: field values and escapeHtml', () => {
  it('reads one value, or a list of ticked boxes', () => {
    expect(str(['first', 'second'])).toBe('first');
    expect(str(undefined)).toBe('');
    expect(str({ nested: 'x' })).toBe('');
    expect(strings('one')).toEqual(['one']);
    expect(strings(['a', 'b'])).toEqual(['a', 'b']);
    expect(strings(undefined)).toEqual([]);
  });

  it('escapes the five characters that matter in HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;');
    expect(escapeHtml('plain text')).toBe('plain text');
  });
});
