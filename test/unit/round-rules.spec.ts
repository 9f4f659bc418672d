import { pence } from '@pcc/money';
import type { AreasService } from '../../src/modules/areas';
import type { FundingRound } from '../../src/modules/funds/entities/funding-round.entity';
import { RoundsService, type RoundInput } from '../../src/modules/funds/rounds.service';
import type { Clock } from '../../src/platform/clock';
import { ValidationFailedException } from '../../src/platform/errors/app-exception';
import type { DataSource } from 'typeorm';

/**
 * The round rules that need neither a database nor the application: the round's status at an
 * instant, the eligibility checker and the cross-field rules of `validate`. The service is built
 * with a fixed clock; its database and areas are never touched by these methods.
 */
const NOW = new Date('2030-03-10T12:00:00Z');
const clock = { now: () => new Date(NOW) } as Clock;
const rounds = new RoundsService(undefined as unknown as DataSource, clock, undefined as unknown as AreasService);

function round(overrides: Partial<FundingRound> = {}): FundingRound {
  return {
    state: 'published',
    opensAt: new Date('2030-03-01T09:00:00Z'),
    // 11:59pm London time (BST) on 15 April: the minute is inclusive.
    closesAt: new Date('2030-04-15T22:59:00Z'),
    minGrantPence: pence(100_000),
    maxGrantPence: pence(2_000_000),
    eligibleOrgTypes: [],
    eligibleAreas: [],
    ...overrides,
  } as FundingRound;
}

function input(overrides: Partial<RoundInput> = {}): RoundInput {
  return {
    programmeId: '00000000-0000-4000-8000-000000000001',
    name: 'Victims Fund 9',
    referencePrefix: 'VF9',
    summary: 'A round',
    opensAt: new Date('2030-03-01T09:00:00Z'),
    closesAt: new Date('2030-04-15T22:59:00Z'),
    totalBudgetPence: 10_000_000,
    minGrantPence: 100_000,
    maxGrantPence: 2_000_000,
    categories: [
      { code: 'hate_crime', name: 'Victims of hate crime' },
      { code: 'other', name: 'Other victims' },
    ],
    ringFences: [{ name: 'Hate crime', amountPence: 5_000_000, category: 'hate_crime' }],
    criteria: [{ name: 'Need', weight: 3, scaleMin: 0, scaleMax: 5 }],
    form: {
      sections: [
        {
          id: 'funding',
          title: 'Funding',
          questions: [
            { id: 'amountRequested', type: 'money', label: 'How much?', required: true },
            { id: 'category', type: 'single_choice', label: 'Which work?', required: true },
          ],
        },
      ],
    },
    ...overrides,
  };
}

/** The `field rule` pairs validate throws, or [] when it accepts the input. */
function problems(i: RoundInput): string[] {
  try {
    rounds.validate(i);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationFailedException);
    const e = err as ValidationFailedException;
    expect(e.status).toBe(400);
    return (e.details ?? []).map((d) => `${d.field} ${d.rule}`);
  }
}

describe('round status', () => {
  it('is draft until published, whatever the dates', () => {
    expect(rounds.statusOf(round({ state: 'draft' }))).toBe('draft');
    expect(rounds.statusOf(round({ state: 'draft' }), new Date('2031-01-01T00:00:00Z'))).toBe('draft');
  });

  it('is upcoming before it opens, open from the opening instant, and uses the clock when no instant is given', () => {
    const r = round();
    expect(rounds.statusOf(r, new Date('2030-03-01T08:59:59.999Z'))).toBe('upcoming');
    expect(rounds.statusOf(r, new Date('2030-03-01T09:00:00Z'))).toBe('open');
    expect(rounds.statusOf(r)).toBe('open');
    expect(rounds.statusOf(round({ opensAt: new Date('2030-03-11T00:00:00Z') }))).toBe('upcoming');
  });

  it('stays open to the end of its closing minute, and is closed from the next', () => {
    const r = round();
    expect(rounds.statusOf(r, new Date('2030-04-15T22:59:59.999Z'))).toBe('open');
    expect(rounds.statusOf(r, new Date('2030-04-15T23:00:00Z'))).toBe('closed');
  });
});

describe('round eligibility checker', () => {
  it('finds nothing wrong when the round has no limits and the amount is within the range', () => {
    expect(rounds.eligibilityProblems(round(), { organisationType: 'registered_charity', areaOnsCode: 'E08000025', amountPence: 100_000 })).toEqual([]);
    expect(rounds.eligibilityProblems(round(), { amountPence: 2_000_000 })).toEqual([]);
    expect(rounds.eligibilityProblems(round(), { amountPence: null })).toEqual([]);
  });

  it('names each problem in words an applicant understands', () => {
    const limited = round({ eligibleOrgTypes: ['registered_charity'], eligibleAreas: ['E08000026'] });
    expect(rounds.eligibilityProblems(limited, { organisationType: 'cic', areaOnsCode: 'E08000025', amountPence: 99_999 })).toEqual([
      { field: 'organisationType', rule: 'eligibleOrgType', message: 'This fund is not open to your type of organisation' },
      { field: 'area', rule: 'eligibleArea', message: 'This round is not open to organisations in your area' },
      { field: 'amountRequested', rule: 'min', message: 'The smallest grant you can ask for is £1,000' },
    ]);
    expect(rounds.eligibilityProblems(limited, { organisationType: 'registered_charity', areaOnsCode: 'E08000026', amountPence: 2_000_001 })).toEqual([
      { field: 'amountRequested', rule: 'max', message: 'The largest grant you can ask for is £20,000' },
    ]);
  });

  it('refuses organisations outside the force area, in place of the area rule', () => {
    expect(rounds.eligibilityProblems(round({ eligibleAreas: ['E08000026'] }), { outsideForceArea: true, areaOnsCode: 'E08000025' })).toEqual([
      { field: 'area', rule: 'inForceArea', message: 'This fund is for organisations based in the West Midlands' },
    ]);
  });
});

describe('round cross-field rules (validate)', () => {
  it('accepts a consistent round', () => {
    expect(problems(input())).toEqual([]);
  });

  it('needs the close after the opening', () => {
    expect(problems(input({ closesAt: new Date('2030-03-01T09:00:00Z') }))).toEqual(['closesAt afterOpens']);
    expect(problems(input({ closesAt: new Date('2030-02-01T09:00:00Z') }))).toEqual(['closesAt afterOpens']);
    // Dates the form could not read are the DTO's to report, not this rule's.
    expect(problems(input({ closesAt: new Date('nonsense') }))).toEqual([]);
  });

  it('keeps the largest grant between the smallest and the budget', () => {
    expect(problems(input({ minGrantPence: 3_000_000 }))).toEqual(['maxGrantPence atLeastMin']);
    expect(problems(input({ maxGrantPence: 10_000_001 }))).toEqual(['maxGrantPence withinBudget']);
    expect(problems(input({ maxGrantPence: 10_000_000 }))).toEqual([]);
    expect(problems(input({ minGrantPence: Number.NaN }))).toEqual([]);
  });

  it('refuses a category listed twice', () => {
    const categories = [...input().categories, { code: 'other', name: 'Other again' }];
    expect(problems(input({ categories }))).toEqual(['categories.2.code unique']);
  });

  it('allows one ring-fence per category, only for the round’s categories, together within the budget', () => {
    expect(problems(input({ ringFences: [{ name: 'X', amountPence: 1, category: 'burglary' }] }))).toEqual(['ringFences.0.category isIn']);
    expect(
      problems(
        input({
          ringFences: [
            { name: 'A', amountPence: 1, category: 'other' },
            { name: 'B', amountPence: 1, category: 'other' },
          ],
        }),
      ),
    ).toEqual(['ringFences.1.category unique']);
    const over = input({
      ringFences: [
        { name: 'A', amountPence: 6_000_000, category: 'hate_crime' },
        { name: 'B', amountPence: 4_000_001, category: 'other' },
      ],
    });
    expect(problems(over)).toEqual(['ringFences withinBudget']);
    try {
      rounds.validate(over);
    } catch (err) {
      expect((err as ValidationFailedException).details![0].message).toBe('Ring-fences add up to £100,000.01, more than the budget of £100,000');
    }
  });

  it('needs the top of each scoring scale above its bottom (0 to 5 when not given)', () => {
    expect(problems(input({ criteria: [{ name: 'Need', weight: 1, scaleMin: 3, scaleMax: 3 }] }))).toEqual(['criteria.0.scaleMax aboveMin']);
    expect(problems(input({ criteria: [{ name: 'Need', weight: 1, scaleMin: 5 }] }))).toEqual(['criteria.0.scaleMax aboveMin']);
    expect(problems(input({ criteria: [{ name: 'Need', weight: 1, scaleMax: 1 }] }))).toEqual([]);
  });

  it('includes the form definition’s own rules, and reports every problem at once', () => {
    const broken = input({ form: { sections: [] }, minGrantPence: 3_000_000, closesAt: new Date('2030-01-01T00:00:00Z') });
    expect(problems(broken)).toEqual(['closesAt afterOpens', 'maxGrantPence atLeastMin', 'form.sections amountQuestion', 'form.sections categoryQuestion']);
  });

  it('copes with input of any shape without throwing anything but the validation error', () => {
    const odd = input({ categories: 'none' as never, ringFences: [null as never, 5 as never], criteria: [null as never] });
    expect(problems(odd)).toEqual([]);
  });
});
