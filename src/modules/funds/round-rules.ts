import { formatPounds } from '@pcc/money';
import type { FieldError } from '../../platform/errors/app-exception';
import { validateFormDefinition } from './form-definition';
import { scheduleProblems } from './payment-schedule';
import type { RoundInput } from './rounds.service';

/**
 * The rules that compare one setting of a round with another: close after open, the largest grant
 * at least the smallest and within the budget, ring-fences for the round's own categories and
 * within the budget, and the form definition's rules. Each field's own type, format and bounds are
 * RoundInputDto's. RoundsService.validate enforces these on every save; the staff form runs them
 * too, beside the DTO's rules, so a fund manager sees every problem at once rather than one
 * screenful after another. So it copes with any input without throwing: values the form could
 * not read arrive as NaN, invalid dates or odd shapes.
 */
export function roundRuleProblems(input: RoundInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, rule: string, message: string) => errors.push({ field, rule, message });
  const isPence = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const isInstant = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());
  const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

  if (isInstant(input.opensAt) && isInstant(input.closesAt) && input.closesAt <= input.opensAt)
    add('closesAt', 'afterOpens', 'The round must close after it opens');
  if (isInstant(input.closesAt) && isInstant(input.scoringClosesAt) && input.scoringClosesAt <= input.closesAt)
    add('scoringClosesAt', 'afterCloses', 'Scores must be due after the round closes');
  const { totalBudgetPence: budget, minGrantPence: min, maxGrantPence: max } = input;
  if (isPence(min) && isPence(max) && max < min) add('maxGrantPence', 'atLeastMin', 'The largest grant must be at least the smallest');
  if (isPence(max) && isPence(budget) && max > budget) add('maxGrantPence', 'withinBudget', 'The largest grant cannot be more than the budget');

  const categories = list(input.categories);
  const codes = new Set<string>();
  categories.forEach((c, i) => {
    const code = c?.code;
    if (typeof code !== 'string') return;
    if (codes.has(code)) add(`categories.${i}.code`, 'unique', `Category "${code}" is listed twice`);
    codes.add(code);
  });

  // One ring-fence per category and per area (the database has unique constraints too), each for
  // one of the round's categories or one area, never both, and together no more than the budget.
  let fenced = 0;
  const fencedCategories = new Set<string>();
  const fencedAreas = new Set<string>();
  list(input.ringFences).forEach((rf, i) => {
    if (!rf || typeof rf !== 'object') return;
    const byCategory = typeof rf.category === 'string';
    const byArea = typeof rf.areaOnsCode === 'string';
    if (byCategory === byArea) add(`ringFences.${i}`, 'categoryOrArea', 'A ring-fence is for one category or one area: give one of the two');
    if (byArea) {
      if (fencedAreas.has(rf.areaOnsCode!))
        add(`ringFences.${i}.areaOnsCode`, 'unique', 'There is already a ring-fence for this area; an area can have only one');
      fencedAreas.add(rf.areaOnsCode!);
    }
    if (byCategory && typeof rf.category === 'string') {
      if (!codes.has(rf.category)) add(`ringFences.${i}.category`, 'isIn', 'A ring-fence must name one of the round’s categories');
      else if (fencedCategories.has(rf.category))
        add(`ringFences.${i}.category`, 'unique', `There is already a ring-fence for "${rf.category}"; a category can have only one`);
      fencedCategories.add(rf.category);
    }
    if (isPence(rf.amountPence)) fenced += rf.amountPence;
  });
  if (isPence(budget) && fenced > budget)
    add('ringFences', 'withinBudget', `Ring-fences add up to ${formatPounds(fenced)}, more than the budget of ${formatPounds(budget)}`);

  list(input.criteria).forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const lo = c.scaleMin ?? 0;
    const hi = c.scaleMax ?? 5;
    if (Number.isFinite(lo) && Number.isFinite(hi) && hi <= lo) add(`criteria.${i}.scaleMax`, 'aboveMin', 'The top of the scale must be above the bottom');
  });

  errors.push(...scheduleProblems(input.paymentSchedule));
  errors.push(...validateFormDefinition(input.form));
  return errors;
}
