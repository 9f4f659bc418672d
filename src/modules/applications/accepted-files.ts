import { type AllowedType, MAX_UPLOAD_BYTES } from './file-sniffing';

/**
 * The kinds of file an applicant may upload, in the words the pages use: the hint on a file
 * question and the refusal of a file of another kind name the same list. Keyed by type, so a type
 * added to file-sniffing.ts cannot be left out here.
 */
export const ACCEPTED_FILE_KINDS: Record<AllowedType, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
};

const kinds = Object.values(ACCEPTED_FILE_KINDS);
/** "PDF, Word document, Excel spreadsheet, PNG or JPEG". */
export const ACCEPTED_FILES_TEXT = `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
/** "10 MB". */
export const MAX_UPLOAD_TEXT = `${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`;
