import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Every setting comes from the environment and is checked once, at boot. A wrong value stops
 * start-up with one line naming the variable and what it should be, instead of surfacing later as
 * a confusing failure in the middle of someone's application.
 *
 * The README's configuration table is generated from the same descriptions (see SETTINGS).
 */
export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  publicBaseUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  /** null: use the port remembered under DATA_DIR, else 54329, else any free port. */
  embeddedPgPort: number | null;
  smtpUrl: string | null;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  outboxPollMs: number;
  outboxRetryBaseMs: number;
  trustProxy: boolean;
  seedDemoOnFirstStart: boolean;
  shutdownGraceMs: number;
  /** How far V8 lets the old generation grow past its live size before a full collection (0: V8's own, up to 300). */
  heapGrowthPercent: number;
  sessionSecret: string | null;
  /**
   * The AES-256 key for fields encrypted at rest (see src/platform/crypto). null: kept in
   * DATA_DIR/data-encryption.key, made on first start (never in production).
   */
  dataEncryptionKey: Buffer | null;
  sessionIdleMinutes: number;
  staffMfaRequired: boolean;
  /** Payment requests above this many pence need two different approvers. */
  paymentDualApprovalPence: number;
  /** A grant variation that increases the award by more than this many pence needs a Commissioner's decision. */
  variationDecisionThresholdPence: number;
  apiTokenDays: number;
  demoPassword: string | null;
  /** Whose service this is: shown in the header (unless SERVICE_LOGO_TEXT), the footer's copyright and the accessibility statement. */
  pccName: string;
  serviceLogoText: string;
  contactEmail: string;
  /** The 360Giving publisher prefix ("360G-wmpcc"): grant identifiers in the open data are `<prefix>-<application reference>`. */
  openDataIdPrefix: string;
  /** The funder in the open data: its organisation identifier (org-id.guide) and name. */
  fundingOrganisationId: string;
  fundingOrganisationName: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface Setting<T> {
  name: string;
  description: string;
  default: string;
  parse: (raw: string | undefined, env: Env) => T;
}

function fail(name: string, raw: string | undefined, expected: string): never {
  const shown = raw === undefined ? '(not set)' : JSON.stringify(raw);
  throw new ConfigError(name, `Invalid environment: ${name}=${shown} — expected ${expected}`);
}

function integer(name: string, fallback: number, min: number, max: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(name, raw, `a whole number from ${min} to ${max}`);
    return Number(raw);
  };
}

function boolean(name: string, fallback: (env: Env) => boolean) {
  return (raw: string | undefined, env: Env): boolean => {
    if (raw === undefined || raw === '') return fallback(env);
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return fail(name, raw, '"true" or "false"');
  };
}

/** A name shown on every page: one line of ordinary text, not so long that it breaks the header. */
function displayName(name: string, fallback: (env: Env) => string) {
  return (raw: string | undefined, env: Env): string => {
    const v = raw === undefined || raw.trim() === '' ? fallback(env) : raw.trim();
    // eslint-disable-next-line no-control-regex
    if (v.length > 100 || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) fail(name, raw, 'one line of text, at most 100 characters');
    return v;
  };
}

function url(name: string, protocols: string[], required: (env: Env) => string | null) {
  return (raw: string | undefined, env: Env): string | null => {
    if (raw === undefined || raw === '') {
      const why = required(env);
      if (why) fail(name, raw, why);
      return null;
    }
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return fail(name, '<hidden>', `a URL starting ${protocols.map((p) => p + '//').join(' or ')}`);
    }
    if (!protocols.includes(parsed.protocol)) fail(name, '<hidden>', `a URL starting ${protocols.map((p) => p + '//').join(' or ')}`);
    return raw;
  };
}

/**
 * A 32-byte key written as base64 (what `openssl rand -base64 32` prints; base64url too) or as 64
 * hex digits, or null when the text is neither. Surrounding white space is ignored, as a key
 * pasted into a file usually ends with a newline.
 */
export function parseDataEncryptionKey(text: string): Buffer | null {
  const t = text.trim();
  // Hex first: 64 hex digits are also valid base64, of 48 bytes.
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/=$/, ''), t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

const DATA_ENCRYPTION_KEY_EXPECTED = '32 random bytes as base64 (44 characters, from "openssl rand -base64 32") or as 64 hex characters';

export const DEFAULT_PCC_NAME = 'West Midlands Police and Crime Commissioner';
const DEFAULT_CONTACT_EMAIL = 'grants@pcc.example.org';

const pccName = displayName('PCC_NAME', () => DEFAULT_PCC_NAME);

/**
 * 360Giving gives each publisher a prefix such as "360G-wmpcc"; until the PCC has one, the
 * prefix this system already gives organisations without a registered number stands in.
 */
export const DEFAULT_OPEN_DATA_ID_PREFIX = '360G-pccgrants';

/** An identifier as 360Giving writes them: letters, digits and hyphens, no spaces (they end up in every grant's id). */
function identifier(name: string, fallback: (env: Env) => string, pattern: RegExp, expected: string) {
  return (raw: string | undefined, env: Env): string => {
    const v = raw === undefined || raw.trim() === '' ? fallback(env) : raw.trim();
    if (v.length > 100 || !pattern.test(v)) fail(name, raw, expected);
    return v;
  };
}
const openDataIdPrefix = identifier(
  'OPEN_DATA_ID_PREFIX',
  () => DEFAULT_OPEN_DATA_ID_PREFIX,
  /^360G-[A-Za-z0-9][A-Za-z0-9-]*$/,
  'a 360Giving prefix like 360G-wmpcc (360G- then letters, digits and hyphens)',
);

const isProduction = (env: Env) => env.NODE_ENV === 'production';

export const SETTINGS = {
  nodeEnv: {
    name: 'NODE_ENV',
    description: 'development, test or production. Production requires SMTP_URL and turns on secure cookies.',
    default: 'development',
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw === '' ? 'development' : raw;
      if (v !== 'development' && v !== 'test' && v !== 'production') fail('NODE_ENV', raw, 'development, test or production');
      return v;
    },
  },
  port: { name: 'PORT', description: 'HTTP port to listen on.', default: '3000', parse: integer('PORT', 3000, 0, 65535) },
  host: {
    name: 'HOST',
    description: 'Interface to listen on.',
    default: '127.0.0.1',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? '127.0.0.1' : raw),
  },
  publicBaseUrl: {
    name: 'PUBLIC_BASE_URL',
    description: 'The address people use to reach the site; used for links in emails.',
    default: 'http://localhost:$PORT',
    parse: (raw: string | undefined, env: Env) => {
      if (raw === undefined || raw === '') return `http://localhost:${env.PORT || 3000}`;
      url('PUBLIC_BASE_URL', ['http:', 'https:'], () => null)(raw, env);
      return raw.replace(/\/+$/, '');
    },
  },
  databaseUrl: {
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL. When unset, an embedded PostgreSQL server is started with its data under DATA_DIR.',
    default: '(embedded)',
    parse: url('DATABASE_URL', ['postgres:', 'postgresql:'], () => null),
  },
  dataDir: {
    name: 'DATA_DIR',
    description: 'Where the embedded database keeps its files, and the generated data encryption key (see DATA_ENCRYPTION_KEY).',
    default: './var',
    parse: (raw: string | undefined) => path.resolve(raw === undefined || raw === '' ? './var' : raw),
  },
  embeddedPgPort: {
    name: 'EMBEDDED_PG_PORT',
    description:
      'Port for the embedded PostgreSQL server (only used without DATABASE_URL). When unset, 54329 is used if free, otherwise a free port is chosen; the choice is remembered in DATA_DIR/postgres.port. When set, that port must be free.',
    default: '54329 or a free port',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? null : integer('EMBEDDED_PG_PORT', 54329, 1024, 65535)(raw)),
  },
  smtpUrl: {
    name: 'SMTP_URL',
    description:
      'SMTP server for outgoing email, e.g. smtps://user:pass@smtp.example.org:465. Required in production. When unset, email goes to the local mailbox at /admin/mailbox.',
    default: '(local mailbox)',
    parse: url('SMTP_URL', ['smtp:', 'smtps:'], (env) => (isProduction(env) ? 'an smtp:// or smtps:// URL (required when NODE_ENV=production)' : null)),
  },
  mailFrom: {
    name: 'MAIL_FROM',
    description: 'The From address on every email.',
    default: 'PCC Grants <grants@pcc.example.org>',
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw === '' ? 'PCC Grants <grants@pcc.example.org>' : raw;
      if (!/@/.test(v)) fail('MAIL_FROM', raw, 'an email address, optionally with a name: Name <address@example.org>');
      return v;
    },
  },
  logLevel: {
    name: 'LOG_LEVEL',
    description: 'fatal, error, warn, info, debug, trace or silent.',
    default: 'info',
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw === '' ? 'info' : raw;
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(v))
        fail('LOG_LEVEL', raw, 'one of fatal, error, warn, info, debug, trace, silent');
      return v as AppConfig['logLevel'];
    },
  },
  outboxPollMs: {
    name: 'OUTBOX_POLL_MS',
    description: 'How often the email outbox is checked for messages due to be sent, in milliseconds. 0 turns the sender off (tests drive it directly).',
    default: '1000',
    parse: integer('OUTBOX_POLL_MS', 1000, 0, 3_600_000),
  },
  outboxRetryBaseMs: {
    name: 'OUTBOX_RETRY_BASE_MS',
    description: 'First retry delay for an email that could not be sent; it doubles on each attempt, up to an hour.',
    default: '5000',
    parse: integer('OUTBOX_RETRY_BASE_MS', 5000, 1, 3_600_000),
  },
  trustProxy: {
    name: 'TRUST_PROXY',
    description: 'true when behind a reverse proxy that sets X-Forwarded-For/-Proto.',
    default: 'false',
    parse: boolean('TRUST_PROXY', () => false),
  },
  seedDemoOnFirstStart: {
    name: 'SEED_DEMO_ON_FIRST_START',
    description: 'Load the demo data into the embedded database when it has none yet: on the first start, or on the next one if the first did not finish.',
    default: 'true',
    parse: boolean('SEED_DEMO_ON_FIRST_START', (env) => !isProduction(env)),
  },
  shutdownGraceMs: {
    name: 'SHUTDOWN_GRACE_MS',
    description: 'How long a shutdown waits for requests in flight before closing connections.',
    default: '10000',
    parse: integer('SHUTDOWN_GRACE_MS', 10000, 0, 600_000),
  },
  heapGrowthPercent: {
    name: 'HEAP_GROWTH_PERCENT',
    description:
      'How far the JavaScript heap may grow past what is in use before a full garbage collection, in per cent. Long exports make short-lived garbage; left to itself V8 lets the heap reach several times its live size first. 0 leaves it to V8.',
    default: '30',
    parse: integer('HEAP_GROWTH_PERCENT', 30, 0, 300),
  },
  sessionSecret: {
    name: 'SESSION_SECRET',
    description:
      'Secret that signs session cookies (at least 32 characters). Required in production; elsewhere a random one is made at start-up, so sessions end when the app restarts.',
    default: '(random per start)',
    parse: (raw: string | undefined, env: Env) => {
      if (raw === undefined || raw === '') {
        if (isProduction(env)) fail('SESSION_SECRET', raw, 'a random string of at least 32 characters (required when NODE_ENV=production)');
        return null;
      }
      if (raw.length < 32) fail('SESSION_SECRET', '<hidden>', 'a random string of at least 32 characters');
      return raw;
    },
  },
  dataEncryptionKey: {
    name: 'DATA_ENCRYPTION_KEY',
    description:
      'The key that encrypts sensitive fields at rest (authenticator-app secrets, bank details): 32 random bytes as base64 (openssl rand -base64 32) or 64 hex characters. Required in production. When unset, one is made on first start and kept in DATA_DIR/data-encryption.key (readable by its owner only). Without the key the encrypted fields cannot be read: back it up, apart from the database backups.',
    default: '(generated in DATA_DIR)',
    parse: (raw: string | undefined, env: Env) => {
      if (raw === undefined || raw.trim() === '') {
        if (isProduction(env)) fail('DATA_ENCRYPTION_KEY', raw, `${DATA_ENCRYPTION_KEY_EXPECTED} (required when NODE_ENV=production)`);
        return null;
      }
      // Never echoed: even a malformed key may be most of the real one.
      return parseDataEncryptionKey(raw) ?? fail('DATA_ENCRYPTION_KEY', '<hidden>', DATA_ENCRYPTION_KEY_EXPECTED);
    },
  },
  sessionIdleMinutes: {
    name: 'SESSION_IDLE_MINUTES',
    description: 'Minutes of inactivity after which a person is signed out; they are warned 2 minutes before.',
    default: '30',
    parse: integer('SESSION_IDLE_MINUTES', 30, 5, 24 * 60),
  },
  staffMfaRequired: {
    name: 'STAFF_MFA_REQUIRED',
    description:
      'Require staff (every role) to use an authenticator app. Defaults to true in production, false otherwise so the demo can be tried without one.',
    default: 'true in production',
    parse: boolean('STAFF_MFA_REQUIRED', isProduction),
  },
  paymentDualApprovalPence: {
    name: 'PAYMENT_DUAL_APPROVAL_PENCE',
    description: 'Payment requests above this amount, in pence, need two different finance approvers (neither the person who raised it).',
    default: '1000000',
    parse: integer('PAYMENT_DUAL_APPROVAL_PENCE', 1_000_000, 0, 100_000_000_000),
  },
  variationDecisionThresholdPence: {
    name: 'VARIATION_DECISION_THRESHOLD_PENCE',
    description:
      'A variation that increases a grant by more than this amount, in pence, can be approved only with an approved Commissioner’s decision from the decisions register.',
    default: '500000',
    parse: integer('VARIATION_DECISION_THRESHOLD_PENCE', 500_000, 0, 100_000_000_000),
  },
  apiTokenDays: {
    name: 'API_TOKEN_DAYS',
    description: 'How many days a personal API token lasts.',
    default: '90',
    parse: integer('API_TOKEN_DAYS', 90, 1, 366),
  },
  demoPassword: {
    name: 'DEMO_PASSWORD',
    description: 'Password for the demo users. When unset, one is generated and printed when the demo data is first loaded.',
    default: '(generated)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? null : raw),
  },
  pccName: {
    name: 'PCC_NAME',
    description:
      'The Police and Crime Commissioner whose service this is: shown in the header, the copyright line in the footer and the accessibility statement.',
    default: DEFAULT_PCC_NAME,
    parse: pccName,
  },
  serviceLogoText: {
    name: 'SERVICE_LOGO_TEXT',
    description: "The text in the header's logo space, linking to the start page, e.g. a shorter form of the PCC's name.",
    default: '$PCC_NAME',
    parse: displayName('SERVICE_LOGO_TEXT', (env) => pccName(env.PCC_NAME, env)),
  },
  contactEmail: {
    name: 'CONTACT_EMAIL',
    description:
      'Where people can write to the grants team about the service: given in the accessibility statement for other formats and accessibility problems.',
    default: DEFAULT_CONTACT_EMAIL,
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw.trim() === '' ? DEFAULT_CONTACT_EMAIL : raw.trim();
      if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(v)) fail('CONTACT_EMAIL', raw, 'an email address, like grants@pcc.example.org');
      return v;
    },
  },
  openDataIdPrefix: {
    name: 'OPEN_DATA_ID_PREFIX',
    description:
      'The 360Giving publisher prefix the PCC was given, e.g. 360G-wmpcc: each grant in the open data (/open-data) is identified as <prefix>-<application reference>. Changing it changes every published identifier.',
    default: DEFAULT_OPEN_DATA_ID_PREFIX,
    parse: openDataIdPrefix,
  },
  fundingOrganisationId: {
    name: 'FUNDING_ORGANISATION_ID',
    description:
      "The Commissioner's organisation identifier in the open data (org-id.guide, e.g. GB-GOR-… where the PCC is listed on the government organisation register); unset, one is made in the 360Giving prefix.",
    default: '$OPEN_DATA_ID_PREFIX-pcc',
    parse: identifier(
      'FUNDING_ORGANISATION_ID',
      (env) => `${openDataIdPrefix(env.OPEN_DATA_ID_PREFIX, env)}-pcc`,
      /^[A-Za-z0-9][A-Za-z0-9-]*$/,
      'an organisation identifier like GB-GOR-PB123 or 360G-wmpcc-pcc (letters, digits and hyphens)',
    ),
  },
  fundingOrganisationName: {
    name: 'FUNDING_ORGANISATION_NAME',
    description: "The funder's name in the open data.",
    default: '$PCC_NAME',
    parse: displayName('FUNDING_ORGANISATION_NAME', (env) => pccName(env.PCC_NAME, env)),
  },
} satisfies { [K in keyof AppConfig]: Setting<AppConfig[K]> };

export function loadConfig(env: Env = process.env): AppConfig {
  const out: Partial<Record<keyof AppConfig, unknown>> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof AppConfig, Setting<unknown>][]) {
    out[key] = setting.parse(env[setting.name], env);
  }
  return out as AppConfig;
}

/**
 * Only the named settings, for a tool that needs a few of them (the migration that must find the
 * data encryption key) and should not refuse to run over a setting it never uses.
 */
export function loadConfigSettings<K extends keyof AppConfig>(keys: readonly K[], env: Env = process.env): Pick<AppConfig, K> {
  const out: Partial<Record<keyof AppConfig, unknown>> = {};
  for (const key of keys) {
    const setting = SETTINGS[key] as Setting<unknown>;
    out[key] = setting.parse(env[setting.name], env);
  }
  return out as Pick<AppConfig, K>;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Reads `file` (KEY=value lines, as in config/.env.example) into `env`, for the settings not
 * already set there: a variable given in the environment always wins over the file. A missing
 * file is normal. Returns the names taken from the file.
 */
export function loadEnvFile(file: string, env: Env = process.env): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError('.env', `Cannot read ${file}: ${(err as Error).message}`);
  }
  const taken: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    taken.push(name);
  }
  return taken;
}
