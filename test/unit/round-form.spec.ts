import { readRoundForm, roundErrorsOnForm, roundFormValues } from '../../src/modules/funds/pages/round-form';
import type { FundingRound } from '../../src/modules/funds/entities/funding-round.entity';
import type { FormDefinition } from '../../src/modules/funds/form-definition';

/*
 * The staff round form's mapper without a database: posted fields → the API's RoundInputDto and
 * the problems the fund manager sees, worded and placed on the form.
 */

const PROGRAMME = '6f1c1e0e-3b1a-4c2e-9a55-0a4b8f0c2d11';
const FORM: FormDefinition = {
  sections: [
    {
      id: 'project',
      title: 'Your project',
      questions: [
        { id: 'amountRequested', type: 'money', label: 'How much do you want?', required: true },
        { id: 'category', type: 'single_choice', label: 'Which category?', required: true },
      ],
    },
  ],
};

function fields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    _csrf: 'token',
    formMode: 'full',
    programmeId: PROGRAMME,
    name: 'Victims Fund 8',
    referencePrefix: 'VF8',
    summary: 'Grants for victims’ services',
    guidance: '',
    'opensAt-day': '4',
    'opensAt-month': '1',
    'opensAt-year': '2027',
    opensAtTime: '09:00',
    'closesAt-day': '17',
    'closesAt-month': '7',
    'closesAt-year': '2027',
    closesAtTime: '23:59',
    totalBudget: '£200,000',
    minGrant: '1,000',
    maxGrant: '20,000.50',
    eligibleOrgTypes: ['registered_charity', 'cio'],
    categories: 'hate_crime | Victims of hate crime\r\nsurvivors | Survivors | of abuse',
    ringFences: 'Hate crime | £50,000 | hate_crime',
    criteria: 'Need | 3 | 1-10 | Evidence of need',
    assessorsPerApplication: '2',
    moderationThreshold: '10',
    reminderHoursBefore: '48',
    form: JSON.stringify(FORM),
    ...overrides,
  };
}

function savedRound(overrides: Partial<FundingRound> = {}): FundingRound {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    programmeId: PROGRAMME,
    name: 'Victims Fund 7',
    referencePrefix: 'VF7',
    summary: 'Saved summary',
    guidance: 'Saved guidance',
    opensAt: new Date('2026-01-05T09:00:00Z'),
    closesAt: new Date('2027-01-17T23:59:00Z'),
    totalBudgetPence: 10_000_000,
    minGrantPence: 100_000,
    maxGrantPence: 2_000_000,
    eligibleOrgTypes: ['cio'],
    eligibleAreas: ['E08000025'],
    categories: [{ code: 'hate_crime', name: 'Victims of hate crime' }],
    ringFences: [],
    criteria: [],
    form: FORM,
    assessorsPerApplication: 2,
    moderationThreshold: 10,
    reminderHoursBefore: 48,
    state: 'published',
    ...overrides,
  } as FundingRound;
}

describe('round form: posted fields → RoundInputDto', () => {
  it('reads London times, pounds and one item per line into the API’s shape', async () => {
    const { value, errors } = await readRoundForm(fields());
    expect(errors).toEqual([]);
    expect(value.opensAt).toBe('2027-01-04T09:00:00.000Z');
    // July is British Summer Time: 23:59 in London is 22:59 UTC.
    expect(value.closesAt).toBe('2027-07-17T22:59:00.000Z');
    expect(value.totalBudgetPence).toBe(20_000_000);
    expect(value.maxGrantPence).toBe(2_000_050);
    expect(value.eligibleOrgTypes).toEqual(['registered_charity', 'cio']);
    expect(value.categories.map((c) => ({ ...c }))).toEqual([
      { code: 'hate_crime', name: 'Victims of hate crime' },
      { code: 'survivors', name: 'Survivors | of abuse' },
    ]);
    expect(value.ringFences?.map((r) => ({ ...r }))).toEqual([{ name: 'Hate crime', amountPence: 5_000_000, category: 'hate_crime' }]);
    expect(value.criteria?.map((c) => ({ ...c }))).toEqual([{ name: 'Need', weight: 3, scaleMin: 1, scaleMax: 10, guidance: 'Evidence of need' }]);
    expect(value.form.sections[0].questions.map((q) => q.id)).toEqual(['amountRequested', 'category']);
  });

  it('says what could not be read, once, worded for the field and linked to it', async () => {
    const { errors, values } = await readRoundForm(
      fields({ 'opensAt-month': '', totalBudget: 'lots', ringFences: 'Hate crime | £50,000 | hate_crime\nBroken line', form: '{ not json' }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'opensAt', href: 'opensAt-month', message: 'The date the round opens must include a month' },
        { field: 'totalBudget', message: 'Enter the total budget in pounds, like 20,000 or 1,250.50' },
        expect.objectContaining({ field: 'ringFences', message: expect.stringMatching(/^Ring-fences, line 2: write the name/) as string }),
        expect.objectContaining({ field: 'form', message: expect.stringMatching(/^Application form: the JSON is not valid/) as string }),
      ]),
    );
    // Nothing about pence or ISO dates for the fields already reported.
    expect(errors.filter((e) => e.field === 'totalBudget')).toHaveLength(1);
    expect(errors.filter((e) => e.field === 'opensAt')).toHaveLength(1);
    expect(errors.map((e) => e.message).join(' ')).not.toMatch(/pence|date and time with its time zone/);
    // What was typed is shown again as typed.
    expect(values.totalBudget).toBe('lots');
  });

  it('applies the API’s rules and the service’s cross-field rules in the same pass', async () => {
    const { errors } = await readRoundForm(
      fields({ name: '', maxGrant: '300,000', ringFences: 'Unknown | £1,000 | no_such', form: JSON.stringify({ ...FORM, colour: 'red' }) }),
    );
    const messages = errors.map((e) => `${e.field}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'name: Enter a name for the round, like Victims Fund 7',
        'maxGrant: The largest grant cannot be more than the budget',
        'ringFences: Ring-fences, line 1: A ring-fence must name one of the round’s categories',
        'form: Application form, colour: property colour should not exist',
      ]),
    );
  });
});

describe('round form: an open round’s locked settings', () => {
  const open = savedRound();

  it('takes the locked settings as saved when the page showed them read-only', async () => {
    const posted = fields({ formMode: 'open', name: 'Renamed', minGrant: '1', programmeId: 'anything', form: 'ignored' });
    const { value, errors, values } = await readRoundForm(posted, open);
    expect(errors).toEqual([]);
    expect(value.name).toBe('Renamed');
    expect(value.minGrantPence).toBe(100_000);
    expect(value.opensAt).toBe('2026-01-05T09:00:00.000Z');
    expect(value.eligibleAreas).toEqual(['E08000025']);
    // Shown again with the locked settings as saved and the rest as typed.
    expect(values.minGrant).toBe('1,000');
    expect(values.name).toBe('Renamed');
  });

  it('reads them from a page loaded before the round opened, for the service to refuse any change', async () => {
    const { value, errors } = await readRoundForm(fields({ minGrant: '750' }), open);
    expect(errors).toEqual([]);
    expect(value.minGrantPence).toBe(75_000);
  });

  it('says the page is out of date rather than complain about settings that are kept as saved', async () => {
    const { errors } = await readRoundForm(fields({ minGrant: 'lots', summary: '' }), open);
    expect(errors[0]).toEqual(
      expect.objectContaining({
        field: 'locked',
        href: 'locked-settings',
        message: expect.stringMatching(/^The round opened after this page was loaded/) as string,
      }),
    );
    expect(errors.map((e) => e.field)).toEqual(['locked', 'summary']);
  });

  it('puts the service’s refusal of a locked change against the read-only list', () => {
    const refusal = [{ field: 'minGrantPence', rule: 'lockedWhileOpen', message: 'minGrantPence cannot change once the round has opened' }];
    expect(roundErrorsOnForm(refusal, true)).toEqual([
      { field: 'locked', href: 'locked-settings', message: 'The smallest grant cannot change now the round has opened, so it has been kept as it was' },
    ]);
    expect(roundErrorsOnForm(refusal)).toEqual([
      { field: 'minGrant', message: 'The smallest grant cannot change now the round has opened, so it has been kept as it was' },
    ]);
  });
});

describe('round form: a saved round in the form’s fields', () => {
  it('shows London times, pounds and one item per line', () => {
    const values = roundFormValues(
      savedRound({ ringFences: [{ name: 'Hate crime', amountPence: 5_000_000, category: 'hate_crime' }] as FundingRound['ringFences'] }),
    );
    expect(values['closesAt-day']).toBe('17');
    expect(values.closesAtTime).toBe('23:59');
    expect(values.maxGrant).toBe('20,000');
    expect(values.categories).toBe('hate_crime | Victims of hate crime');
    expect(values.ringFences).toBe('Hate crime | £50,000 | hate_crime');
  });
});
