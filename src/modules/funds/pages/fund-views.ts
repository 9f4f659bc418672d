/**
 * The staff fund pages' view-models: the list of funds, a fund's page and its settings form.
 * Plain values for the Nunjucks templates; no HTML here.
 */
import { formatLondonDateTime } from '@pcc/london-time';
import type { FormError } from '../../../platform/web/forms';
import { type FundProgramme, FundingSource } from '../entities/fund-programme.entity';
import type { FundingRound } from '../entities/funding-round.entity';
import { ROUND_STATUS_TAGS } from '../round-status';
import type { RoundStatus } from '../rounds.service';
import type { FundSettingsFormValues } from './fund-settings-form';

export const FUNDING_SOURCE_NAMES: Record<FundingSource, string> = {
  [FundingSource.MojVictimsGrant]: 'Ministry of Justice victims’ grant',
  [FundingSource.ProceedsOfCrimeAct]: 'Proceeds of Crime Act receipts',
  [FundingSource.PccCoreBudget]: 'The Commissioner’s core budget',
  [FundingSource.Other]: 'Other',
};

/** What the setting means, in the words of the question's hint and the fund's page. */
export const CRIME_AND_DISORDER_HINT =
  'If yes, each grant from this fund is published every month on the crime and disorder reduction grants page, with its recipient, purpose, conditions and the reasons for it, as the Elected Local Policing Bodies (Specified Information) Order 2011 asks. Choose yes when the fund’s grants are made to reduce crime and disorder in the area (section 9 of the Police Reform and Social Responsibility Act 2011). The change applies at once to every grant from the fund, past and future.';

export const crimeAndDisorderText = (on: boolean) =>
  on
    ? 'Yes: its grants are published each month as crime and disorder reduction grants'
    : 'No: its grants are not on the crime and disorder reduction grants page';

export function fundListView(programmes: FundProgramme[]) {
  return {
    funds: programmes.map((p) => ({
      href: `/staff/funds/${p.id}`,
      name: p.name,
      code: p.code,
      source: FUNDING_SOURCE_NAMES[p.fundingSource] ?? p.fundingSource,
      crimeAndDisorder: p.crimeAndDisorderReduction ? 'Yes' : 'No',
      costCentre: p.costCentre ?? 'Not set',
    })),
  };
}

export function fundPageView(p: FundProgramme, rounds: { round: FundingRound; status: RoundStatus }[], saved?: string) {
  const settingsHref = `/staff/funds/${p.id}/settings`;
  return {
    pageTitle: p.name,
    fund: { id: p.id, name: p.name, code: p.code, summary: p.summary, exclusions: p.exclusions },
    saved: saved === 'settings',
    rows: [
      { key: { text: 'Code' }, value: { text: `${p.code} (application references start with it)` } },
      { key: { text: 'Where the money comes from' }, value: { text: FUNDING_SOURCE_NAMES[p.fundingSource] ?? p.fundingSource } },
      {
        key: { text: 'Crime and disorder reduction grants' },
        value: { text: crimeAndDisorderText(p.crimeAndDisorderReduction) },
        actions: {
          items: [
            {
              href: `${settingsHref}#crimeAndDisorderReduction`,
              text: 'Change',
              visuallyHiddenText: 'whether its grants are crime and disorder reduction grants',
            },
          ],
        },
      },
      {
        key: { text: 'Cost centre' },
        value: { text: p.costCentre ?? 'Not set' },
        actions: { items: [{ href: `${settingsHref}#costCentre`, text: 'Change', visuallyHiddenText: 'cost centre' }] },
      },
    ],
    rounds: rounds.map(({ round, status }) => ({
      href: `/staff/rounds/${round.id}`,
      name: round.name,
      status: ROUND_STATUS_TAGS[status],
      closes: formatLondonDateTime(round.closesAt),
    })),
  };
}

export function fundSettingsView(p: FundProgramme, values: FundSettingsFormValues, errors: FormError[] = []) {
  return {
    pageTitle: `Settings of ${p.name}`,
    fund: { id: p.id, name: p.name },
    values,
    hint: CRIME_AND_DISORDER_HINT,
    radios: [
      { value: 'yes', text: 'Yes', checked: values.crimeAndDisorderReduction === 'yes' },
      { value: 'no', text: 'No', checked: values.crimeAndDisorderReduction === 'no' },
    ],
    errors,
  };
}
