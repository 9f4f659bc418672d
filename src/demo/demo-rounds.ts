/**
 * Demo rounds modelled on the annual report: Victims Fund 7 (£200,000 with £50,000 ring-fenced for
 * victims of hate crime; 48 applications) and the Active Citizens Fund's small grants (Proceeds of
 * Crime Act money; over £700,000 a year for about 127 community projects). Dates are moved so the
 * rounds are open whenever the demo is started.
 */
import type { FormDefinition } from '../modules/funds/form-definition';
import { starterApplicationForm } from '../modules/funds/starter-form';
import { HALF_ON_SIX_MONTH_REPORT } from '../modules/funds/payment-schedule';
import { DEMO_AREAS } from './demo-data';

export const VICTIMS_FUND_CATEGORIES = [
  { code: 'hate_crime', name: 'Victims of hate crime' },
  { code: 'domestic_abuse', name: 'Domestic abuse' },
  { code: 'sexual_violence', name: 'Sexual violence' },
  { code: 'modern_slavery', name: 'Modern slavery and trafficking' },
  { code: 'fgm_honour', name: 'FGM, forced marriage and honour-based abuse' },
  { code: 'young_victims', name: 'Children and young people affected by crime' },
  { code: 'other_victims', name: 'Other victims of crime' },
];

export const VICTIMS_FUND_FORM: FormDefinition = starterApplicationForm(DEMO_AREAS);

export const ACTIVE_CITIZENS_CATEGORIES = [
  { code: 'youth_sport', name: 'Sport and activities for young people' },
  { code: 'community_safety', name: 'Community safety' },
  { code: 'environment', name: 'Clean-ups and the local environment' },
  { code: 'food_support', name: 'Food banks and community cafés' },
  { code: 'other_community', name: 'Other community projects' },
];

export const ACTIVE_CITIZENS_FORM: FormDefinition = {
  sections: [
    {
      id: 'project',
      title: 'About your project',
      questions: [
        { id: 'projectTitle', type: 'short_text', label: 'Project title', required: true, maxLength: 120 },
        { id: 'projectSummary', type: 'long_text', label: 'What will you do with the money?', required: true, wordLimit: 150 },
        { id: 'category', type: 'single_choice', label: 'What kind of project is it?', required: true },
      ],
    },
    {
      id: 'funding',
      title: 'Funding',
      questions: [
        { id: 'amountRequested', type: 'money', label: 'How much are you applying for?', hint: 'In pounds', required: true },
        {
          id: 'policeCosts',
          type: 'yes_no',
          label: 'Will any of the grant pay for police officers or police staff?',
          hint: 'Proceeds of Crime Act money cannot pay for police officers',
          required: true,
          refuseIf: true,
          refuseMessage: 'The Active Citizens Fund cannot pay for police officers or police staff',
        },
        { id: 'peopleReached', type: 'number', label: 'How many people will take part?', required: true, min: 1, max: 100000 },
      ],
    },
  ],
};

export const VICTIMS_CRITERIA = [
  { name: 'Need', guidance: 'Evidence that victims in the West Midlands need this support', weight: 3 },
  { name: 'Outcomes for victims', guidance: 'How well the project helps victims cope and recover', weight: 3 },
  { name: 'Deliverability', guidance: 'A realistic plan, budget and timetable', weight: 2 },
  { name: 'Value for money', guidance: 'Costs are reasonable for what is delivered', weight: 2 },
];

export const ACTIVE_CITIZENS_CRITERIA = [
  { name: 'Community benefit', guidance: 'How the project makes the area safer or stronger', weight: 2 },
  { name: 'Value for money', guidance: 'Costs are reasonable for what is delivered', weight: 1 },
];

/** Community groups of the kinds the report describes. Names and numbers are made up. */
export const DEMO_APPLICANT_GROUPS: {
  name: string;
  type: string;
  charity?: string;
  company?: string;
  area: string;
  town: string;
  postcode: string;
  category: string;
  amount: number;
  title: string;
}[] = [
  {
    name: 'Aston Hate Crime Advocacy',
    type: 'cio',
    charity: '1190102',
    area: 'E08000025',
    town: 'Birmingham',
    postcode: 'B6 4AA',
    category: 'hate_crime',
    amount: 18_000,
    title: 'Hate crime advocates for Aston and Lozells',
  },
  {
    name: 'Coventry Stand Together',
    type: 'registered_charity',
    charity: '1190103',
    area: 'E08000026',
    town: 'Coventry',
    postcode: 'CV1 2AA',
    category: 'hate_crime',
    amount: 12_500,
    title: 'Third-party hate crime reporting centres',
  },
  {
    name: 'Sandwell Refugee Welcome',
    type: 'unincorporated_group',
    area: 'E08000028',
    town: 'West Bromwich',
    postcode: 'B70 7AA',
    category: 'hate_crime',
    amount: 6_000,
    title: 'Support for refugees targeted by hate',
  },
  {
    name: 'Walsall Pride Support',
    type: 'cic',
    company: '12345601',
    area: 'E08000030',
    town: 'Walsall',
    postcode: 'WS1 2AA',
    category: 'hate_crime',
    amount: 9_500,
    title: 'LGBT+ hate crime peer support',
  },
  {
    name: 'Wolverhampton Faith Safe',
    type: 'faith_group',
    area: 'E08000031',
    town: 'Wolverhampton',
    postcode: 'WV1 3AA',
    category: 'hate_crime',
    amount: 7_250,
    title: 'Safe places of worship',
  },
  {
    name: 'Dudley Disability Voice',
    type: 'registered_charity',
    charity: '1190106',
    area: 'E08000027',
    town: 'Dudley',
    postcode: 'DY1 1AA',
    category: 'hate_crime',
    amount: 10_000,
    title: 'Disability hate crime awareness and support',
  },
  {
    name: 'Solihull Women’s Refuge Trust',
    type: 'registered_charity',
    charity: '1190107',
    area: 'E08000029',
    town: 'Solihull',
    postcode: 'B91 3AA',
    category: 'domestic_abuse',
    amount: 20_000,
    title: 'Refuge outreach worker',
  },
  {
    name: 'Black Country Independent Advocates',
    type: 'company_limited_by_guarantee',
    company: '12345608',
    area: 'E08000027',
    town: 'Dudley',
    postcode: 'DY2 8AA',
    category: 'domestic_abuse',
    amount: 19_000,
    title: 'Independent domestic violence advocacy',
  },
  {
    name: 'Coventry Haven Outreach',
    type: 'registered_charity',
    charity: '1190109',
    area: 'E08000026',
    town: 'Coventry',
    postcode: 'CV2 4AA',
    category: 'domestic_abuse',
    amount: 15_000,
    title: 'Children’s support after domestic abuse',
  },
  {
    name: 'Birmingham Rape Crisis Support',
    type: 'registered_charity',
    charity: '1190110',
    area: 'E08000025',
    town: 'Birmingham',
    postcode: 'B5 4AA',
    category: 'sexual_violence',
    amount: 20_000,
    title: 'Counselling waiting list reduction',
  },
  {
    name: 'Wolverhampton Survivors Space',
    type: 'cio',
    charity: '1190111',
    area: 'E08000031',
    town: 'Wolverhampton',
    postcode: 'WV2 4AA',
    category: 'sexual_violence',
    amount: 14_000,
    title: 'Peer support groups for survivors',
  },
  {
    name: 'West Midlands Freedom Network',
    type: 'registered_charity',
    charity: '1190112',
    area: 'E08000025',
    town: 'Birmingham',
    postcode: 'B1 1AA',
    category: 'modern_slavery',
    amount: 17_500,
    title: 'Victim navigator for modern slavery',
  },
  {
    name: 'Hope After Trafficking Sandwell',
    type: 'cic',
    company: '12345613',
    area: 'E08000028',
    town: 'Oldbury',
    postcode: 'B69 3AA',
    category: 'modern_slavery',
    amount: 8_000,
    title: 'Safe housing support',
  },
  {
    name: 'Allies Against FGM',
    type: 'registered_charity',
    charity: '1190114',
    area: 'E08000025',
    town: 'Birmingham',
    postcode: 'B11 1AA',
    category: 'fgm_honour',
    amount: 11_000,
    title: 'FGM survivor support and awareness',
  },
  {
    name: 'Honour Helpline Coventry',
    type: 'registered_charity',
    charity: '1190115',
    area: 'E08000026',
    town: 'Coventry',
    postcode: 'CV6 5AA',
    category: 'fgm_honour',
    amount: 9_000,
    title: 'Forced marriage helpline volunteers',
  },
  {
    name: 'Young Victims Walsall',
    type: 'unincorporated_group',
    area: 'E08000030',
    town: 'Walsall',
    postcode: 'WS2 8AA',
    category: 'young_victims',
    amount: 5_000,
    title: 'Mentoring for young victims of knife crime',
  },
  {
    name: 'Dudley Youth Recovery',
    type: 'school',
    area: 'E08000027',
    town: 'Brierley Hill',
    postcode: 'DY5 1AA',
    category: 'young_victims',
    amount: 4_500,
    title: 'School-based support after crime',
  },
  {
    name: 'Solihull Fraud Victims Club',
    type: 'unincorporated_group',
    area: 'E08000029',
    town: 'Solihull',
    postcode: 'B90 4AA',
    category: 'other_victims',
    amount: 3_000,
    title: 'Support for older victims of fraud',
  },
  {
    name: 'Road Victims West Midlands',
    type: 'registered_charity',
    charity: '1190119',
    area: 'E08000031',
    town: 'Wolverhampton',
    postcode: 'WV3 0AA',
    category: 'other_victims',
    amount: 12_000,
    title: 'Bereaved families after road collisions',
  },
  {
    name: 'Birmingham Burglary Recovery',
    type: 'other',
    area: 'E08000025',
    town: 'Birmingham',
    postcode: 'B23 5AA',
    category: 'other_victims',
    amount: 2_500,
    title: 'Target hardening for repeat burglary victims',
  },
];

/** Victims Fund 7's money, eligibility and assessment settings, as the report describes them. */
export const VICTIMS_FUND_7_SETTINGS = {
  totalBudgetPence: 200_000_00,
  minGrantPence: 1_000_00,
  maxGrantPence: 20_000_00,
  categories: VICTIMS_FUND_CATEGORIES,
  ringFences: [{ name: 'Victims of hate crime', amountPence: 50_000_00, category: 'hate_crime' }],
  criteria: VICTIMS_CRITERIA,
  form: VICTIMS_FUND_FORM,
  assessorsPerApplication: 2,
  moderationThreshold: 8,
  reminderHoursBefore: 72,
  // Half when the offer is accepted, half when the six-month monitoring report is approved.
  paymentSchedule: HALF_ON_SIX_MONTH_REPORT,
  grantConditions:
    'Use the grant only for the project described in your application.\n\nTell us at once about any change to the project, your organisation or its bank details.\n\nSend a monitoring report six months after the grant starts, and a final report when it ends.\n\nAcknowledge the Police and Crime Commissioner’s funding in your publicity.\n\nRepay any of the grant not spent on the project.',
};
