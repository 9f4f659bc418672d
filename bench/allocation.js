'use strict';
/**
 * Scenario "allocation" (issue 11): the allocation run's arithmetic on its own, no database and
 * no HTTP: 10,000 ranked applications across five ring-fences (by category and by area) and a
 * general pot, with a threshold, partial awards and the "release" policy, as built in dist/. The
 * baseline, in the same process and run, is the least any allocation must do: copy and sort the
 * 10,000 applications by rank and total their requests. Target (issue 11): under 100 ms.
 *
 * Each is run `BENCH_ALLOCATION_RUNS` times (default 200) after 20 thrown away (JIT), and the
 * median, p99 and worst are reported with their ratio to the baseline's.
 */
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const PLAN = path.resolve(__dirname, '..', 'dist', 'src', 'modules', 'allocation', 'allocation-plan.js');
const APPLICATIONS = 10_000;
const TARGET_MS = 100;

function scenarioSettings() {
  return {
    applications: lib.positiveNumber('BENCH_ALLOCATION_APPLICATIONS', APPLICATIONS, { integer: true, min: 10 }),
    runs: lib.positiveNumber('BENCH_ALLOCATION_RUNS', 200, { integer: true, min: 10 }),
  };
}

/** A big round, the same every time: varied requests, scores with ties, categories, areas and some partial awards. */
function round(n) {
  const categories = ['hate_crime', 'domestic_abuse', 'young_victims', 'other_victims'];
  const areas = ['E08000025', 'E08000026', 'E08000027', 'E08000028', 'E08000029', 'E08000030', 'E08000031'];
  const candidates = [];
  for (let i = 0; i < n; i++) {
    const requestedPence = (1_000 + ((i * 7_919) % 19_000)) * 100;
    candidates.push({
      applicationId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      reference: `BIG-${String(i + 1).padStart(5, '0')}`,
      rank: i % 13 === 0 ? null : 1 + Math.floor(i / 2),
      scoreHundredths: i % 13 === 0 ? null : 10_000 - Math.floor(i / 2),
      requestedPence,
      partialPence: i % 17 === 0 ? Math.floor(requestedPence * 0.75) : undefined,
      category: categories[i % categories.length],
      areaOnsCode: areas[i % areas.length],
    });
  }
  // Shuffled deterministically, so the sort has work to do.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = (i * 2_654_435_761) % (i + 1);
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const ringFences = [
    { id: 'rf-hate', name: 'hate crime', amountPence: 5_000_000_00, category: 'hate_crime' },
    { id: 'rf-da', name: 'domestic abuse', amountPence: 3_000_000_00, category: 'domestic_abuse' },
    { id: 'rf-bham', name: 'Birmingham', amountPence: 4_000_000_00, areaOnsCode: 'E08000025' },
    { id: 'rf-cov', name: 'Coventry', amountPence: 2_000_000_00, areaOnsCode: 'E08000026' },
    { id: 'rf-wolv', name: 'Wolverhampton', amountPence: 1_500_000_00, areaOnsCode: 'E08000031' },
  ];
  return { candidates, ringFences, settings: { budgetPence: 40_000_000_00, thresholdHundredths: 5_500, unspentRingFences: 'release' } };
}

function time(fn, runs) {
  for (let i = 0; i < 20; i++) fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (p) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  return { runs, medianMs: lib.round(at(50), 3), p99Ms: lib.round(at(99), 3), maxMs: lib.round(ms[ms.length - 1], 3) };
}

module.exports = {
  name: 'allocation',
  description: 'the allocation run for 10,000 applications across five ring-fences (pure computation); ratio to sorting them',

  async run() {
    if (!fs.existsSync(PLAN)) throw new Error(`${PLAN} not found: run \`npm run build\` first (npm run bench does).`);
    const { allocate } = require(PLAN);
    const x = scenarioSettings();
    const { candidates, ringFences, settings } = round(x.applications);
    const sample = allocate(candidates, ringFences, settings);
    const counts = {};
    for (const a of sample.awards) counts[a.outcome] = (counts[a.outcome] ?? 0) + 1;
    if (sample.awards.length !== x.applications || sample.committedPence > settings.budgetPence)
      throw new Error('the allocation did not account for every application');

    const baseline = time(() => {
      const sorted = [...candidates].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.reference < b.reference ? -1 : 1));
      let total = 0;
      for (const c of sorted) total += c.requestedPence;
      return total;
    }, x.runs);
    const app = time(() => allocate(candidates, ringFences, settings), x.runs);
    const ratio = (a, b) => (b > 0 ? lib.round(a / b, 1) : null);
    const data = {
      scenarioSettings: x,
      outcomes: counts,
      committedPence: sample.committedPence,
      baseline,
      allocation: app,
      ratios: { median: ratio(app.medianMs, baseline.medianMs), p99: ratio(app.p99Ms, baseline.p99Ms) },
      target: { ms: TARGET_MS, met: app.p99Ms < TARGET_MS },
    };
    return { data, report: report(data) };
  },
};

function report(d) {
  const row = (label, t) => `${label.padEnd(46)} ${String(t.medianMs).padStart(9)} ${String(t.p99Ms).padStart(9)} ${String(t.maxMs).padStart(9)}`;
  return [
    `${d.scenarioSettings.applications} applications, five ring-fences, ${d.scenarioSettings.runs} runs each; outcomes ${JSON.stringify(d.outcomes)}`,
    '',
    `${'target'.padEnd(46)} ${'median ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}`,
    row('baseline: sort by rank and total the requests', d.baseline),
    row('allocate()', d.allocation),
    '',
    `allocation/baseline: median ${d.ratios.median}x, p99 ${d.ratios.p99}x; target p99 under ${d.target.ms} ms: ${d.target.met ? 'met' : 'NOT met'}`,
  ].join('\n');
}
