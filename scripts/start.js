#!/usr/bin/env node
'use strict';
/**
 * `npm start`: build if the sources changed since the last build, then run the app in this same
 * process. package.json runs it as `exec node scripts/start.js`, so npm's shell is replaced by
 * this process and the SIGTERM or SIGINT npm forwards reaches the app itself. (With a chain such
 * as `npm run build && node dist/src/main.js`, npm signals only the shell, which dies and leaves
 * the app and its PostgreSQL running.)
 */
const path = require('node:path');
const { ensureBuilt } = require('./build');

const status = ensureBuilt();
if (status !== 0) {
  process.stderr.write('The build failed (see above), so the app was not started.\n');
  process.exit(status);
}

// If whoever started us goes away without passing a signal on (npm killed outright, a shell that
// does not forward it), we are reparented: stop as if told to, rather than run on unowned.
if (process.env.npm_lifecycle_event === 'start') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

require(path.join(__dirname, '..', 'dist', 'src', 'main.js'));
