// Jest transformer for ESM-only packages in node_modules (NestJS 12, nodemailer 10, ...).
// Why: Node 20 runs these natively through require(esm), but Jest's own module registry only
// learns require(esm) on Node >= 24.9, and CI must run the whole suite on Node 20. swc rewrites
// import/export to CommonJS (a clean checkout, CI's case, converts about 1,200 files; swc does it
// in a fraction of the time TypeScript's transpiler took); the few `import.meta` forms these
// packages use have exact CommonJS equivalents, substituted before transpiling.
const crypto = require('node:crypto');
const swc = require('@swc/core');
const SWC_VERSION = require('@swc/core/package.json').version;

const IMPORT_META = [
  // `const require = createRequire(import.meta.url)` would redeclare CommonJS's own `require`.
  [/\b(?:const|let|var)\s+require\s*=\s*createRequire\(import\.meta\.url\);?/g, ''],
  [/import\.meta\.resolve\(/g, '__esmResolve('],
  [/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href"],
  [/import\.meta\.dirname/g, '__dirname'],
  [/import\.meta\.filename/g, '__filename'],
];
const RESOLVE_SHIM = "const __esmResolve = (s) => require('node:url').pathToFileURL(require.resolve(s)).href;\n";

module.exports = {
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha1').update('esm-to-cjs-v4').update(SWC_VERSION).update(sourcePath).update(sourceText).digest('hex');
  },
  process(sourceText, sourcePath) {
    if (!/\b(import|export)\b/.test(sourceText)) return { code: sourceText };
    let text = sourceText;
    const usesResolve = text.includes('import.meta.resolve(');
    for (const [pattern, replacement] of IMPORT_META) text = text.replace(pattern, replacement);
    const out = swc.transformSync(text, {
      filename: sourcePath,
      swcrc: false,
      configFile: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs', importInterop: 'swc' },
      sourceMaps: false,
    });
    return { code: (usesResolve ? RESOLVE_SHIM : '') + out.code };
  },
};
