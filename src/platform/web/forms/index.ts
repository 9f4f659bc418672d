/**
 * The forms toolkit: what every page handler that takes a posted form uses.
 *
 * A handler reads the body into the use case's DTO, re-renders with the problems, or calls the
 * service and maps the details of the service's error back onto the form:
 *
 *   const { value, errors } = await readForm(InviteStaffDto, req.body);
 *   if (errors.length) return res.status(400).render('…/invite.njk', { values: req.body, ...errorView(errors) });
 *   try { await this.users.invite(value); } catch (err) {
 *     if (err instanceof AppException && err.details) return res.status(err.status).render(…, { ...errorView(err.details) });
 *     throw err;
 *   }
 *   return res.redirect(303, '…');
 *
 * A form whose fields are not the DTO's own (a date in three boxes, pounds for pence, a list one
 * per line) has a mapper in the module's `pages/<thing>-form.ts`, built from the inputs here
 * (`londonDateTimeFromForm`, `poundsFromForm`, `str`), that gives the DTO and `FormError`s; the
 * DTO is then validated like the API's. Templates show `errorList` with `govukErrorSummary` and
 * `errorFor.<field>` as a component's `errorMessage`; `views/forms.njk` shows a field's problems
 * one per line.
 */
export { type ErrorSummaryView, type FieldErrorView, type FormError, errorView } from './form-errors';
export { type FormResult, readForm } from './read-form';
export { firstQueryValues, str, strings } from './fields';
export { dayFromForm, londonDateTimeFromForm, londonDateTimeValues, londonTimestamp } from './london-date-time';
export { penceForInput, poundsFromForm } from './pounds';
export { escapeHtml } from './escape-html';
export { refusedOnForm } from './refused';
