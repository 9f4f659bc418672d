import { str } from '../../../platform/web/forms';
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

/** The posted form as the API's body (DecisionDraftDto), so the page is held to the same rules. */
export function decisionBody(fields: Record<string, unknown>): Record<string, unknown> {
  const t = (f: string) => str(fields[f]);
  const confidential = t('confidential') === 'yes';
  return {
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
  };
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
    return e;
  });
}
