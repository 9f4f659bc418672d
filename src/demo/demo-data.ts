/**
 * Demo data modelled on the West Midlands Police and Crime Commissioner's Annual Report 2019/20
 * (Victims Fund, Active Citizens Fund, the victims' grant table and "Decisions of the PCC").
 * The figures and names below are transcribed from that public report so the demo looks like the
 * real work; nothing reads the report at run time.
 */
import { FundingSource } from '../modules/funds/entities/fund-programme.entity';
import type { NewProgramme } from '../modules/funds/funds.service';

export const DEMO_PROGRAMMES: NewProgramme[] = [
  {
    code: 'VF',
    costCentre: 'PCC-VS-4410',
    name: 'Victims Fund',
    fundingSource: FundingSource.MojVictimsGrant,
    summary:
      "An annual competitive fund, paid for by the Ministry of Justice victims' grant, for voluntary and community organisations that help victims of crime in the West Midlands cope and recover. Rounds can ring-fence part of the money, for example for victims of hate crime.",
    exclusions: [
      'services that are not for victims of crime',
      'activities that a statutory body has a duty to provide',
      'costs already paid for by another grant',
    ],
    // Not crime and disorder reduction grants: the Victims Fund spends the Ministry of Justice
    // victims' grant on services that help victims cope and recover, which a Commissioner
    // commissions under section 143 of the Anti-social Behaviour, Crime and Policing Act 2014
    // (services for victims and witnesses), not under section 9 of the Police Reform and Social
    // Responsibility Act 2011, whose test is that the grant secures or contributes to crime and
    // disorder reduction. So its grants are on /funded-projects and in the 360Giving data, but
    // not in the Specified Information list. A Commissioner whose decisions rely on section 9 for
    // them would set it.
    crimeAndDisorderReduction: false,
  },
  {
    code: 'ACF',
    costCentre: 'PCC-POCA-4620',
    name: 'Active Citizens Fund',
    fundingSource: FundingSource.ProceedsOfCrimeAct,
    summary:
      'Small grants for community groups, paid for with money and goods seized from criminals under the Proceeds of Crime Act. It funds projects such as youth boxing clubs, community clean-ups, street pastors and community cafés.',
    exclusions: ['police officers or police staff posts', 'individuals', 'political or religious campaigning'],
    // Crime and disorder reduction grants: Proceeds of Crime Act money given back to communities
    // for projects that keep young people away from crime and make neighbourhoods safer (boxing
    // clubs, street pastors, clean-ups), awarded because they reduce crime and disorder in the
    // area, under section 9 of the Police Reform and Social Responsibility Act 2011.
    crimeAndDisorderReduction: true,
  },
];

/** The seven metropolitan boroughs, with their ONS local authority district codes. */
export const DEMO_AREAS = [
  { onsCode: 'E08000025', name: 'Birmingham' },
  { onsCode: 'E08000026', name: 'Coventry' },
  { onsCode: 'E08000027', name: 'Dudley' },
  { onsCode: 'E08000028', name: 'Sandwell' },
  { onsCode: 'E08000029', name: 'Solihull' },
  { onsCode: 'E08000030', name: 'Walsall' },
  { onsCode: 'E08000031', name: 'Wolverhampton' },
];

/** One demo user per staff role, and two community-group users in different organisations. */
export const DEMO_STAFF = [
  { email: 'assessor1@example.org', fullName: 'Amira Khan', roles: ['assessor'] },
  { email: 'assessor2@example.org', fullName: 'Ben Walters', roles: ['assessor'] },
  { email: 'assessor3@example.org', fullName: 'Chidi Okafor', roles: ['assessor'] },
  { email: 'fundmanager@example.org', fullName: 'Funmi Adeyemi', roles: ['fund_manager'] },
  { email: 'finance@example.org', fullName: 'Gareth Price', roles: ['finance_officer'] },
  { email: 'financeapprover@example.org', fullName: 'Harpreet Sandhu', roles: ['finance_approver'] },
  { email: 'commissioner@example.org', fullName: 'The Commissioner', roles: ['commissioner'] },
  { email: 'admin@example.org', fullName: 'Alex Morgan', roles: ['admin'] },
  { email: 'auditor@example.org', fullName: 'Ruth Ellis', roles: ['auditor'] },
] as const;

// Fictional organisations of the kinds the annual report describes (a youth boxing club funded
// by the Active Citizens Fund; a charity supporting victims of hidden crime). Numbers are made up.
export const DEMO_APPLICANTS = [
  {
    email: 'applicant@example.org',
    fullName: 'Dele Odell',
    organisation: {
      name: 'Bromford Youth Boxing Club',
      type: 'unincorporated_group',
      addressLine1: 'Unit 4, Bromford Lane',
      town: 'Birmingham',
      postcode: 'B8 2SD',
      area: 'E08000025',
      contactName: 'Dele Odell',
      contactEmail: 'applicant@example.org',
      contactPhone: '0121 496 0000',
    },
  },
  {
    email: 'applicant2@example.org',
    fullName: 'Priya Sharma',
    organisation: {
      name: 'Black Country Survivors Network',
      type: 'registered_charity',
      charityNumber: '1190001',
      addressLine1: '12 Church Street',
      town: 'Walsall',
      postcode: 'WS1 1HX',
      area: 'E08000030',
      contactName: 'Priya Sharma',
      contactEmail: 'applicant2@example.org',
      contactPhone: '01922 000000',
    },
  },
] as const;
