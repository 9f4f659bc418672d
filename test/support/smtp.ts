import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from './ports';

export { freePort };

/** One message as the SMTP server received it, with the MIME structure decoded enough to assert on. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The DATA exactly as received (after SMTP dot-unstuffing). */
  raw: string;
  /** Top-level headers, names lower-cased, folded lines joined, RFC 2047 words decoded. */
  headers: Record<string, string>;
  subject: string | undefined;
  messageId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** The first text/plain part, decoded, line endings normalised to \n. */
  text: string | undefined;
  /** The first text/html part, decoded, line endings normalised to \n. */
  html: string | undefined;
}

export interface SmtpCaptureOptions {
  /** Fixed port; by default a free one is picked once, and reused by every start(). */
  port?: number;
}

/**
 * An in-process SMTP server on 127.0.0.1 that keeps everything it receives. It can be stopped and
 * started again on the same port, so a test can simulate an outage of the mail server the app is
 * configured to use; captured messages survive a restart.
 */
export class SmtpCapture {
  readonly messages: ReceivedMail[] = [];
  /** Every RCPT TO the server was asked for, accepted or not: shows whether a sender came back. */
  readonly recipientsSeen: string[] = [];
  /** Return a message to refuse a recipient with "550 <message>" (a permanent failure). */
  rejectRecipient: ((address: string) => string | null) | null = null;
  /** Decides AUTH attempts (answered "535" when false); clients that send no login are let in. */
  acceptLogin: (username: string, password: string) => boolean = () => true;
  /**
   * Runs after a message is captured and before the server answers its DATA, so a test can hold a
   * client mid-send, as a slow or hanging mail server would.
   */
  beforeReply: ((mail: ReceivedMail) => Promise<void> | void) | null = null;

  private server: SMTPServer | null = null;

  private constructor(readonly port: number) {}

  static async create(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
    return new SmtpCapture(options.port ?? (await freePort()));
  }

  /** The value for the app's SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      // Logins are only offered over TLS unless this is set; the tests speak plain SMTP.
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        if (this.acceptLogin(auth.username ?? '', auth.password ?? '')) return callback(null, { user: auth.username });
        callback(new Error('Invalid username or password'));
      },
      // smtp-server offers STARTTLS with a self-signed certificate, which nodemailer would take up
      // and then refuse; an internal relay without TLS is what smtp:// URLs describe anyway.
      hideSTARTTLS: true,
      logger: false,
      // A reverse DNS lookup of 127.0.0.1 tells a test nothing and stalls where DNS is unreachable.
      disableReverseLookup: true,
      // Stopping must not hang a test on a client that keeps its connection open.
      closeTimeout: 500,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        this.recipientsSeen.push(address.address);
        const reason = this.rejectRecipient?.(address.address);
        if (reason) return callback(Object.assign(new Error(reason), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          // latin1 keeps every byte as one char, so 8bit parts can be re-decoded as UTF-8 below.
          const mail = parseMail(Buffer.concat(chunks).toString('latin1'), envelope);
          this.messages.push(mail);
          Promise.resolve(this.beforeReply?.(mail)).then(() => callback(), callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Connection-level errors (a client hanging up mid-session) must not crash the test process.
    server.on('error', () => undefined);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets captured messages and recipients; keeps the server running and its rules as set. */
  clear(): void {
    this.messages.length = 0;
    this.recipientsSeen.length = 0;
  }

  /** For messages that arrive through something other than an awaited send. */
  async waitForMessages(count: number, timeoutMs = 5000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`Expected ${count} email(s) within ${timeoutMs} ms, got ${this.messages.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.messages;
  }
}

// --- A deliberately small MIME reader: enough for what nodemailer produces ------------------------

interface MimeEntity {
  headers: Record<string, string>;
  body: string;
}

export function parseMail(raw: string, envelope: ReceivedMail['envelope']): ReceivedMail {
  const root = splitEntity(raw);
  const leaves = flatten(root);
  const find = (type: string) => {
    const part = leaves.find((p) => mediaType(p.headers) === type);
    return part ? decodeBody(part).replace(/\r\n/g, '\n') : undefined;
  };
  return {
    envelope,
    raw,
    headers: root.headers,
    subject: root.headers['subject'],
    messageId: root.headers['message-id'],
    from: root.headers['from'],
    to: root.headers['to'],
    text: find('text/plain'),
    html: find('text/html'),
  };
}

function splitEntity(raw: string): MimeEntity {
  const match = /\r?\n\r?\n/.exec(raw);
  const headerText = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of headerText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // The first occurrence wins, as with Subject/Message-ID; Received-style repeats are not needed.
    if (!(name in headers)) headers[name] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function flatten(entity: MimeEntity): MimeEntity[] {
  const type = entity.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [entity];
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of entity.body.split(/\r?\n/)) {
    if (line === `--${boundary}` || line === `--${boundary}--`) {
      if (current) parts.push(current.join('\r\n'));
      if (line === `--${boundary}--`) break;
      current = [];
      continue;
    }
    current?.push(line);
  }
  return parts.flatMap((p) => flatten(splitEntity(p)));
}

function mediaType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
}

function decodeBody(part: MimeEntity): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return bytes.toString('utf8');
}

function decodeQuotedPrintable(text: string): Buffer {
  const unfolded = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unfolded.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words, which nodemailer uses for non-ASCII subjects and names. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bqBQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
