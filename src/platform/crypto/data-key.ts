import { randomBytes } from 'node:crypto';
// The module object itself (not a namespace copy), so a test can make a step fail or a rival
// process win the race at the moment that matters.
import fs from 'node:fs';
import * as path from 'node:path';
import { type AppConfig, ConfigError, parseDataEncryptionKey } from '../config/app-config';

/** Where the key is kept when DATA_ENCRYPTION_KEY is not set: `DATA_DIR/data-encryption.key`. */
export const DATA_KEY_FILE = 'data-encryption.key';

/**
 * The key for fields encrypted at rest: DATA_ENCRYPTION_KEY when it is set (always, in
 * production), otherwise the one kept in DATA_DIR, made on the first start. The app, the test
 * harness and the migration that encrypts existing values all find it here, so they always agree.
 *
 * A made key is never replaced: anything encrypted with it could not be read again. A key file
 * that is there but unreadable or malformed stops start-up instead of being overwritten.
 */
export function loadDataEncryptionKey(config: Pick<AppConfig, 'nodeEnv' | 'dataDir' | 'dataEncryptionKey'>): Buffer {
  if (config.dataEncryptionKey) return config.dataEncryptionKey;
  // loadConfig already refuses this; a config put together by hand must not get past it either,
  // or production data would be encrypted with a key sitting beside the database.
  if (config.nodeEnv === 'production') throw new ConfigError('DATA_ENCRYPTION_KEY', 'DATA_ENCRYPTION_KEY must be set when NODE_ENV=production');
  return readOrMakeKeyFile(path.join(config.dataDir, DATA_KEY_FILE));
}

function readOrMakeKeyFile(file: string): Buffer {
  return readKeyFile(file) ?? makeKeyFile(file);
}

/** The key in `file`, or null when there is no such file. */
function readKeyFile(file: string): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY',
      `Cannot read the data encryption key ${file}: ${(err as Error).message} — let this user read it, or set DATA_ENCRYPTION_KEY`,
    );
  }
  const key = parseDataEncryptionKey(text);
  if (!key) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY',
      `${file} does not hold a data encryption key (32 bytes as base64 or 64 hex characters): restore it from your backup, or set DATA_ENCRYPTION_KEY to the key the data was encrypted with. ` +
        'A new key cannot read what the old one encrypted, so this file is never replaced.',
    );
  }
  return key;
}

/**
 * Writes a new random key to `file` without ever leaving a partial or second key there: the key
 * is written and flushed to a temporary file of its own, then hard-linked to `file`, which fails
 * if `file` exists (rename would replace it). So a start interrupted part-way leaves either no key
 * file or a whole one, and when two processes start together on one DATA_DIR, the first link
 * wins and both read the winner's key. (A process killed between the write and the link leaves a
 * `.tmp` file behind, holding a key nothing used.)
 */
function makeKeyFile(file: string): Buffer {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY',
      `Cannot create DATA_DIR ${dir} for the data encryption key: ${(err as Error).message} — set DATA_DIR to a folder you can write to, or set DATA_ENCRYPTION_KEY`,
    );
  }
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // 'wx': a new file only; 0600: the key is for this user's eyes alone.
    const fd = fs.openSync(temporary, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(temporary, file);
      syncFolder(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another process made it first: theirs is the key, read below.
    }
  } catch (err) {
    throw new ConfigError(
      'DATA_ENCRYPTION_KEY',
      `Cannot write the data encryption key ${file}: ${(err as Error).message} — set DATA_DIR to a folder you can write to, or set DATA_ENCRYPTION_KEY`,
    );
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const key = readKeyFile(file);
  if (!key) throw new ConfigError('DATA_ENCRYPTION_KEY', `The data encryption key ${file} disappeared as it was made`);
  return key;
}

/** Makes the new directory entry durable, so a power cut cannot lose a key already in use. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every platform can open a folder (Windows); the file itself was flushed.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
