/**
 * The assessor's scoring form, read into the API's ScoresDto with the same rules, and the
 * service's checks (scale, comments at the ends of the scale, "fund in part" below the request)
 * run here too so that every problem shows at once, next to its criterion. Each criterion has a
 * `score-<id>` and a `comment-<id>` field; "Save as draft" and "Submit" post the same form.
 */
import type { Pence } from '@pcc/money';
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, penceForInput, poundsFromForm, readForm, str } from '../../../platform/web/forms';
import type { AssessmentView } from '../assessment.service';
import { scoreProblems } from '../assessment.service';
import { ScoresDto } from '../dto/assessment.dto';
import type { CriterionScale } from '../scoring';

export type ScoringCriterion = CriterionScale & { name: string };

/** What the form's fields hold, by field name. */
export type ScoresFormValues = Record<string, string>;

export interface ScoresForm {
  value: ScoresDto;
  /** "Submit" rather than "Save as draft". */
  submit: boolean;
  values: ScoresFormValues;
  errors: FormError[];
  /** The criterion of each line of `value.scores`, to put the service's `scores.<i>.…` problems back on the form. */
  lines: string[];
}

/** The saved draft in the form's fields. */
export function scoresFormValues(v: AssessmentView): ScoresFormValues {
  const values: ScoresFormValues = {
    recommendation: v.assessment.recommendation ?? '',
    recommendedAmount: penceForInput(v.assessment.recommendedAmountPence),
    comment: v.assessment.comment,
  };
  for (const s of v.scores) {
    values[`score-${s.criterionId}`] = String(s.score);
    values[`comment-${s.criterionId}`] = s.comment;
  }
  return values;
}

/**
 * Where the API's or the service's problems belong on the form. `lines` gives the criterion of
 * each saved line; the service's "score every criterion" problems (rule `required`) count the
 * round's criteria instead, so they are placed by `criteria`.
 */
export function scoresErrors(details: readonly FieldError[], lines: readonly string[], criteria: readonly ScoringCriterion[]): FormError[] {
  const byId = new Map(criteria.map((c) => [c.id, c]));
  return details.map((d) => {
    const line = /^scores\.(\d+)\.(\w+)$/.exec(d.field);
    if (line) {
      const i = Number(line[1]);
      const c = d.rule === 'required' ? criteria[i] : byId.get(lines[i] ?? '');
      if (!c) return { field: 'scores', message: d.message };
      if (d.rule === 'required') return { field: `score-${c.id}`, message: `Enter a score for ${c.name}` };
      return { field: `${line[2] === 'comment' ? 'comment' : 'score'}-${c.id}`, message: `${c.name}: ${d.message}` };
    }
    if (d.field === 'recommendedAmountPence') return { field: 'recommendedAmount', message: d.message };
    if (d.field === 'recommendation' || d.field === 'comment') return { field: d.field, message: d.message };
    return { field: criteria[0] ? `score-${criteria[0].id}` : 'recommendation', message: d.message };
  });
}

export async function readScoresForm(body: unknown, criteria: readonly ScoringCriterion[], requested: Pence | null): Promise<ScoresForm> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const submit = str(fields.action) === 'submit';
  const errors: FormError[] = [];
  const values: ScoresFormValues = {
    recommendation: str(fields.recommendation),
    recommendedAmount: str(fields.recommendedAmount),
    comment: str(fields.comment),
  };
  const scores: { criterionId: string; score: number; comment: string }[] = [];
  for (const c of criteria) {
    const typed = str(fields[`score-${c.id}`]).trim();
    const comment = str(fields[`comment-${c.id}`]);
    values[`score-${c.id}`] = typed;
    values[`comment-${c.id}`] = comment;
    if (!typed) {
      // A draft may leave a score for later, but not lose a comment written for it.
      if (submit) errors.push({ field: `score-${c.id}`, message: `Enter a score for ${c.name}` });
      else if (comment.trim()) errors.push({ field: `score-${c.id}`, message: `Enter a score for ${c.name} to save your comment on it` });
      continue;
    }
    if (!/^\d{1,3}$/.test(typed)) {
      errors.push({ field: `score-${c.id}`, message: `The score for ${c.name} must be a whole number from ${c.scaleMin} to ${c.scaleMax}` });
      continue;
    }
    scores.push({ criterionId: c.id, score: Number(typed), comment });
  }
  const recommendation = values.recommendation || undefined;
  const amountErrors: FormError[] = [];
  const recommendedAmountPence =
    recommendation === 'fund_in_part'
      ? poundsFromForm(fields.recommendedAmount, 'recommendedAmount', 'the amount you would fund', amountErrors, false)
      : undefined;
  errors.push(...amountErrors);
  const { value, errors: dtoErrors } = await readForm(ScoresDto, { scores, recommendation, recommendedAmountPence, comment: values.comment });
  const lines = scores.map((s) => s.criterionId);
  const rules = dtoErrors.length ? dtoErrors : scoreProblems(criteria, value, requested);
  if (submit && !recommendation) rules.push({ field: 'recommendation', rule: 'required', message: 'Select your recommendation' });
  if (submit && !values.comment.trim()) rules.push({ field: 'comment', rule: 'required', message: 'Enter a comment on your recommendation' });
  const mapped = scoresErrors(rules, lines, criteria).filter((e) => !(e.field === 'recommendedAmount' && amountErrors.length));
  return { value, submit, values, errors: inFormOrder([...errors, ...mapped], criteria), lines };
}

/** The error summary lists problems in the order of the fields on the page. */
function inFormOrder(errors: FormError[], criteria: readonly ScoringCriterion[]): FormError[] {
  const order = [...criteria.flatMap((c) => [`score-${c.id}`, `comment-${c.id}`]), 'recommendation', 'recommendedAmount', 'comment'];
  const rank = (e: FormError) => (order.includes(e.field) ? order.indexOf(e.field) : order.length);
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e }) => e);
}
