/**
 * What a file really is, from its first bytes (and, for Office files, the parts inside the zip),
 * never from its name or the browser's claim: a ".pdf" that is really a program is refused.
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

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

export function sniffContentType(buf: Buffer): AllowedType | null {
  if (buf.length < 8) return null;
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML: a zip whose central directory names [Content_Types].xml and the main part.
    // The names are read from the directory itself: text inside some entry that merely mentions
    // them does not make a zip a Word document.
    const names = new Set(zipEntryNames(buf));
    if (!names.has('[Content_Types].xml')) return null;
    if (names.has('word/document.xml')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (names.has('xl/workbook.xml')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  return null;
}

/** The entry names in a zip's central directory; none if the zip is not well formed. */
function zipEntryNames(buf: Buffer): string[] {
  // The end-of-central-directory record (22 bytes) is last, followed only by a comment of up to 64 KB.
  for (let end = buf.length - 22; end >= 0 && end >= buf.length - 22 - 0xffff; end--) {
    if (buf.readUInt32LE(end) !== 0x06054b50) continue;
    const count = buf.readUInt16LE(end + 10);
    let at = buf.readUInt32LE(end + 16);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      if (at + 46 > end || buf.readUInt32LE(at) !== 0x02014b50) return [];
      const nameLength = buf.readUInt16LE(at + 28);
      const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
      if (next > end) return [];
      names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
      at = next;
    }
    return names;
  }
  return [];
}

/** A name safe to show and to put in a Content-Disposition header. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  return base.replace(/[^\w .()-]+/g, '_').slice(0, 150) || 'file';
}
