import { formatPounds } from '@pcc/money';

/*
 * A round's payment schedule: how each of its grants is paid, as shares of the award, each
 * falling due on a trigger. Small community grants are paid in full when the offer is accepted;
 * larger ones half on acceptance and half when the six-month monitoring report is approved.
 */

export const PAYMENT_TRIGGERS = ['acceptance', 'monitoring_report'] as const;
export type PaymentTrigger = (typeof PAYMENT_TRIGGERS)[number];

export interface ScheduleStep {
  /** Whole percent of the award, 1 to 100; a schedule's steps add up to 100. */
  percent: number;
  trigger: PaymentTrigger;
  /** For a monitoring report: months after the grant starts that the report is due, 1 to 24. */
  reportMonths?: number;
}

export const PAID_IN_FULL: ScheduleStep[] = [{ percent: 100, trigger: 'acceptance' }];
export const HALF_ON_SIX_MONTH_REPORT: ScheduleStep[] = [
  { percent: 50, trigger: 'acceptance' },
  { percent: 50, trigger: 'monitoring_report', reportMonths: 6 },
];

/** The presets the round form offers, by name. */
export const SCHEDULE_PRESETS = { in_full: PAID_IN_FULL, half_on_report: HALF_ON_SIX_MONTH_REPORT } as const;
export type SchedulePreset = keyof typeof SCHEDULE_PRESETS;

export function presetOf(schedule: readonly ScheduleStep[]): SchedulePreset | null {
  for (const [name, steps] of Object.entries(SCHEDULE_PRESETS) as [SchedulePreset, ScheduleStep[]][])
    if (
      JSON.stringify(steps) ===
      JSON.stringify(schedule.map((s) => ({ percent: s.percent, trigger: s.trigger, ...(s.reportMonths ? { reportMonths: s.reportMonths } : {}) })))
    )
      return name;
  return null;
}

/**
 * An award split into its instalments, in whole pence: each step its percent of the award rounded
 * down, and the last step the rest, so the instalments always add up to the award exactly.
 */
export function splitAward(schedule: readonly ScheduleStep[], awardPence: number): { step: ScheduleStep; amountPence: number }[] {
  let left = awardPence;
  return schedule.map((step, i) => {
    const amountPence = i === schedule.length - 1 ? left : Math.floor((awardPence * step.percent) / 100);
    left -= amountPence;
    return { step, amountPence };
  });
}

/** "£1,000 when you accept the offer, then £1,000 when your 6-month monitoring report is approved." */
export function scheduleSummary(schedule: readonly ScheduleStep[], awardPence: number): string {
  const parts = splitAward(schedule, awardPence)
    .filter((p) => p.amountPence > 0)
    .map(({ step, amountPence }) =>
      step.trigger === 'acceptance'
        ? `${formatPounds(amountPence)} when you accept the offer`
        : `${formatPounds(amountPence)} when your ${step.reportMonths}-month monitoring report is approved`,
    );
  const text = parts.length === 1 && schedule.length === 1 && schedule[0].trigger === 'acceptance' ? `In full: ${parts[0]}` : parts.join(', then ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}, into your organisation’s bank account.`;
}

/** Problems with a schedule's shape that its DTO cannot see: the steps' percents must add up to 100. */
export function scheduleProblems(schedule: readonly ScheduleStep[] | undefined): { field: string; rule: string; message: string }[] {
  const steps: unknown = schedule;
  if (!schedule || !Array.isArray(steps)) return [];
  const total = schedule.reduce((s, x) => s + (Number.isInteger(x?.percent) ? x.percent : 0), 0);
  const problems: { field: string; rule: string; message: string }[] = [];
  if (schedule.length && total !== 100)
    problems.push({ field: 'paymentSchedule', rule: 'sumsTo100', message: `The payment schedule’s shares add up to ${total}%; they must add up to 100%` });
  schedule.forEach((s, i) => {
    if (s?.trigger === 'monitoring_report' && !s.reportMonths)
      problems.push({
        field: `paymentSchedule.${i}.reportMonths`,
        rule: 'required',
        message: 'Say how many months after the start the monitoring report is due',
      });
    if (s?.trigger === 'acceptance' && s.reportMonths)
      problems.push({ field: `paymentSchedule.${i}.reportMonths`, rule: 'onlyForReports', message: 'Only a monitoring report has months' });
  });
  return problems;
}
