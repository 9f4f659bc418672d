import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The vendored 360Giving 1.4.3 schemas (test/fixtures/360giving, CC BY 4.0 360Giving), as a
 * validator for a data package and as the standard's column titles.
 */
const dir = path.resolve(__dirname, '../fixtures/360giving');
type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; $defs?: Record<string, Schema>; items?: Schema; $ref?: string; title?: string };
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Schema;

/** A validator for a whole package: JSON Schema 2020-12, formats checked, the grant schema registered under its `$id`. */
export function packageValidator(): ValidateFunction {
  // The schemas name their meta-schema as "http://json-schema.org/draft/2020-12/schema", which Ajv
  // knows under its https address: each is checked against the 2020-12 meta-schema here, then
  // added without Ajv looking the http one up.
  // Strict about unknown keywords (a typo in a schema would otherwise be ignored), not about the
  // official schema's style: its oneOf lists required fields declared beside it, not inside.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, validateSchema: false });
  // The standard's own annotations (which codelist a field draws on, which fields the flat form rolls up).
  ajv.addVocabulary(['codelist', 'openCodelist', 'rollUp']);
  addFormats(ajv);
  const grant = read('360-giving-schema.json');
  const pkg = read('360-giving-package-schema.json');
  for (const schema of [grant, pkg]) {
    if (!ajv.validateSchema({ ...schema, $schema: 'https://json-schema.org/draft/2020-12/schema' })) {
      throw new Error(`vendored 360Giving schema is not valid 2020-12: ${ajv.errorsText()}`);
    }
  }
  ajv.addSchema(grant);
  return ajv.compile(pkg);
}

/**
 * Every column title the standard gives a grant's field, as its spreadsheet template writes them:
 * a field's title ("Amount Awarded"), or its list's or object's title and the field's title
 * ("Recipient Org:Postal Code", "Planned Dates:Duration (months)").
 */
export function standardTitles(): Set<string> {
  const grant = read('360-giving-schema.json');
  const resolve = (s: Schema): Schema => (s.$ref?.startsWith('#/$defs/') ? { ...grant.$defs![s.$ref.slice(8)], ...s } : s);
  const out = new Set<string>();
  for (const prop of Object.values(grant.properties!)) {
    const p = resolve(prop);
    const inner = p.items ? resolve(p.items) : p;
    if (!p.title) continue;
    if (inner.properties) for (const child of Object.values(inner.properties)) out.add(`${p.title}:${resolve(child).title}`);
    else out.add(p.title);
  }
  return out;
}
