import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS, type EventWords, actionLabel, describeEvent } from '../../src/modules/audit/pages/audit-sentences';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The actions the code records: `action: 'x.y'` in a writeAudit call, and the fixed start of a
 * template literal (`application.screened_${decision}`), across src/modules and src/demo.
 */
function recordedActions(): { exact: Set<string>; prefixes: Set<string> } {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of [...sources(join(__dirname, '../../src/modules')), ...sources(join(__dirname, '../../src/demo'))]) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('writeAudit')) continue;
    for (const m of text.matchAll(/\baction:\s*'([a-z_]+\.[a-z_.]+)'/g)) exact.add(m[1]);
    for (const m of text.matchAll(/\baction:\s*`([a-z_]+\.[a-z_.]*)\$\{/g)) prefixes.add(m[1]);
  }
  return { exact, prefixes };
}

const words = (overrides: Partial<EventWords> = {}): EventWords => ({
  actor: 'Priya Shah',
  record: 'VF7-0012',
  named: (id) => (id === 'r1' ? 'Victims Fund 7' : id === 'o1' ? 'Aston Youth Trust' : undefined),
  before: {},
  after: {},
  ...overrides,
});

describe('the audit trail in plain words', () => {
  const { exact, prefixes } = recordedActions();

  it('finds the actions the code records (the scan itself works)', () => {
    expect(exact.size).toBeGreaterThan(30);
    expect(exact).toContain('application.submitted');
    expect(prefixes).toContain('application.screened_');
  });

  it('has a sentence and a label for every action the code records', () => {
    const missing = [...exact].filter((a) => !AUDIT_ACTIONS[a]);
    expect(missing).toEqual([]);
    for (const prefix of prefixes) expect([prefix, Object.keys(AUDIT_ACTIONS).filter((a) => a.startsWith(prefix)).length]).toEqual([prefix, 2]);
  });

  it('lists no action the code never records (a renamed action leaves no stale entry)', () => {
    const stale = Object.keys(AUDIT_ACTIONS).filter((a) => !exact.has(a) && ![...prefixes].some((p) => a.startsWith(p)));
    expect(stale).toEqual([]);
  });

  it('every sentence names who acted (or says someone did) and reads without ids or raw values', () => {
    for (const [action, wording] of Object.entries(AUDIT_ACTIONS)) {
      const sentence = wording.sentence(words());
      expect([action, /Priya Shah|Someone/.test(sentence)]).toEqual([action, true]);
      expect([action, /undefined|null|\[object|_/.test(sentence)]).toEqual([action, false]);
      expect(wording.label).toMatch(/^[A-Z][^_.]+$/);
    }
  });

  it('says what happened in the words an officer would use', () => {
    expect(describeEvent('application.screened_eligible', words())).toBe('Priya Shah screened VF7-0012 as eligible');
    expect(describeEvent('application.screened_ineligible', words({ after: { reason: 'Outside the West Midlands' } }))).toBe(
      'Priya Shah screened VF7-0012 as not eligible: “Outside the West Midlands”',
    );
    expect(describeEvent('application.started', words({ record: 'a draft application', after: { roundId: 'r1' } }))).toBe(
      'Priya Shah started a draft application to Victims Fund 7',
    );
    expect(describeEvent('application.deadline_extended', words({ after: { roundId: 'r1', organisationId: 'o1' } }))).toBe(
      'Priya Shah extended the deadline of Victims Fund 7 for Aston Youth Trust',
    );
    expect(
      describeEvent('user.roles_changed', words({ record: 'Sam Okafor', before: { roles: ['assessor'] }, after: { roles: ['assessor', 'fund_manager'] } })),
    ).toBe('Priya Shah changed the roles of Sam Okafor from assessor to assessor, fund manager');
    expect(describeEvent('application.deadline_reminder_sent', words({ actor: 'The service' }))).toBe('The service sent a deadline reminder about VF7-0012');
  });

  it('turns an action it does not know into words rather than showing the code', () => {
    expect(actionLabel('contract.step_6')).toBe('Contract: step 6');
    expect(actionLabel('payment_run.approved_by_finance')).toBe('Payment run: approved by finance');
    expect(describeEvent('contract.step_6', words({ record: 'thing T1' }))).toBe('Priya Shah: contract: step 6 (thing T1)');
  });
});
