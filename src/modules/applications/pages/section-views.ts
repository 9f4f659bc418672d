/**
 * The GOV.UK component, with its parameters, for each question of a section; the template
 * (views/section.njk) renders them. The values are what the person typed (or what is saved).
 */
import type { FormSection } from '../../funds';
import type { ApplicationAttachment } from '../entities/application-attachment.entity';
import type { Answers } from '../entities/application.entity';
import { ACCEPTED_FILES_TEXT, MAX_UPLOAD_TEXT } from '../accepted-files';
import { type FieldErrorView, str } from '../../../platform/web/forms';
import { aboutFile } from './answer-views';
import { DATE_PARTS, type FormValues, list } from './section-form';

const ACCEPT =
  '.pdf,.docx,.xlsx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,image/png,image/jpeg';

export type FieldView =
  | { kind: 'input' | 'characterCount' | 'textarea' | 'dateInput' | 'radios' | 'checkboxes'; params: Record<string, unknown> }
  | { kind: 'fileUpload'; params: Record<string, unknown>; current?: { id: string; filename: string; href: string; about: string } }
  | { kind: 'address'; fieldset: Record<string, unknown>; errorId: string; errorMessage?: { text: string }; inputs: Record<string, unknown>[] };

/**
 * The GOV.UK component, with its parameters, for each question of a section: the values are what
 * the person typed (or what is saved), the errors are inline on the question they belong to.
 */
export function fieldViews(
  section: FormSection,
  values: FormValues,
  errorFor: Record<string, FieldErrorView>,
  files: { applicationId: string; attachments: ApplicationAttachment[]; answers: Answers },
): FieldView[] {
  return section.questions.map((q): FieldView => {
    const error = errorFor[q.id] ? { text: errorFor[q.id].text } : undefined;
    const label = { text: q.label, classes: 'govuk-label--s' };
    const legend = { text: q.label, classes: 'govuk-fieldset__legend--s' };
    const hint = q.hint ? { text: q.hint } : undefined;
    const v = str(values[q.id]);
    switch (q.type) {
      case 'short_text':
        return { kind: 'input', params: { id: q.id, name: q.id, label, hint, value: v, errorMessage: error } };
      case 'long_text':
        return q.wordLimit
          ? {
              kind: 'characterCount',
              params: { id: q.id, name: q.id, label, hint, value: v, maxlength: q.wordLimit, countType: 'words', rows: 8, errorMessage: error },
            }
          : { kind: 'textarea', params: { id: q.id, name: q.id, label, hint, value: v, rows: 8, errorMessage: error } };
      case 'number':
        return {
          kind: 'input',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint,
            value: v,
            inputmode: 'decimal',
            spellcheck: false,
            classes: 'govuk-input--width-10',
            errorMessage: error,
          },
        };
      case 'money':
        return {
          kind: 'input',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint,
            value: v,
            prefix: { text: '£' },
            inputmode: 'decimal',
            spellcheck: false,
            classes: 'govuk-input--width-10',
            errorMessage: error,
          },
        };
      case 'date': {
        // "must include a month": only the empty boxes are wrong; otherwise the whole date is.
        const missingOnly = !!error && / must include /.test(error.text);
        return {
          kind: 'dateInput',
          params: {
            id: q.id,
            namePrefix: q.id,
            fieldset: { legend },
            hint: hint ?? { text: 'For example, 27 3 2027' },
            errorMessage: error,
            items: DATE_PARTS.map((p) => ({
              name: p,
              value: str(values[`${q.id}-${p}`]),
              classes: `govuk-input--width-${p === 'year' ? 4 : 2}${error && (!missingOnly || !str(values[`${q.id}-${p}`]).trim()) ? ' govuk-input--error' : ''}`,
            })),
          },
        };
      }
      case 'yes_no':
        return {
          kind: 'radios',
          params: {
            name: q.id,
            idPrefix: q.id,
            classes: 'govuk-radios--inline',
            fieldset: { legend },
            hint,
            errorMessage: error,
            items: [
              { value: 'yes', text: 'Yes', checked: v === 'yes' },
              { value: 'no', text: 'No', checked: v === 'no' },
            ],
          },
        };
      case 'single_choice':
        return {
          kind: 'radios',
          params: {
            name: q.id,
            idPrefix: q.id,
            fieldset: { legend },
            hint,
            errorMessage: error,
            items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text, checked: v === o.value })),
          },
        };
      case 'multiple_choice': {
        const chosen = new Set(list(values[q.id]));
        return {
          kind: 'checkboxes',
          params: {
            name: q.id,
            idPrefix: q.id,
            fieldset: { legend },
            hint: hint ?? { text: 'Select all that apply' },
            errorMessage: error,
            items: (q.options ?? []).map((o) => ({ value: o.value, text: o.text, checked: chosen.has(o.value) })),
          },
        };
      }
      case 'address': {
        const val = (p: string) => str(values[`${q.id}-${p}`]);
        const partError = (p: string) => (error && errorFor[q.id].anchor === `${q.id}-${p}` ? ' govuk-input--error' : '');
        return {
          kind: 'address',
          fieldset: { legend, describedBy: error ? `${q.id}-error` : undefined },
          errorId: `${q.id}-error`,
          errorMessage: error,
          inputs: [
            {
              id: `${q.id}-line1`,
              name: `${q.id}-line1`,
              label: { text: 'Address line 1' },
              autocomplete: 'address-line1',
              value: val('line1'),
              classes: partError('line1').trim() || undefined,
            },
            { id: `${q.id}-line2`, name: `${q.id}-line2`, label: { text: 'Address line 2 (optional)' }, autocomplete: 'address-line2', value: val('line2') },
            {
              id: `${q.id}-town`,
              name: `${q.id}-town`,
              label: { text: 'Town or city' },
              autocomplete: 'address-level2',
              classes: `govuk-!-width-two-thirds${partError('town')}`,
              value: val('town'),
            },
            {
              id: `${q.id}-postcode`,
              name: `${q.id}-postcode`,
              label: { text: 'Postcode' },
              autocomplete: 'postal-code',
              classes: `govuk-input--width-10${partError('postcode')}`,
              value: val('postcode'),
            },
          ],
        };
      }
      case 'file': {
        const current = files.attachments.find((f) => f.id === files.answers[q.id]);
        // The kinds of file taken are always said, in the words a refusal uses, after any hint of
        // the question's own. A form's hint that gives a size ("PDF, Word …, up to 10 MB", as forms
        // made before this said it) is its own list of types: the service's replaces it.
        const allowed = `${ACCEPTED_FILES_TEXT}, up to ${MAX_UPLOAD_TEXT}`;
        const ownHint = q.hint && !/\bMB\b/.test(q.hint) ? q.hint.replace(/\.?\s*$/, '. ') : '';
        return {
          kind: 'fileUpload',
          params: {
            id: q.id,
            name: q.id,
            label,
            hint: { text: `${ownHint}${allowed}` },
            errorMessage: error,
            describedBy: current ? `${q.id}-current` : undefined,
            attributes: { accept: ACCEPT },
          },
          // The file already uploaded, said before the input by the page's template.
          current: current
            ? {
                id: `${q.id}-current`,
                filename: current.filename,
                href: `/applications/${files.applicationId}/attachments/${current.id}`,
                about: aboutFile(current),
              }
            : undefined,
        };
      }
    }
  });
}

/** How an answer reads on the check-answers page (HTML, already escaped), or null if unanswered. */
