#!/usr/bin/env node
'use strict';
/**
 * The static checks `npm test` runs before the suites: the type check, ESLint (zero warnings) and
 * Prettier's check. They are independent and each mostly single-threaded, so they run at the same
 * time (about 20 s instead of 40 on two cores). Each one's output is printed whole, in a fixed
 * order, once all have finished; the exit code is non-zero if any of them failed.
 *
 * The same three run one at a time as `npm run typecheck`, `npm run lint` and `npm run format:check`.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'typecheck (tsc --noEmit)', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint (eslint, zero warnings)', command: bin('eslint'), args: ['.', '--max-warnings', '0'] },
  { name: 'format (prettier --check)', command: bin('prettier'), args: ['--check', '.', '--log-level', 'warn'] },
];

function run({ name, command, args }) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ name, code: 1, output: `${output}${err.message}\n`, ms: Date.now() - started }));
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), output, ms: Date.now() - started }));
  });
}

(async () => {
  const results = await Promise.all(CHECKS.map(run));
  for (const r of results) {
    const status = r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`;
    process.stdout.write(`\n> ${r.name}: ${status} in ${(r.ms / 1000).toFixed(1)} s\n`);
    if (r.output.trim()) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
  }
  process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
})();
