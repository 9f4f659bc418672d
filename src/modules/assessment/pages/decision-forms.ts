/**
 * The small forms of assessment's pages, each read into the API's DTO with the same rules and
 * worded for the page: the declaration of interests, a moderated score, a reason to reopen, and
 * assessors chosen for an application.
 */
import type { FieldError } from '../../../platform/errors/app-exception';
import { type FormError, readForm, str, strings } from '../../../platform/web/forms';
import { AssignmentDto, DeclarationDto, ModerationDto, ReasonDto } from '../dto/assessment.dto';

export interface PageForm<T> {
  value: T;
  values: Record<string, string | string[]>;
  errors: FormError[];
}

/** "Do you have a conflict of interest?" yes or no, and what it is. */
export async function readDeclarationForm(body: unknown): Promise<PageForm<DeclarationDto>> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const answer = str(fields.conflict);
  const values = { conflict: answer, reason: str(fields.reason) };
  if (answer !== 'yes' && answer !== 'no')
    return { value: new DeclarationDto(), values, errors: [{ field: 'conflict', message: 'Select whether you have a conflict of interest' }] };
  const conflict = answer === 'yes';
  const { value, errors } = await readForm(DeclarationDto, { conflict, ...(conflict ? { reason: values.reason } : {}) });
  // The service requires the reason with a conflict; saying so here shows it with any other problem.
  if (conflict && !values.reason.trim()) errors.push({ field: 'reason', rule: 'requiredWithConflict', message: 'Say what your conflict of interest is' });
  return { value, values, errors: declarationErrors(errors) };
}

export function declarationErrors(details: readonly FieldError[]): FormError[] {
  return details.map((d) => ({ field: d.field === 'reason' ? 'reason' : 'conflict', message: d.message }));
}

/** A moderated score typed as a percentage, and the reason for it. */
export async function readModerationForm(body: unknown): Promise<PageForm<ModerationDto>> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const values = { scorePercent: str(fields.scorePercent).trim().replace(/%$/, '').trim(), reason: str(fields.reason) };
  const { value, errors } = await readForm(ModerationDto, values);
  return { value, values, errors: moderationErrors(errors) };
}

export function moderationErrors(details: readonly FieldError[]): FormError[] {
  return details.map((d) => {
    if (d.field === 'scorePercent')
      return {
        field: 'scorePercent',
        rule: d.rule,
        message: 'Enter the moderated score as a percentage from 0 to 100, with up to 2 decimal places, like 72.5',
      };
    if (d.field === 'reason') return { field: 'reason', rule: d.rule, message: d.rule === 'maxLength' ? d.message : 'Give the reason for the moderated score' };
    return { field: 'scorePercent', message: d.message };
  });
}

/** Why a submitted assessment is being reopened. */
export async function readReopenForm(body: unknown): Promise<PageForm<ReasonDto>> {
  const values = { reason: str(((body ?? {}) as Record<string, unknown>).reason) };
  const { value, errors } = await readForm(ReasonDto, values);
  return {
    value,
    values,
    errors: errors.map((e) => ({ field: 'reason', rule: e.rule, message: e.rule === 'maxLength' ? e.message : 'Say why the assessment is being reopened' })),
  };
}

/** Assessors ticked for one application. */
export async function readAssignmentForm(body: unknown, applicationId: string): Promise<PageForm<AssignmentDto>> {
  const assessorIds = strings(((body ?? {}) as Record<string, unknown>).assessorIds);
  const values = { assessorIds };
  if (!assessorIds.length) return { value: new AssignmentDto(), values, errors: [{ field: 'assessorIds', message: 'Select at least one assessor' }] };
  const { value, errors } = await readForm(AssignmentDto, { applicationId, assessorIds });
  return { value, values, errors: assignmentErrors(errors) };
}

export function assignmentErrors(details: readonly FieldError[]): FormError[] {
  return details.map((d) => ({ field: 'assessorIds', message: d.message }));
}
