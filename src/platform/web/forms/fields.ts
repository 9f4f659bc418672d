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

/**
 * A page's query string, only the named parameters, each as text: a parameter given twice counts
 * once (its first value); others (a tracking tag, a nested `a[b]`) are dropped. For reading a
 * list page's filters into the API's query DTO.
 */
export function firstQueryValues(query: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const v = query[field];
    const first: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
    if (typeof first === 'string') out[field] = first;
  }
  return out;
}
