import { type FormError, poundsFromForm, readForm, str } from '../../../platform/web/forms';
import { SubmitMonitoringReportDto } from '../dto/monitoring-reports.dto';

/** The report form's own field for spend, in pounds, where the API takes pence. */
const FIELD_OF: Record<string, string> = { spendToDatePence: 'spendToDate' };

/** A field the API named, as the form's field: its problems show next to the question. */
export function reportFormField(field: string): string {
  return FIELD_OF[field] ?? field;
}

/**
 * The posted report form as the API's body, validated with the same rules: spend typed in pounds
 * ("1,250.50") becomes pence. The problems come back against the form's own fields, in its order.
 */
export async function readReportForm(body: Record<string, unknown>, reportId: string): Promise<{ value: SubmitMonitoringReportDto; errors: FormError[] }> {
  const own: FormError[] = [];
  const spend = poundsFromForm(body.spendToDate, 'spendToDate', 'how much of the grant you have spent so far', own);
  const { value, errors } = await readForm(SubmitMonitoringReportDto, {
    reportId,
    outcomes: str(body.outcomes),
    caseStudy: str(body.caseStudy),
    ...(spend === undefined ? {} : { spendToDatePence: Number(spend) }),
  });
  const order = ['outcomes', 'spendToDate', 'caseStudy'];
  const all = [...own, ...errors.filter((e) => !(e.field === 'spendToDatePence' && own.length)).map((e) => ({ ...e, field: reportFormField(e.field) }))].filter(
    (e) => order.includes(e.field),
  );
  return { value, errors: all.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) };
}

/** What the form shows again after a problem: exactly what was typed. */
export function reportFormValues(body: Record<string, unknown>) {
  return { outcomes: str(body.outcomes), spendToDate: str(body.spendToDate), caseStudy: str(body.caseStudy) };
}
