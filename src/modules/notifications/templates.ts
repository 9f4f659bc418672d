import * as fs from 'node:fs';
import * as path from 'node:path';
import nunjucks from 'nunjucks';
import { DEFAULT_PCC_NAME } from '../../platform/config/app-config';

/**
 * Email templates are plain text first: `src/modules/<module>/templates/<name>.txt`, a `Subject:` line, a blank line,
 * then the body. Plain text is what every mail client shows reliably and what screen readers read
 * best; the HTML part is derived from it, so the two can never say different things.
 *
 * In the body: a blank line separates paragraphs, lines starting "- " form a list, and a line that
 * is only a URL becomes a link — but only a URL the service made itself (see below).
 *
 * Values people typed (names, organisation names, reasons) are data, never structure: before
 * rendering, every string value is put on one line (control characters, line and paragraph
 * separators and text-direction controls become spaces) and marked, so that in the HTML part it
 * is escaped, cannot become a link, a list or a paragraph of its own, and is broken up so mail
 * clients do not turn a web address inside it into a link either. Only values under a key named
 * `link`, `*Url` or `*Link` that are http(s) URLs are taken as the service's own links.
 */
// Each module keeps the emails it sends in its own templates/ folder; names are unique across them.
const MODULES_ROOT = path.join(__dirname, '..');
const TEMPLATE_DIRS = fs
  .readdirSync(MODULES_ROOT)
  .map((m) => path.join(MODULES_ROOT, m, 'templates'))
  .filter((d) => fs.existsSync(d));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIRS), { autoescape: false, throwOnUndefined: true });

/**
 * Names every email may use, from configuration (the PCC's name signs them off). Set when the
 * notifications service starts; one process serves one PCC, so a module-wide global is enough.
 */
export function setEmailGlobals(globals: { pccName: string }): void {
  env.addGlobal('pccName', globals.pccName);
}
// Until the service starts (a script rendering an email by hand), the default name.
setEmailGlobals({ pccName: DEFAULT_PCC_NAME });

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export class UnknownTemplateError extends Error {}

export function renderEmail(template: string, data: Record<string, unknown>): RenderedEmail {
  if (!/^[a-z0-9-]+$/.test(template) || !TEMPLATE_DIRS.some((d) => fs.existsSync(path.join(d, `${template}.txt`)))) {
    throw new UnknownTemplateError(`No email template called "${template}"`);
  }
  const rendered = env.render(`${template}.txt`, markUserText(data) as Record<string, unknown>).replace(/\r\n/g, '\n');
  const match = /^Subject: (.+)\n\n([\s\S]*)$/.exec(rendered);
  if (!match) throw new Error(`Email template "${template}" must start with "Subject: ..." and a blank line`);
  const subject = unmark(match[1]).trim();
  const marked = match[2].trim() + '\n';
  return { subject, text: unmark(marked), html: textToHtml(subject, marked) };
}

// Private-use characters around each value people typed: they never reach a recipient (the
// plain text and the subject drop them; the HTML turns them into a <span>).
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;
const HAS_MARK = /[\uE000\uE001]/;
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]+/g;
const SERVICE_LINK_KEY = /^(link|.*Url|.*Link)$/;
const HTTP_URL = /^https?:\/\/[^\s<>"]+$/;

const unmark = (s: string) => s.replace(MARKS, '');

/** Every string in the data, except the service's own links, as one marked line of text. */
function markUserText(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (value === '' || (SERVICE_LINK_KEY.test(key) && HTTP_URL.test(value))) return value;
    return OPEN + value.replace(MARKS, '').replace(NOT_ONE_LINE, ' ') + CLOSE;
  }
  if (Array.isArray(value)) return value.map((v) => markUserText(v));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUserText(v, k)]));
  }
  return value;
}

/**
 * A value people typed, for the HTML part: escaped, and with the characters that make a web or
 * email address (. : / @) each in an element of its own, so that mail clients which turn
 * addresses in text into links (Gmail, Outlook, Apple Mail) find no address to link. It reads
 * and copies as the same text.
 */
function userTextHtml(text: string): string {
  const escaped = escape(text).replace(/[.:/@]/g, (ch) => `<span>${ch}</span>`);
  return `<span class="user-text" style="color: inherit; text-decoration: none;">${escaped}</span>`;
}

/** One line of the marked text as HTML: the template's words escaped, people's values neutralised. */
function lineHtml(line: string): string {
  let out = '';
  let rest = line;
  for (;;) {
    const open = rest.indexOf(OPEN);
    if (open < 0) return out + escape(unmark(rest));
    const close = rest.indexOf(CLOSE, open);
    if (close < 0) return out + escape(unmark(rest.slice(0, open))) + userTextHtml(unmark(rest.slice(open + 1)));
    out += escape(unmark(rest.slice(0, open))) + userTextHtml(rest.slice(open + 1, close));
    rest = rest.slice(close + 1);
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const URL_ONLY = /^https?:\/\/\S+$/;

/**
 * The HTML part, from the plain text. `text` may carry the marks renderEmail puts around people's
 * values; a line holding any is never a link, whatever it looks like.
 */
export function textToHtml(subject: string, text: string): string {
  const blocks = text.trim().split(/\n{2,}/);
  const html = blocks
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- '))) {
        return `<ul>${lines.map((l) => `<li>${lineHtml(l.slice(2))}</li>`).join('')}</ul>`;
      }
      if (lines.length === 1 && URL_ONLY.test(lines[0]) && !HAS_MARK.test(lines[0])) {
        return `<p><a href="${escape(lines[0])}">${escape(lines[0])}</a></p>`;
      }
      return `<p>${lines.map(lineHtml).join('<br>')}</p>`;
    })
    .join('\n');
  return (
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escape(subject)}</title></head>` +
    `<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.5; color: #0b0c0c; max-width: 640px;">\n${html}\n</body></html>`
  );
}
