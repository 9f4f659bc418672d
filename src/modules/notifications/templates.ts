import * as fs from 'node:fs';
import * as path from 'node:path';
import nunjucks from 'nunjucks';

/**
 * Email templates are plain text first: `src/modules/<module>/templates/<name>.txt`, a `Subject:` line, a blank line,
 * then the body. Plain text is what every mail client shows reliably and what screen readers read
 * best; the HTML part is derived from it, so the two can never say different things.
 *
 * In the body: a blank line separates paragraphs, lines starting "- " form a list, and a line that
 * is only a URL becomes a link.
 */
// Each module keeps the emails it sends in its own templates/ folder; names are unique across them.
const MODULES_ROOT = path.join(__dirname, '..');
const TEMPLATE_DIRS = fs
  .readdirSync(MODULES_ROOT)
  .map((m) => path.join(MODULES_ROOT, m, 'templates'))
  .filter((d) => fs.existsSync(d));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIRS), { autoescape: false, throwOnUndefined: true });

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
  const rendered = env.render(`${template}.txt`, data).replace(/\r\n/g, '\n');
  const match = /^Subject: (.+)\n\n([\s\S]*)$/.exec(rendered);
  if (!match) throw new Error(`Email template "${template}" must start with "Subject: ..." and a blank line`);
  const subject = match[1].trim();
  const text = match[2].trim() + '\n';
  return { subject, text, html: textToHtml(subject, text) };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const URL_ONLY = /^https?:\/\/\S+$/;

export function textToHtml(subject: string, text: string): string {
  const blocks = text.trim().split(/\n{2,}/);
  const html = blocks
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- '))) {
        return `<ul>${lines.map((l) => `<li>${escape(l.slice(2))}</li>`).join('')}</ul>`;
      }
      if (lines.length === 1 && URL_ONLY.test(lines[0])) {
        return `<p><a href="${escape(lines[0])}">${escape(lines[0])}</a></p>`;
      }
      return `<p>${lines.map(escape).join('<br>')}</p>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escape(subject)}</title></head>` +
    `<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.5; color: #0b0c0c; max-width: 640px;">\n${html}\n</body></html>`;
}
