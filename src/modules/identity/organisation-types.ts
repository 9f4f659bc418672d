/** The legal forms a group can take, and their names as applicants and staff read them. */
export enum OrganisationType {
  RegisteredCharity = 'registered_charity',
  Cio = 'cio',
  Cic = 'cic',
  CompanyLimitedByGuarantee = 'company_limited_by_guarantee',
  UnincorporatedGroup = 'unincorporated_group',
  School = 'school',
  FaithGroup = 'faith_group',
  Other = 'other',
}

export const ORGANISATION_TYPE_NAMES: Record<OrganisationType, string> = {
  [OrganisationType.RegisteredCharity]: 'Registered charity',
  [OrganisationType.Cio]: 'Charitable incorporated organisation (CIO)',
  [OrganisationType.Cic]: 'Community interest company (CIC)',
  [OrganisationType.CompanyLimitedByGuarantee]: 'Company limited by guarantee',
  [OrganisationType.UnincorporatedGroup]: 'Unincorporated community group',
  [OrganisationType.School]: 'School',
  [OrganisationType.FaithGroup]: 'Faith group',
  [OrganisationType.Other]: 'Other',
};
