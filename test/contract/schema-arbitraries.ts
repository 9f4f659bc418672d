import fc from 'fast-check';

/** C0 and C1 control characters (what a one-line text field refuses). */
const isControlCharacter = (c: string): boolean => {
  const n = c.codePointAt(0) ?? 0;
  return n <= 0x1f || (n >= 0x7f && n <= 0x9f);
};

/** Just enough of JSON Schema (as @nestjs/swagger writes it) to generate values from. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  example?: unknown;
}

export type Components = Record<string, Schema>;

export function resolve(schema: Schema, components: Components): Schema {
  let s = schema;
  for (let i = 0; i < 20 && s.$ref; i++) s = components[s.$ref.replace('#/components/schemas/', '')] ?? {};
  if (s.allOf?.length === 1) return { ...resolve(s.allOf[0], components), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'allOf')) };
  return s;
}

// Letters, digits, spaces and a few non-ASCII letters people really type; no control characters.
const TEXT_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', ' ', ' ', '-', "'", 'é', 'ö', '£', '’', 'ł'];
const textChar = fc.constantFrom(...TEXT_CHARS);
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');

function text(min: number, max: number): fc.Arbitrary<string> {
  // Starts and ends with a letter, so trimming never empties it or changes its length.
  const lo = Math.max(min, 1);
  const hi = Math.max(lo, Math.min(max, 60));
  if (hi <= 2) return fc.string({ unit: letter, minLength: lo, maxLength: hi });
  return fc.tuple(letter, fc.string({ unit: textChar, minLength: Math.max(0, lo - 2), maxLength: hi - 2 }), letter).map(([a, b, c]) => `${a}${b}${c}`);
}

/** A value the schema says is valid. */
export function validValue(schema: Schema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.oneOf?.length || s.anyOf?.length) return fc.oneof(...(s.oneOf ?? s.anyOf ?? []).map((x) => validValue(x, components, depth + 1)));
  if (s.allOf?.length) return validValue(s.allOf[0], components, depth + 1);
  const base = validNonNull(s, components, depth);
  return s.nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function validNonNull(s: Schema, components: Components, depth: number): fc.Arbitrary<unknown> {
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      switch (s.format) {
        case 'uuid':
          return fc.uuid({ version: 4 });
        case 'date-time':
          return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
        case 'date':
          return fc
            .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
            .map((d) => d.toISOString().slice(0, 10));
        case 'email':
          return fc
            .tuple(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnop'), minLength: 1, maxLength: 12 }), fc.constantFrom('example.org', 'example.com'))
            .map(([u, d]) => `${u}@${d}`);
        case 'binary':
          return fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1'));
        default:
          if (s.pattern)
            return fc
              .stringMatching(new RegExp(s.pattern))
              .filter(
                (x) =>
                  x.length >= (s.minLength ?? 0) &&
                  x.length <= (s.maxLength ?? Infinity) &&
                  x.isWellFormed() &&
                  !x.includes('\u0000') &&
                  ![...x].some(isControlCharacter),
              );
          return text(s.minLength ?? 1, s.maxLength ?? 60);
      }
    case 'integer': {
      const min = Math.max(s.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER);
      const max = Math.min(s.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) });
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 6 || !s.items) return fc.constant([]);
      return fc.array(validValue(s.items, components, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    }
    case 'object':
    default: {
      if (!s.properties) {
        if (s.type === 'object' || s.additionalProperties)
          return fc.dictionary(
            fc.string({ unit: letter, minLength: 1, maxLength: 8 }),
            fc.oneof(text(1, 20), fc.integer({ min: 0, max: 1000 }), fc.boolean()),
            { maxKeys: 4 },
          );
        return fc.constant({});
      }
      const required = new Set(s.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) shape[k] = validValue(v, components, depth + 1);
      return fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) });
    }
  }
}

/** Text PostgreSQL cannot store, and other hostile strings. */
export const hostileString = fc.constantFrom(
  'x\u0000y',
  '\ud800',
  'a\udc00b',
  '',
  ' ',
  'a'.repeat(36),
  '-'.repeat(36),
  'line one\r\nBcc: victim@example.org',
  '\u202eevil',
  "'; DROP TABLE application; --",
  '<script>alert(1)</script>',
  '%00',
  '1e300',
  '99999999999999999999',
  'x'.repeat(5000),
);

const hostileNumber = fc.constantFrom(1e300, -1e300, 1e20, 0.5, -1, Number.MAX_SAFE_INTEGER + 2, 1.7976931348623157e308);

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Anything at all: wrong types, hostile text, deep nesting. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  hostileNumber,
  fc.constant(deep(40)),
  fc.constant(deep(1500)),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/** A schema-valid object with one thing wrong: a field of the wrong type, a hostile value, a missing required field or an unknown field. */
export function invalidValue(schema: Schema, components: Components): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const valid = validValue(s, components);
  const props = Object.keys(s.properties ?? {});
  const options: fc.Arbitrary<unknown>[] = [anyJson];
  if (props.length) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...props), fc.oneof(anyJson, hostileString, hostileNumber)).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
      fc.tuple(valid, fc.constantFrom('colour', '__proto__x', 'constructor', 'id'), anyJson).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
    );
    const required = s.required ?? [];
    if (required.length)
      options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => Object.fromEntries(Object.entries(v as object).filter(([key]) => key !== k))));
    // One level down: a nested object or array element with a bad field.
    const nested = props.filter((p) => {
      const ps = resolve(s.properties![p], components);
      return ps.type === 'array' || ps.properties || ps.$ref;
    });
    if (nested.length) {
      options.push(
        fc
          .tuple(valid, fc.constantFrom(...nested), fc.oneof(hostileString, hostileNumber, fc.constant([{ colour: 'red' }]), fc.constant({ colour: 'red' })))
          .map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
      );
    }
  }
  return fc.oneof(...options);
}

export const badIds = fc.oneof(
  fc.constantFrom(
    'abc',
    'a'.repeat(36),
    '-'.repeat(36),
    '00000000-0000-0000-0000-00000000000g',
    '{00000000-0000-0000-0000-000000000000}',
    '00000000000000000000000000000000',
    'x%00y',
    '%ED%A0%80',
    '..',
    '1e300',
  ),
  fc.string({ maxLength: 40 }).filter((x) => x.length > 0 && !x.includes('/') && !x.includes('?') && !x.includes('#')),
);
