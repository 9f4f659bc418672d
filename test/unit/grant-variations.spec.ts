import { pence } from '@pcc/money';
import type { GrantVariation } from '../../src/modules/grants/entities/grant-variation.entity';
import { describeChanges } from '../../src/modules/grants/grant-variations.service';
import { readVariationForm, variationFormValues } from '../../src/modules/grants/pages/variation-form';
import { changeLines, grantVariationsView } from '../../src/modules/grants/pages/variation-views';

function variation(overrides: Partial<GrantVariation> = {}): GrantVariation {
  return {
    id: '5f0c7a52-9d7e-4f7c-9a39-0a6f3f0f6b1e',
    grantId: '0b5f3c1e-8d2a-4c7b-9e6f-1a2b3c4d5e6f',
    number: 2,
    newAmountPence: null,
    newEndsOn: null,
    newPurpose: null,
    reason: 'The venue closed',
    amountBeforePence: pence(1_000_00),
    amountAfterPence: null,
    status: 'proposed',
    proposedBy: 'a1b2c3d4-0000-4000-8000-000000000001',
    proposedAt: new Date('2027-03-01T10:00:00Z'),
    decidedBy: null,
    decidedAt: null,
    decisionComments: null,
    decisionId: null,
    createdAt: new Date('2027-03-01T10:00:00Z'),
    updatedAt: new Date('2027-03-01T10:00:00Z'),
    ...overrides,
  };
}

describe('the variation form (pounds and a GOV.UK date to the API’s body)', () => {
  it('reads pounds as pence, the three date boxes as a day, and leaves blank questions out', async () => {
    const { value, errors } = await readVariationForm({
      newAmount: '1,250.50',
      'newEndsOn-day': '30',
      'newEndsOn-month': '6',
      'newEndsOn-year': '2028',
      newPurpose: '  ',
      reason: 'More families',
    });
    expect(errors).toEqual([]);
    expect(value).toMatchObject({ newAmountPence: 1_250_50, newEndsOn: '2028-06-30', reason: 'More families' });
    expect(value.newPurpose).toBeUndefined();
  });

  it('names the form’s own fields, in its order', async () => {
    const { errors } = await readVariationForm({ newAmount: 'lots', 'newEndsOn-day': '31', 'newEndsOn-month': '2', 'newEndsOn-year': '2028', reason: '' });
    expect(errors.map((e) => e.field)).toEqual(['newAmount', 'newEndsOn', 'reason']);
    const none = await readVariationForm({ reason: 'Why' });
    expect(none.errors).toEqual([expect.objectContaining({ field: 'newAmount', message: 'Enter a new amount, a new end date or a new purpose' })]);
  });

  it('shows again exactly what was typed', () => {
    expect(variationFormValues({ newAmount: '12x', 'newEndsOn-day': '1', reason: 'r' })).toMatchObject({
      newAmount: '12x',
      'newEndsOn-day': '1',
      'newEndsOn-month': '',
    });
  });
});

describe('variation views', () => {
  it('says what changes in words', () => {
    const v = variation({ newAmountPence: pence(1_400_00), newEndsOn: '2028-06-30', newPurpose: 'Coventry too' });
    expect(changeLines(v)).toEqual(['Grant: £1,000 to £1,400', 'Ends on 30 June 2028', 'Purpose: Coventry too']);
    expect(describeChanges(v, 1_000_00)).toBe('the grant from £1,000 to £1,400; the end of the grant period to 30 June 2028; what the grant is for');
  });

  it('lists a grant’s variations with their numbers and states, and offers the form only when allowed', () => {
    const view = grantVariationsView('g1', [variation({ number: 1, status: 'rejected', decisionComments: 'No' }), variation()], false);
    expect(view.rows.map((r) => [r.number, r.tag.text, r.comments])).toEqual([
      [1, 'Not approved', 'No'],
      [2, 'Waiting for a decision', null],
    ]);
    expect(view.canPropose).toBe(false);
    expect(view.proposeHref).toBe('/grants/g1/variations/new');
  });
});
