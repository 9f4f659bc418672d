#!/usr/bin/env node
'use strict';
/**
 * `npm run build`: nest build (type-checked), then a fingerprint of the sources it was built from
 * in dist/.build-fingerprint.
 *
 *   node scripts/build.js              always build
 *   node scripts/build.js --if-needed  build only when the sources differ from the fingerprint
 *
 * `npm start`, `npm test` and `npm run bench` use --if-needed, so a start with unchanged sources
 * does not pay ~10 s of compiling. The fingerprint is every input's path, size and modification
 * time (not only the newest time), so a deleted, renamed or restored-older file also counts.
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const FINGERPRINT = path.join(DIST, '.build-fingerprint');
const ENTRY = path.join(DIST, 'src', 'main.js');
/** What `nest build` reads (see nest-cli.json and tsconfig.build.json). */
const INPUT_DIRS = ['src', 'libs', 'migrations', 'config'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

function walk(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

function fingerprint(root = ROOT) {
  const files = [];
  for (const d of INPUT_DIRS) walk(path.join(root, d), files);
  for (const f of INPUT_FILES) files.push(path.join(root, f));
  const hash = crypto.createHash('sha256');
  for (const f of files.sort()) {
    let s;
    try {
      s = fs.statSync(f);
    } catch {
      hash.update(`${path.relative(root, f)}\0missing\n`);
      continue;
    }
    // Whole milliseconds: tools that save or restore times (utimes, tar, cp -p) keep no finer.
    hash.update(`${path.relative(root, f)}\0${s.size}\0${Math.trunc(s.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

/** Why a build is needed, or null when dist matches the sources. */
function staleReason() {
  if (!fs.existsSync(ENTRY)) return 'no build yet';
  let built;
  try {
    built = fs.readFileSync(FINGERPRINT, 'utf8').trim();
  } catch {
    return 'built by an older build script';
  }
  return built === fingerprint() ? null : 'sources changed since the last build';
}

/** Builds; returns the exit status (0 on success). */
function build() {
  // Taken before compiling, so a file saved during the build makes the next start build again.
  const before = fingerprint();
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] });
  const r = spawnSync(process.execPath, [nest, 'build'], { cwd: ROOT, stdio: 'inherit' });
  const status = r.status ?? 1;
  if (status === 0) fs.writeFileSync(FINGERPRINT, `${before}\n`);
  else fs.rmSync(FINGERPRINT, { force: true });
  return status;
}

/** Builds when needed; returns the exit status. */
function ensureBuilt({ quiet = false } = {}) {
  const reason = staleReason();
  if (!reason) return 0;
  if (!quiet) process.stderr.write(`Building the app (${reason})…\n`);
  return build();
}

module.exports = { ensureBuilt, build, staleReason, fingerprint };

if (require.main === module) {
  process.exit(process.argv.includes('--if-needed') ? ensureBuilt() : build());
}
