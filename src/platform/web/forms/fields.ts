/*
 * A urlencoded form's values: a field sent once is a string, sent more than once (ticked
 * checkboxes) a list, not sent at all undefined.
 */

/** One field's value as text; the first if it was sent more than once, '' if not at all. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return str(v[0]);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  // Nothing, or a nested object (`a[b]=1`) that no field of ours is.
  return '';
}

/** A field that may be sent several times (checkboxes) as a list; [] if not sent. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v ? [str(v)] : []);
