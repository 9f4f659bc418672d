/**
 * A problem with a page's form, and what GOV.UK's error summary and inline error messages need
 * to show it.
 */

/**
 * One problem with a posted form. A class-validator `FieldError` (from `readForm`, or the details
 * of a service's `AppException`) is already one: it names its field and the rule it broke.
 */
export interface FormError {
  /** The form field the problem is shown against: `email`, `ringFences`, a question's id. */
  field: string;
  message: string;
  /** The element the error summary jumps to, without `#`, when it is not the field itself: `opensAt-day`. */
  href?: string;
  /**
   * The validation rule the value broke (`isNotEmpty`, `isEmail`), when the problem came from a
   * DTO's rules. See `errorView` for why it matters.
   */
  rule?: string;
}

/** The inline message for one field: GOV.UK's `errorMessage` parameter, and where it links to. */
export interface FieldErrorView {
  /** Every message for the field, in order, as one line of text. */
  text: string;
  /** The same messages one by one, for a field that shows each on its own line (see views/forms.njk). */
  messages: string[];
  /** The element the first problem links to, without `#`: a date's day box, an address's town. */
  anchor: string;
}

/** What a page template needs to show a form's problems: spread it into the render's context. */
export interface ErrorSummaryView {
  /** GOV.UK error summary items; the layout also puts "Error:" before the page title when there are any. */
  errorList: { text: string; href: string }[];
  /** The inline message for each field with a problem, by field name: `errorMessage: errorFor.email`. */
  errorFor: Record<string, FieldErrorView>;
}

const PRESENCE_RULES = new Set(['isDefined', 'isNotEmpty', 'arrayNotEmpty']);

/**
 * The error summary and inline messages for a form's problems, in the order given (so sort them
 * into the page's order first).
 *
 * One value checked against a DTO's rules can break several at once: an empty email address is
 * also not an email address. Of the problems that name the `rule` they broke, a field shows only
 * the most useful one — the rule about being empty, which says what to do, else the first.
 * Problems without a rule are a page's own, each worth saying (a textarea of ring-fences can have
 * a problem on each line), so all of them are shown; the same message twice is shown once.
 */
export function errorView(errors: readonly FormError[]): ErrorSummaryView {
  const ruled = new Map<string, FormError>();
  for (const e of errors) {
    if (e.rule === undefined) continue;
    const kept = ruled.get(e.field);
    if (!kept || (PRESENCE_RULES.has(e.rule) && !PRESENCE_RULES.has(kept.rule ?? ''))) ruled.set(e.field, e);
  }
  // The kept problem takes the place of its field's first ruled one, so fields stay in order.
  const placed = new Set<string>();
  const shown: FormError[] = [];
  for (const e of errors) {
    if (e.rule === undefined) shown.push(e);
    else if (!placed.has(e.field)) {
      placed.add(e.field);
      shown.push(ruled.get(e.field) ?? e);
    }
  }

  const seen = new Set<string>();
  const errorList: ErrorSummaryView['errorList'] = [];
  const errorFor: ErrorSummaryView['errorFor'] = {};
  for (const e of shown) {
    const anchor = e.href ?? e.field;
    if (seen.has(`${anchor} ${e.message}`)) continue;
    seen.add(`${anchor} ${e.message}`);
    errorList.push({ text: e.message, href: `#${anchor}` });
    const view = (errorFor[e.field] ??= { text: '', messages: [], anchor });
    view.messages.push(e.message);
    view.text = view.messages.join(' ');
  }
  return { errorList, errorFor };
}
