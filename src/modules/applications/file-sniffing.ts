/**
 * What a file really is, from its first bytes (and, for Office files, the parts inside the zip),
 * never from its name or the browser's claim: a ".pdf" that is really a program is refused.
 *
 * A file is also refused when its bytes could be read as something else too (a "polyglot"): an
 * image or PDF whose first kilobyte holds HTML, script or SVG markup (which a browser sniffing
 * the content could run), or a PDF/PNG/JPEG with a zip (an Office document) stuck on the end.
 * We store and serve the type we detected, so a second reading must not exist.
 */
export const ALLOWED_TYPES = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (DOCX)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet (XLSX)',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
} as const;
export type AllowedType = keyof typeof ALLOWED_TYPES;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The extension a stored file gets for its detected type, whatever the uploader called it. */
export const EXTENSIONS: Record<AllowedType, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/** How far into a file browsers look when they guess a type (the MIME Sniffing Standard reads 1,445 bytes). */
const MARKUP_WINDOW = 2048;
/** Markup a browser would render or run if it ever treated the file as HTML, SVG or XML. */
const MARKUP = /<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|\?xml-stylesheet)[\s>/]/i;

export type SniffResult = { ok: true; type: AllowedType } | { ok: false; reason: 'unknown' | 'polyglot'; detail: string };

/** The type the bytes show by their signature, if they start like one of the allowed types. */
function headerType(buf: Buffer): AllowedType | 'zip' | null {
  if (buf.length < 8) return null;
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return null;
}

/** Office Open XML: a zip whose central directory names [Content_Types].xml and the main part. */
function officeType(names: Set<string>): AllowedType | null {
  // The names are read from the directory itself: text inside some entry that merely mentions
  // them does not make a zip a Word document.
  if (!names.has('[Content_Types].xml')) return null;
  if (names.has('word/document.xml') && names.has('xl/workbook.xml')) return null; // both at once: neither
  if (names.has('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (names.has('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return null;
}

/**
 * The one type the content is, or why it is refused: `unknown` (not an allowed type) or
 * `polyglot` (it also reads as something else).
 */
export function sniffFile(buf: Buffer): SniffResult {
  const head = headerType(buf);
  if (!head) return { ok: false, reason: 'unknown', detail: 'not a PDF, DOCX, XLSX, PNG or JPEG' };
  // A zip's directory is at its end, so a zip appended to an image or PDF is a second reading.
  const zipNames = zipEntryNames(buf);
  let type: AllowedType | null;
  if (head === 'zip') {
    type = officeType(new Set(zipNames));
    if (!type) return { ok: false, reason: 'unknown', detail: 'a zip that is not a Word or Excel document' };
  } else {
    type = head;
    if (zipNames.length) return { ok: false, reason: 'polyglot', detail: `a ${ALLOWED_TYPES[type]} that is also a zip archive` };
  }
  // latin1 maps every byte to one character, so markup is found whatever the encoding around it.
  const window = buf.subarray(0, Math.min(buf.length, MARKUP_WINDOW)).toString('latin1');
  // PDF readers accept "%PDF-" anywhere in the first kilobyte, so an image or zip holding it is also a PDF.
  if (type !== 'application/pdf' && window.slice(0, 1024).includes('%PDF-'))
    return { ok: false, reason: 'polyglot', detail: `a ${ALLOWED_TYPES[type]} that is also a PDF` };
  if (MARKUP.test(window)) return { ok: false, reason: 'polyglot', detail: `a ${ALLOWED_TYPES[type]} that also contains web page or script markup` };
  return { ok: true, type };
}

/** The allowed type of the content, or null if it is not one (or is also something else). */
export function sniffContentType(buf: Buffer): AllowedType | null {
  const r = sniffFile(buf);
  return r.ok ? r.type : null;
}

/**
 * The entry names in a zip's central directory; none if there is no well-formed one. Zip readers
 * find the directory from the end of the file, and also when other data comes before the zip
 * (its recorded offset is then short by that much), so both are looked for: that is how a zip
 * hides behind an image or a PDF.
 */
function zipEntryNames(buf: Buffer): string[] {
  // The end-of-central-directory record (22 bytes) is last, followed only by a comment of up to 64 KB.
  for (let end = buf.length - 22; end >= 0 && end >= buf.length - 22 - 0xffff; end--) {
    if (buf.readUInt32LE(end) !== 0x06054b50) continue;
    const count = buf.readUInt16LE(end + 10);
    const size = buf.readUInt32LE(end + 12);
    const recorded = buf.readUInt32LE(end + 16);
    for (const start of new Set([recorded, end - size])) {
      const names = centralDirectoryNames(buf, start, end, count);
      if (names) return names;
    }
    return [];
  }
  return [];
}

function centralDirectoryNames(buf: Buffer, start: number, end: number, count: number): string[] | null {
  if (start < 0 || start > end) return null;
  let at = start;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (next > end) return null;
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at = next;
  }
  return names;
}

/**
 * The name a file is stored and served under: the uploader's name without any folder, with only
 * letters (any script), digits, spaces and . ( ) - _ kept, and always the extension of the type we
 * detected — `policy.hta` holding a PDF becomes `policy.pdf`, `report` becomes `report.pdf` — so
 * nothing that later opens the download can be steered by the name.
 */
export function storedFilename(original: string, type: string): string {
  const ext = (EXTENSIONS as Record<string, string>)[type] ?? 'bin';
  const base = (original.split(/[\\/]/).pop() ?? '').normalize('NFC');
  let stem = base
    .replace(/[^\p{L}\p{M}\p{N} .()_-]+/gu, '_')
    .replace(/\s+/g, ' ')
    // An extension is the last ".something" with no spaces; whatever it was, it goes.
    .replace(/\.[^. ]{1,16}$/, '')
    .replace(/^[. ]+|[. ]+$/g, '');
  // Dropping the old extension can leave the right one (`policy.pdf.hta`): do not say it twice.
  if (stem.toLowerCase().endsWith(`.${ext}`)) stem = stem.slice(0, -(ext.length + 1));
  stem = [...stem].slice(0, 120).join('').trim() || 'file';
  return `${stem}.${ext}`;
}

/**
 * The Content-Disposition for a download: always `attachment` (never shown inline, so the browser
 * does not render it), an ASCII fallback name, and the real name as RFC 6266/5987 `filename*`.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
