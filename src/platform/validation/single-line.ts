import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * Characters that have no place in a one-line value such as a name or a title:
 *
 * - C0 controls U+0000–U+001F (including TAB, LF and CR) and DEL U+007F;
 * - C1 controls U+0080–U+009F (U+0085 NEL is a line break to many programs);
 * - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR;
 * - the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, and the
 *   marks U+200E, U+200F and U+061C, which can make text read differently from what it is.
 *
 * A line break in a name let anyone write their own paragraphs (and a line holding only a URL,
 * which became a link) into an official email that quoted the name. Refusing them at the edge
 * keeps them out of emails, CSV exports, logs and pages alike.
 */
// eslint-disable-next-line no-control-regex
export const NOT_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

export function isSingleLine(value: unknown): boolean {
  return typeof value === 'string' && !NOT_SINGLE_LINE.test(value);
}

/** "U+000A (line feed)": how the refused character is named in the message. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<number, string> = {
    0x09: 'tab',
    0x0a: 'line feed',
    0x0d: 'carriage return',
    0x2028: 'line separator',
    0x2029: 'paragraph separator',
    0x85: 'next line',
  };
  if (names[code]) return `${hex} (${names[code]})`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c)
    return `${hex} (text direction control)`;
  return `${hex} (control character)`;
}

/**
 * `@IsSingleLine()`: the value, when it is a string, is one line of ordinary text. Non-strings
 * are left to the field's other rules (@IsString and friends), so the message says what is wrong.
 * The rule name in error details is `isSingleLine`; the default message is GOV.UK style and names
 * the field, e.g. "Full name must be on one line, without line breaks, tabs or control
 * characters". Pass `{ label: 'Full name' }` to name the field as people see it.
 */
export function IsSingleLine(options: ValidationOptions & { label?: string } = {}): PropertyDecorator {
  const { label, ...validationOptions } = options;
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isSingleLine',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) => {
          const values = Array.isArray(args.value) ? args.value : [args.value];
          const bad = values.map((v) => (typeof v === 'string' ? NOT_SINGLE_LINE.exec(v)?.[0] : undefined)).find(Boolean);
          const name = label ?? humanise(args.property);
          return `${name} must be on one line, without line breaks, tabs or control characters${bad ? ` (it contains ${describeCharacter(bad)})` : ''}`;
        },
        ...validationOptions,
      },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isSingleLine(value),
      },
    });
  };
}

/** "contactName" → "Contact name". */
function humanise(property: string): string {
  const words = property.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
