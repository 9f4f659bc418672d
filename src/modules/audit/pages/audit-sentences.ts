/**
 * The audit trail in plain words: one sentence per action the service records ("Priya Shah
 * screened VF7-0012 as eligible"), so an auditor reads what happened instead of decoding
 * `application.screened_eligible user_account 3f2b…`. Every action written with `writeAudit`
 * anywhere in src/modules must have an entry here; test/unit/audit-sentences.spec.ts finds them
 * in the code and fails when one is missing. An action recorded before this table knew it (or by
 * a test) still reads sensibly through `describeEvent`'s fallback.
 */

import { formatPounds } from '@pcc/money';

/** What a sentence is made of, with every id already turned into words. */
export interface EventWords {
  /** Who acted: their name, else the email recorded at the time, else "The service". */
  actor: string;
  /** The record acted on: an application's reference, a round's name, a person's name … */
  record: string;
  /** Another record the event names (its after.roundId, after.organisationId …), in words. */
  named: (id: unknown) => string | undefined;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export interface ActionWording {
  /** For the "What happened" filter: "Application screened as eligible". */
  label: string;
  sentence: (w: EventWords) => string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const ROLE_WORDS: Record<string, string> = {
  assessor: 'assessor',
  fund_manager: 'fund manager',
  finance_officer: 'finance officer',
  finance_approver: 'finance approver',
  commissioner: 'Commissioner',
  admin: 'administrator',
  auditor: 'auditor',
};
const roles = (v: unknown): string => {
  const r = list(v).map((x) => ROLE_WORDS[x] ?? x);
  return r.length ? r.join(', ') : 'no staff roles (an applicant)';
};
/** " as CSV" or " as XLSX": how a staff table was downloaded. */
const asFormat = (v: unknown): string => (v === 'csv' || v === 'xlsx' ? ` as ${v.toUpperCase()}` : '');
/** An application before submission has no reference yet. */
const application = (w: EventWords) => w.record;

export const AUDIT_ACTIONS: Record<string, ActionWording> = {
  // Applications
  'application.started': {
    label: 'Application started',
    sentence: (w) => `${w.actor} started a draft application${w.named(w.after.roundId) ? ` to ${w.named(w.after.roundId)}` : ''}`,
  },
  'application.answers_saved': { label: 'Application answers saved', sentence: (w) => `${w.actor} saved answers on ${application(w)}` },
  'application.attachment_uploaded': {
    label: 'Document uploaded to an application',
    sentence: (w) => `${w.actor} uploaded ${text(w.after.filename) ? `“${text(w.after.filename)}”` : 'a document'} to ${application(w)}`,
  },
  'application.submitted': { label: 'Application submitted', sentence: (w) => `${w.actor} submitted ${application(w)}` },
  'application.withdrawn': { label: 'Application withdrawn', sentence: (w) => `${w.actor} withdrew ${application(w)}` },
  'application.screened_eligible': { label: 'Application screened as eligible', sentence: (w) => `${w.actor} screened ${application(w)} as eligible` },
  'application.screened_ineligible': {
    label: 'Application screened as not eligible',
    sentence: (w) => `${w.actor} screened ${application(w)} as not eligible${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'application.deadline_extended': {
    label: 'Deadline extended for an organisation',
    sentence: (w) =>
      `${w.actor} extended the deadline${w.named(w.after.roundId) ? ` of ${w.named(w.after.roundId)}` : ''} for ${w.named(w.after.organisationId) ?? 'an organisation'}`,
  },
  'application.deadline_reminder_sent': { label: 'Deadline reminder sent', sentence: (w) => `${w.actor} sent a deadline reminder about ${application(w)}` },
  // Assessment
  'assessment.assigned': {
    label: 'Assessor assigned',
    sentence: (w) =>
      `${w.actor} asked ${w.named(w.after.assessorId) ?? 'an assessor'} to assess ${application(w)}${w.after.mode === 'auto' ? ' (automatic assignment)' : ''}`,
  },
  'assessment.unassigned': {
    label: 'Assessor taken off an application',
    sentence: (w) => `${w.actor} took ${w.named(w.before.assessorId) ?? 'an assessor'} off ${application(w)}`,
  },
  'assessment.no_conflict_declared': {
    label: 'No conflict of interest declared',
    sentence: (w) => `${w.actor} declared no conflict of interest with ${application(w)}`,
  },
  'assessment.conflict_declared': {
    label: 'Conflict of interest declared',
    sentence: (w) => `${w.actor} declared a conflict of interest with ${application(w)}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'assessment.interest_declared': {
    label: 'Standing interest in an organisation declared',
    sentence: (w) => `${w.actor} declared an interest in ${w.record}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'assessment.scores_saved': { label: 'Assessment saved as a draft', sentence: (w) => `${w.actor} saved a draft assessment of ${application(w)}` },
  'assessment.submitted': { label: 'Assessment submitted', sentence: (w) => `${w.actor} submitted their assessment of ${application(w)}` },
  'assessment.reopened': {
    label: 'Assessment reopened',
    sentence: (w) =>
      `${w.actor} reopened ${w.named(w.after.assessorId) ? `${w.named(w.after.assessorId)}’s` : 'an'} assessment of ${application(w)}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'assessment.moderated': {
    label: 'Score moderated',
    sentence: (w) =>
      `${w.actor} moderated the score of ${application(w)}${typeof w.after.scoreHundredths === 'number' ? ` to ${(w.after.scoreHundredths / 100).toFixed(2)}%` : ''}`,
  },
  'assessment.round_table_downloaded': {
    label: 'Assessments of a round downloaded',
    sentence: (w) => `${w.actor} downloaded every assessment in ${w.record}, with the assessors’ names, scores and comments${asFormat(w.after.format)}`,
  },
  'assessment.reminder_sent': {
    label: 'Scoring reminder sent',
    sentence: (w) =>
      `${w.actor} reminded ${w.named(w.after.assessorId) ?? 'an assessor'} that scores for ${w.record} are due${Array.isArray(w.after.assessmentIds) ? ` (${w.after.assessmentIds.length} to submit)` : ''}`,
  },
  'allocation.run_created': {
    label: 'Allocation run',
    sentence: (w) =>
      `${w.actor} ran an allocation of ${w.record}${typeof w.after.funded === 'number' ? `: ${w.after.funded} funded, ${String(w.after.reserve)} on the reserve list` : ''}`,
  },
  'allocation.run_adjusted': {
    label: 'Allocation run adjusted',
    sentence: (w) =>
      `${w.actor} set ${typeof w.after.adjustments === 'number' ? w.after.adjustments : 'some'} partial award${w.after.adjustments === 1 ? '' : 's'} on an allocation of ${w.record}`,
  },
  'allocation.submitted_for_decision': {
    label: 'Allocation submitted for decision',
    sentence: (w) => `${w.actor} submitted an allocation of ${w.record} for the Commissioner’s decision`,
  },
  'allocation.committed': {
    label: 'Money committed',
    sentence: (w) =>
      `${w.actor} committed ${typeof w.after.amountPence === 'number' ? formatPounds(w.after.amountPence) : 'money'} to ${w.record}${text(w.after.ringFence) ? ` from the ${text(w.after.ringFence)} ring-fence` : ' from the general pot'}`,
  },
  'allocation.released': {
    label: 'Commitment released',
    sentence: (w) => `${w.actor} released the money committed to ${w.record}`,
  },
  'allocation.commitment_changed': {
    label: 'Commitment changed',
    sentence: (w) =>
      `${w.actor} changed the money committed to ${w.record}${typeof w.before.amountPence === 'number' && typeof w.after.amountPence === 'number' ? ` from ${formatPounds(w.before.amountPence)} to ${formatPounds(w.after.amountPence)}` : ''}`,
  },
  'decision.drafted': {
    label: 'Decision drafted',
    sentence: (w) => `${w.actor} drafted PCC Decision ${text(w.after.number) ?? ''}${text(w.after.title) ? `, “${text(w.after.title)}”` : ''}`,
  },
  'decision.edited': { label: 'Decision edited', sentence: (w) => `${w.actor} edited draft PCC Decision ${text(w.after.number) ?? ''}` },
  'decision.submitted': { label: 'Decision submitted', sentence: (w) => `${w.actor} submitted PCC Decision ${text(w.after.number) ?? ''} to the Commissioner` },
  'decision.approved': { label: 'Decision approved', sentence: (w) => `${w.actor} approved PCC Decision ${text(w.after.number) ?? ''}` },
  'decision.rejected': {
    label: 'Decision rejected',
    sentence: (w) => `${w.actor} rejected PCC Decision ${text(w.after.number) ?? ''}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'decision.withdrawn': {
    label: 'Decision withdrawn',
    sentence: (w) => `${w.actor} withdrew PCC Decision ${text(w.after.number) ?? ''}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'decision.published': { label: 'Decision published', sentence: (w) => `${w.actor} published PCC Decision ${text(w.after.number) ?? ''} on the register` },
  'assessment.feedback_released': { label: 'Feedback released', sentence: (w) => `${w.actor} released an assessor’s comment on ${w.record} as feedback` },
  'assessment.feedback_withheld': { label: 'Feedback withheld', sentence: (w) => `${w.actor} withheld an assessor’s comment on ${w.record} from feedback` },
  // Grants
  'grant.offered': {
    label: 'Grant offered',
    sentence: (w) =>
      `${w.actor} offered ${typeof w.after.amountPence === 'number' ? `a grant of ${formatPounds(w.after.amountPence)}` : 'a grant'} to ${w.record}${w.after.fromReserve === true ? ' from the reserve list' : ''}`,
  },
  'grant.accepted': {
    label: 'Grant accepted',
    sentence: (w) => `${w.actor} accepted the grant to ${w.record}${text(w.after.acceptedName) ? `, signed “${text(w.after.acceptedName)}”` : ''}`,
  },
  'grant.declined': {
    label: 'Grant declined',
    sentence: (w) => `${w.actor} declined the grant to ${w.record}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'grant.round_table_downloaded': {
    label: 'Grants of a round downloaded',
    sentence: (w) => `${w.actor} downloaded every grant offered in ${w.record}, with the organisations and amounts${asFormat(w.after.format)}`,
  },
  'grant.lapsed': { label: 'Grant offer lapsed', sentence: (w) => `${w.actor} lapsed the offer of a grant to ${w.record}: it was not accepted in time` },
  'grant.report_added': {
    label: 'Monitoring report added',
    sentence: (w) =>
      `${w.actor} added a ${typeof w.after.months === 'number' ? `${w.after.months}-month ` : ''}monitoring report to the grant to ${w.record}${text(w.after.dueOn) ? `, due on ${text(w.after.dueOn)}` : ''}`,
  },
  'grant.report_submitted': {
    label: 'Monitoring report submitted',
    sentence: (w) =>
      `${w.actor} submitted the ${typeof w.after.months === 'number' ? `${w.after.months}-month ` : ''}monitoring report on the grant to ${w.record}${typeof w.after.spendToDatePence === 'number' ? `, with ${formatPounds(w.after.spendToDatePence)} spent` : ''}${w.after.late === true ? ' (late)' : ''}`,
  },
  'grant.report_approved': {
    label: 'Monitoring report approved',
    sentence: (w) =>
      `${w.actor} approved the ${typeof w.after.months === 'number' ? `${w.after.months}-month ` : ''}monitoring report on the grant to ${w.record}`,
  },
  'grant.report_changes_requested': {
    label: 'Monitoring report sent back for changes',
    sentence: (w) =>
      `${w.actor} asked for changes to the ${typeof w.after.months === 'number' ? `${w.after.months}-month ` : ''}monitoring report on the grant to ${w.record}${text(w.after.comments) ? `: “${text(w.after.comments)}”` : ''}`,
  },
  'grant.report_reminder_sent': {
    label: 'Monitoring report reminder sent',
    sentence: (w) =>
      `${w.actor} reminded ${w.record} that its ${typeof w.after.months === 'number' ? `${w.after.months}-month ` : ''}monitoring report ${w.after.kind === 'before' ? 'is due soon' : 'is overdue'}`,
  },
  'grant.variation_proposed': {
    label: 'Grant variation proposed',
    sentence: (w) =>
      `${w.actor} proposed variation ${typeof w.after.number === 'number' ? `${w.after.number} ` : ''}to the grant to ${w.record}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'grant.variation_approved': {
    label: 'Grant variation approved',
    sentence: (w) =>
      `${w.actor} approved variation ${typeof w.after.number === 'number' ? `${w.after.number} ` : ''}to the grant to ${w.record}${typeof w.before.amountPence === 'number' && typeof w.after.amountPence === 'number' && w.before.amountPence !== w.after.amountPence ? `, from ${formatPounds(w.before.amountPence)} to ${formatPounds(w.after.amountPence)}` : ''}`,
  },
  'grant.variation_rejected': {
    label: 'Grant variation rejected',
    sentence: (w) =>
      `${w.actor} rejected variation ${typeof w.after.number === 'number' ? `${w.after.number} ` : ''}to the grant to ${w.record}${text(w.after.comments) ? `: “${text(w.after.comments)}”` : ''}`,
  },
  'payments.reshaped': {
    label: 'Payments changed by a variation',
    sentence: (w) =>
      `${w.actor} approved a variation to the grant to ${w.record}, so its unpaid instalments changed${typeof w.after.amountPence === 'number' ? ` to add up to ${formatPounds(w.after.amountPence)}` : ''}`,
  },
  'payments.scheduled': {
    label: 'Payments scheduled',
    sentence: (w) =>
      `${w.actor} accepted the grant to ${w.record}, so its payments were scheduled${Array.isArray(w.after.instalments) ? ` (${w.after.instalments.length} instalment${w.after.instalments.length === 1 ? '' : 's'})` : ''}`,
  },
  'payments.schedule_changed': {
    label: 'Payment schedule changed',
    sentence: (w) => `${w.actor} changed the payment schedule of the grant to ${w.record}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'payments.requested': {
    label: 'Payment requested',
    sentence: (w) => `${w.actor} asked for ${typeof w.after.amountPence === 'number' ? formatPounds(w.after.amountPence) : 'an instalment'} to be paid`,
  },
  'payments.approved': {
    label: 'Payment approved',
    sentence: (w) => `${w.actor} approved a payment request${w.after.final === true ? '; it is approved' : '; it needs another approver'}`,
  },
  'payments.request_rejected': {
    label: 'Payment request rejected',
    sentence: (w) => `${w.actor} rejected a payment request${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'payments.run_created': {
    label: 'Payment run made',
    sentence: (w) =>
      `${w.actor} made payment run ${text(w.after.number) ?? ''} of ${typeof w.after.payments === 'number' ? `${w.after.payments} payment${w.after.payments === 1 ? '' : 's'}` : 'payments'}${typeof w.after.totalPence === 'number' ? `, ${formatPounds(w.after.totalPence)}` : ''}`,
  },
  'payments.run_exported': {
    label: 'Payment run exported',
    sentence: (w) => `${w.actor} downloaded payment run ${text(w.after.number) ?? ''} for the finance system, with full bank details`,
  },
  'payments.run_table_downloaded': {
    label: 'Payments in a run downloaded',
    sentence: (w) =>
      `${w.actor} downloaded the payments in payment run${text(w.after.number) ? ` ${text(w.after.number)}` : ''}, with the organisations and amounts${asFormat(w.after.format)}`,
  },
  'payments.ready_table_downloaded': {
    label: 'Approved payments downloaded',
    sentence: (w) => `${w.actor} downloaded the approved payments not yet in a run, with the organisations and amounts${asFormat(w.after.format)}`,
  },
  'payments.paid': {
    label: 'Payment made',
    sentence: (w) =>
      `${w.actor} recorded payment ${text(w.after.reference) ?? ''} as paid${typeof w.after.amountPence === 'number' ? ` (${formatPounds(w.after.amountPence)})` : ''}${text(w.after.bankReference) ? `, bank reference ${text(w.after.bankReference)}` : ''}`,
  },
  'payments.failed': {
    label: 'Payment failed',
    sentence: (w) => `${w.actor} recorded payment ${text(w.after.reference) ?? ''} as failed${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'payments.repayment_raised': {
    label: 'Repayment asked for',
    sentence: (w) =>
      `${w.actor} asked for ${typeof w.after.amountPence === 'number' ? formatPounds(w.after.amountPence) : 'money'} back from the grant to ${w.record}${text(w.after.reason) ? `: “${text(w.after.reason)}”` : ''}`,
  },
  'payments.repayment_received': {
    label: 'Repayment received',
    sentence: (w) => `${w.actor} recorded a repayment of ${typeof w.after.amountPence === 'number' ? formatPounds(w.after.amountPence) : 'money'} as received`,
  },
  'payments.bank_details_added': {
    label: 'Bank details given',
    sentence: (w) => `${w.actor} gave bank details for ${w.record} (account ending ${text(w.after.accountEnding) ?? '…'})`,
  },
  'payments.bank_details_changed': {
    label: 'Bank details changed',
    sentence: (w) =>
      `${w.actor} changed the bank details of ${w.record} to an account ending ${text(w.after.accountEnding) ?? '…'}${typeof w.after.instalmentsHeld === 'number' && w.after.instalmentsHeld > 0 ? `; ${w.after.instalmentsHeld} instalment${w.after.instalmentsHeld === 1 ? '' : 's'} put on hold` : ''}`,
  },
  'payments.bank_details_verified': {
    label: 'Bank details verified',
    sentence: (w) => `${w.actor} verified the bank details of ${w.record}${text(w.after.verifiedWith) ? ` with ${text(w.after.verifiedWith)}` : ''}`,
  },
  'payments.bank_details_viewed': {
    label: 'Bank details shown in full',
    sentence: (w) => `${w.actor} looked at the full bank details of ${w.record}`,
  },
  // Funds and rounds
  'fund_programme.created': { label: 'Fund created', sentence: (w) => `${w.actor} created the fund ${text(w.after.name) ?? w.record}` },
  'fund_programme.settings_changed': {
    label: 'Fund settings changed',
    sentence: (w) => {
      const changes: string[] = [];
      if (typeof w.after.crimeAndDisorderReduction === 'boolean')
        changes.push(
          w.after.crimeAndDisorderReduction
            ? 'its grants are now published as crime and disorder reduction grants'
            : 'its grants are no longer published as crime and disorder reduction grants',
        );
      if ('costCentre' in w.after) changes.push(text(w.after.costCentre) ? `cost centre set to ${text(w.after.costCentre)}` : 'cost centre taken away');
      return `${w.actor} changed the settings of the fund ${text(w.after.name) ?? w.record}${changes.length ? `: ${changes.join('; ')}` : ''}`;
    },
  },
  'round.created': { label: 'Round created', sentence: (w) => `${w.actor} created the round ${w.record}` },
  'round.updated': { label: 'Round changed', sentence: (w) => `${w.actor} changed the round ${w.record}` },
  'round.published': { label: 'Round published', sentence: (w) => `${w.actor} published the round ${w.record}` },
  // Organisations
  'organisation.created': { label: 'Organisation registered', sentence: (w) => `${w.actor} registered the organisation ${w.record}` },
  'organisation.verified': { label: 'Organisation verified', sentence: (w) => `${w.actor} verified ${w.record}` },
  'organisation.member_invited': {
    label: 'Organisation member invited',
    sentence: (w) => `${w.actor} invited ${text(w.after.email) ?? 'someone'} to join ${w.record}`,
  },
  'organisation.member_joined': { label: 'Organisation member joined', sentence: (w) => `${w.actor} joined ${w.record}` },
  'organisation.dispute_raised': { label: 'Dispute raised over an organisation', sentence: (w) => `${w.actor} disputed who manages ${w.record}` },
  'organisation.dispute_resolved': {
    label: 'Dispute over an organisation decided',
    sentence: (w) =>
      `${w.actor} decided a dispute over ${w.record}: ${w.after.status === 'transferred' ? 'the claimant now manages it' : 'the claim was rejected'}`,
  },
  'organisation.ownership_transferred': {
    label: 'Organisation handed to a new owner',
    sentence: (w) => `${w.actor} made ${list(w.after.owners).map((id) => w.named(id) ?? 'the claimant')[0] ?? 'the claimant'} the owner of ${w.record}`,
  },
  // People and their accounts
  'user.registered': { label: 'Account registered', sentence: (w) => `${w.actor} registered an account` },
  'user.created': { label: 'Account created', sentence: (w) => `${w.actor} created an account for ${w.record} with ${roles(w.after.roles)}` },
  'user.staff_invited': { label: 'Staff member invited', sentence: (w) => `${w.actor} invited ${w.record} to join the staff as ${roles(w.after.roles)}` },
  'user.staff_invitation_accepted': { label: 'Staff invitation accepted', sentence: (w) => `${w.actor} accepted their invitation to join the staff` },
  'user.email_verified': { label: 'Email address confirmed', sentence: (w) => `${w.actor} confirmed their email address` },
  'user.signed_in': { label: 'Signed in', sentence: (w) => `${w.actor} signed in` },
  'user.password_reset_requested': { label: 'Password reset asked for', sentence: (w) => `Someone asked to reset the password of ${w.record}` },
  'user.password_reset': { label: 'Password reset', sentence: (w) => `${w.actor} reset their password` },
  'user.roles_changed': {
    label: 'Roles changed',
    sentence: (w) => `${w.actor} changed the roles of ${w.record} from ${roles(w.before.roles)} to ${roles(w.after.roles)}`,
  },
  'user.deactivated': { label: 'Account deactivated', sentence: (w) => `${w.actor} deactivated the account of ${w.record}` },
  'user.reactivated': { label: 'Account reactivated', sentence: (w) => `${w.actor} reactivated the account of ${w.record}` },
  'user.mfa_enabled': { label: 'Authenticator app set up', sentence: (w) => `${w.actor} set up an authenticator app` },
  'user.mfa_recovery_code_used': { label: 'Recovery code used', sentence: (w) => `${w.actor} signed in with a recovery code` },
  // Reference data
  'area.population_changed': {
    label: 'Area population changed',
    sentence: (w) => {
      const figure = typeof w.after.population === 'number' ? w.after.population.toLocaleString('en-GB') : 'a new figure';
      const about = [typeof w.after.year === 'number' ? String(w.after.year) : undefined, text(w.after.source)].filter(Boolean).join(', ');
      return `${w.actor} set the population of ${text(w.after.areaName) ?? w.record} to ${figure}${about ? ` (${about})` : ''}`;
    },
  },
  // API tokens
  'api_token.created': {
    label: 'API token created',
    sentence: (w) => `${w.actor} created an API token${text(w.after.name) ? ` called “${text(w.after.name)}”` : ''}`,
  },
  'api_token.revoked': { label: 'API token revoked', sentence: (w) => `${w.actor} revoked an API token` },
};

/** The kinds of record the trail names, for the "Record" filter and for records without a label. */
export const RECORD_TYPES: Record<string, string> = {
  application: 'Application',
  funding_round: 'Round',
  fund_programme: 'Fund',
  organisation: 'Organisation',
  user_account: 'Person',
  api_token: 'API token',
  deadline_extension: 'Deadline extension',
  instalment: 'Instalment',
  payment_run: 'Payment run',
  repayment: 'Repayment',
  local_authority_area: 'Local authority area',
};

/** "contract.step_6" → "Contract: step 6": an action the table does not know still reads as words. */
export function actionLabel(action: string): string {
  const known = AUDIT_ACTIONS[action];
  if (known) return known.label;
  const words = (s: string) => s.replace(/[_-]+/g, ' ').trim();
  const [subject, ...rest] = action.split('.');
  const head = words(subject);
  const tail = words(rest.join(' '));
  const capitalised = head.charAt(0).toUpperCase() + head.slice(1);
  return tail ? `${capitalised}: ${tail}` : capitalised;
}

/** The record type in words: "funding_round" → "Round"; an unknown one with its underscores as spaces. */
export function recordTypeLabel(entityType: string): string {
  const known = RECORD_TYPES[entityType];
  if (known) return known;
  const w = entityType.replace(/_+/g, ' ').trim();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The sentence for one event; an unknown action says who, what (in words) and to which record. */
export function describeEvent(action: string, w: EventWords): string {
  const known = AUDIT_ACTIONS[action];
  if (known) return known.sentence(w);
  return `${w.actor}: ${actionLabel(action).toLowerCase()} (${w.record})`;
}
