import type { RoundStatus } from './rounds.service';

/**
 * How staff pages show a round's status: the GOV.UK tag's words and colour. The one map for every
 * page that lists or shows rounds (other modules import it through the funds index).
 */
export const ROUND_STATUS_TAGS: Record<RoundStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  upcoming: { text: 'Upcoming', classes: 'govuk-tag--yellow' },
  open: { text: 'Open', classes: 'govuk-tag--green' },
  closed: { text: 'Closed', classes: 'govuk-tag--purple' },
};

/** Open and closed rounds keep the settings applicants answered under: see RoundsService.update. */
export const settingsLocked = (status: RoundStatus): boolean => status === 'open' || status === 'closed';
