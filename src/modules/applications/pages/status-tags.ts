import type { ApplicationStatus } from '../entities/application.entity';

/**
 * An application's status as a GOV.UK tag, the same words everywhere: the applicant's pages, the
 * staff pages and the CSV export's status column.
 */
export const APPLICATION_STATUS_TAGS: Record<ApplicationStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted', classes: '' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--orange' },
  eligible: { text: 'Eligible', classes: 'govuk-tag--green' },
  ineligible: { text: 'Not eligible', classes: 'govuk-tag--red' },
};
