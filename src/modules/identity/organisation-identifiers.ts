import type { FieldError } from '../../platform/errors/app-exception';
import { OrganisationType } from './entities/organisation.entity';

/**
 * Charity and company number formats, and the 360Giving organisation identifier they give:
 * - Charity Commission (England and Wales): 6 or 7 digits, linked charities "-N"  → GB-CHC-1234567
 * - OSCR (Scotland): SC + 6 digits                                                 → GB-SC-SC012345
 * - Charity Commission for Northern Ireland: NIC + 6 digits (written 100xxx too)   → GB-NIC-100123
 * - Companies House: 8 digits, or 2 letters + 6 digits (SC, NI, OC, CE, …)         → GB-COH-01234567
 * Groups with neither get an identifier in this system's own 360G- prefix.
 */
const CHARITY_EW = /^\d{6,7}(-\d{1,2})?$/;
const CHARITY_SC = /^SC\d{6}$/;
const CHARITY_NI = /^(NIC)?1\d{5}$/;
const COMPANY = /^(\d{8}|[A-Z]{2}\d{6})$/;

export function normaliseCharityNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function normaliseCompanyNumber(raw: string): string {
  const v = raw.replace(/\s+/g, '').toUpperCase();
  // Companies House numbers are 8 characters; people often drop the leading zeros.
  return /^\d{1,8}$/.test(v) ? v.padStart(8, '0') : v;
}

const NEEDS_CHARITY: OrganisationType[] = [OrganisationType.RegisteredCharity, OrganisationType.Cio];
const NEEDS_COMPANY: OrganisationType[] = [OrganisationType.Cic, OrganisationType.CompanyLimitedByGuarantee];

export function validateRegistrationNumbers(type: OrganisationType, charityNumber: string | null, companyNumber: string | null): FieldError[] {
  const errors: FieldError[] = [];
  if (NEEDS_CHARITY.includes(type) && !charityNumber) {
    errors.push({ field: 'charityNumber', rule: 'required', message: 'Enter your charity number' });
  }
  if (NEEDS_COMPANY.includes(type) && !companyNumber) {
    errors.push({ field: 'companyNumber', rule: 'required', message: 'Enter your company number' });
  }
  if (charityNumber && !(CHARITY_EW.test(charityNumber) || CHARITY_SC.test(charityNumber) || CHARITY_NI.test(charityNumber))) {
    errors.push({ field: 'charityNumber', rule: 'charityNumber', message: 'Enter a charity number like 1234567, SC012345 or NIC100123' });
  }
  if (companyNumber && !COMPANY.test(companyNumber)) {
    errors.push({ field: 'companyNumber', rule: 'companyNumber', message: 'Enter a company number like 01234567 or SC123456' });
  }
  return errors;
}

export function orgIdFor(charityNumber: string | null, companyNumber: string | null, localId: string): string {
  if (charityNumber) {
    if (CHARITY_SC.test(charityNumber)) return `GB-SC-${charityNumber}`;
    if (CHARITY_NI.test(charityNumber)) return `GB-NIC-${charityNumber.replace(/^NIC/, '')}`;
    return `GB-CHC-${charityNumber.replace(/-\d+$/, '')}`;
  }
  if (companyNumber) return `GB-COH-${companyNumber}`;
  return `360G-pccgrants-${localId}`;
}

// Full UK postcode, with or without the space.
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

export function normalisePostcode(raw: string): string | null {
  const m = POSTCODE.exec(raw.trim().toUpperCase().replace(/\s+/g, ' '));
  return m ? `${m[1]} ${m[2]}` : null;
}
