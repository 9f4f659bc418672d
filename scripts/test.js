#!/usr/bin/env node
'use strict';
/**
 * `npm test`: build the app if its sources changed (the first-start tests run the built app), then
 * the static checks (scripts/checks.js: type check, ESLint, Prettier) and every Jest suite at the
 * same time. The checks use about 40 s of one core; the suites leave the machine partly idle
 * while they wait on Chromium, child processes and fixed response times, so running the two
 * together takes about 20 s less than one after the other on two cores.
 *
 * Jest's output streams as usual; the checks' output is held and printed after it, so the two
 * never interleave. The exit code is non-zero if either failed. Arguments go to Jest, e.g.
 * `npm test -- test/unit` (the checks still run in full).
 */
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--if-needed'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function finished(child) {
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let checksOutput = '';
const checks = spawn(process.execPath, [path.join(__dirname, 'checks.js')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
checks.stdout.on('data', (d) => (checksOutput += d));
checks.stderr.on('data', (d) => (checksOutput += d));

const jest = spawn(process.execPath, [require.resolve('jest/bin/jest', { paths: [ROOT] }), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });

(async () => {
  const [checksCode, jestCode] = await Promise.all([finished(checks), finished(jest)]);
  process.stdout.write(`\n==== Static checks (type check, lint, format)${checksCode === 0 ? '' : ': FAILED'}\n${checksOutput}`);
  if (checksCode !== 0) process.stderr.write('\nnpm test failed: a static check failed (see above).\n');
  if (jestCode !== 0) process.stderr.write('\nnpm test failed: a Jest suite failed (see above).\n');
  process.exitCode = checksCode !== 0 || jestCode !== 0 ? 1 : 0;
})();
