import * as fs from 'node:fs';

/**
 * The font stack GOV.UK Frontend recommends for services that are not on GOV.UK: GDS Transport
 * is licensed for GOV.UK only, so this service (a Police and Crime Commissioner's) must not use it.
 */
export const SYSTEM_FONT_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif';

const GDS_FONT_STACK = /GDS Transport,\s*arial,\s*sans-serif/g;
const GDS_FONT_FACE = /@font-face\{font-family:\s*GDS Transport;[^}]*\}/g;
const SOURCE_MAP = /\/\*# sourceMappingURL=[^*]*\*\/\s*$/;

/**
 * GOV.UK Frontend's prebuilt stylesheet with its fonts swapped for the system stack: what its
 * Sass settings ($govuk-font-family, $govuk-include-default-font-face: false) would build, done to
 * the prebuilt file because the project has no Sass build. The @font-face rules go too, so no
 * browser ever asks for the GDS Transport files (and they are not served).
 *
 * Throws if any mention of GDS Transport is left: a GOV.UK Frontend upgrade that writes the stack
 * differently stops the app at start-up (and every test) rather than quietly bringing the font back.
 */
export function serviceStylesheet(govukCss: string): string {
  const css = govukCss.replace(GDS_FONT_FACE, '').replace(GDS_FONT_STACK, SYSTEM_FONT_STACK).replace(SOURCE_MAP, '');
  if (/GDS Transport/i.test(css)) {
    throw new Error('GOV.UK Frontend’s stylesheet still names GDS Transport after the font swap: update GDS_FONT_STACK/GDS_FONT_FACE for this release');
  }
  return css;
}

export function readServiceStylesheet(govukCssFile: string): string {
  return serviceStylesheet(fs.readFileSync(govukCssFile, 'utf8'));
}
