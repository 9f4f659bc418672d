import { penceForInput, poundsFromForm, str } from '../../../platform/web/forms';
import type { FormError } from '../../../platform/web/forms';
import type { PccDecision } from '../entities/pcc-decision.entity';

/** The decision form's fields: one text box per part of the PCC's decision template. */
export type DecisionFormValues = Record<string, string>;

const IMPLICATION_FIELDS = {
  legal: 'implicationsLegal',
  equality: 'implicationsEquality',
  humanRights: 'implicationsHumanRights',
  sustainability: 'implicationsSustainability',
  risk: 'implicationsRisk',
} as const;

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The posted form as the API's body (DecisionDraftDto), so the page is held to the same rules;
 * what the page itself reads (pounds, a month and year) can have problems of its own.
 */
export function decisionBody(fields: Record<string, unknown>): { body: Record<string, unknown>; errors: FormError[] } {
  const t = (f: string) => str(fields[f]);
  const confidential = t('confidential') === 'yes';
  const errors: FormError[] = [];
  const month = t('expectedMonth-month').trim();
  const year = t('expectedMonth-year').trim();
  let expectedMonth: string | undefined;
  if (month || year) {
    if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12 || !/^20\d\d$/.test(year))
      errors.push({ field: 'expectedMonth', message: 'Enter the month the decision is expected as a month and a year, like 3 2027' });
    else expectedMonth = `${year}-${month.padStart(2, '0')}`;
  }
  const delegated = !!t('delegatedRoundId');
  const delegation = delegated
    ? {
        delegatedRoundId: t('delegatedRoundId'),
        delegatedBudgetPence: poundsFromForm(fields.delegatedBudget, 'delegatedBudget', 'the delegated budget', errors),
        delegatedAwardLimitPence: poundsFromForm(fields.delegatedAwardLimit, 'delegatedAwardLimit', 'the largest award', errors),
      }
    : {};
  const body = {
    title: t('title'),
    summary: t('summary'),
    confidential,
    ...(confidential || t('confidentialSubject').trim() ? { confidentialSubject: t('confidentialSubject') } : {}),
    background: t('background'),
    implications: Object.fromEntries(Object.entries(IMPLICATION_FIELDS).map(([k, f]) => [k, t(f)])),
    optionsConsidered: t('optionsConsidered'),
    consultation: t('consultation'),
    reasons: t('reasons'),
    backgroundPapers: [
      ...lines(t('publicPapers')).map((title) => ({ title, public: true })),
      ...lines(t('restrictedPapers')).map((title) => ({ title, public: false })),
    ],
    confidentialAnnex: t('confidentialAnnex'),
    annexExemption: t('annexExemption'),
    annexPublicInterest: t('annexPublicInterest'),
    ...delegation,
    ...(expectedMonth ? { expectedMonth } : {}),
  };
  return { body, errors };
}

/** A record's content as the form's values, for editing. */
export function decisionValues(d: PccDecision): DecisionFormValues {
  return {
    title: d.title,
    summary: d.summary,
    confidential: d.confidential ? 'yes' : '',
    confidentialSubject: d.confidentialSubject ?? '',
    background: d.background,
    ...Object.fromEntries(Object.entries(IMPLICATION_FIELDS).map(([k, f]) => [f, d.implications[k as keyof typeof IMPLICATION_FIELDS] ?? ''])),
    optionsConsidered: d.optionsConsidered,
    consultation: d.consultation,
    reasons: d.reasons,
    publicPapers: d.backgroundPapers
      .filter((p) => p.public)
      .map((p) => p.title)
      .join('\n'),
    restrictedPapers: d.backgroundPapers
      .filter((p) => !p.public)
      .map((p) => p.title)
      .join('\n'),
    confidentialAnnex: d.confidentialAnnex ?? '',
    annexExemption: d.annexExemption ?? '',
    annexPublicInterest: d.annexPublicInterest ?? '',
    delegatedRoundId: d.delegatedRoundId ?? '',
    delegatedBudget: d.delegatedBudgetPence === null ? '' : penceForInput(d.delegatedBudgetPence),
    delegatedAwardLimit: d.delegatedAwardLimitPence === null ? '' : penceForInput(d.delegatedAwardLimitPence),
    'expectedMonth-month': d.expectedMonth ? String(Number(d.expectedMonth.slice(5, 7))) : '',
    'expectedMonth-year': d.expectedMonth ? d.expectedMonth.slice(0, 4) : '',
  };
}

/** The posted values, to show again beside their errors. */
export function postedValues(fields: Record<string, unknown>): DecisionFormValues {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([k]) => k !== '_csrf')
      .map(([k, v]) => [k, str(v)]),
  );
}

/** The API's field names as the form's: `implications.legal` → `implicationsLegal`, a paper → its box. */
export function onForm(errors: readonly FormError[], body: Record<string, unknown>): FormError[] {
  const papers = (body.backgroundPapers ?? []) as { public: boolean }[];
  return errors.map((e) => {
    const implication = /^implications\.(\w+)/.exec(e.field)?.[1] as keyof typeof IMPLICATION_FIELDS | undefined;
    if (implication && IMPLICATION_FIELDS[implication]) return { ...e, field: IMPLICATION_FIELDS[implication] };
    const paper = /^backgroundPapers\.(\d+)/.exec(e.field);
    if (paper) return { ...e, field: papers[Number(paper[1])]?.public === false ? 'restrictedPapers' : 'publicPapers' };
    if (e.field === 'backgroundPapers') return { ...e, field: 'publicPapers' };
    if (e.field === 'delegatedBudgetPence') return { ...e, field: 'delegatedBudget' };
    if (e.field === 'delegatedAwardLimitPence') return { ...e, field: 'delegatedAwardLimit' };
    return e;
  });
}
