/**
 * The module boundaries the README promises, as rules a test can check (see
 * module-boundaries.spec.ts). Kept apart from the spec so the spec can feed it invented files and
 * show each rule fires.
 *
 * - A module is imported only through its `index.ts`: `../funds`, never `../funds/rounds.service`.
 * - Another module's entity may be imported as a value only in the importing module's `entities/`
 *   folder, to declare a foreign key; anywhere else it is a type. So no module can
 *   `getRepository()` another module's table: it asks that module's service.
 * - Raw SQL in a module, and the table names it gives TypeORM's query builder, are its own tables.
 *   (Following a foreign key its own entity declares — `relations: { organisation: true }`,
 *   `leftJoinAndSelect('a.organisation', 'o')` — is allowed: that is reading a row the module
 *   refers to, for display or a filter, not reaching into another module's data model.)
 * - The platform and the shared libraries know no module; production code never imports `src/demo/`.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, with forward slashes: `src/modules/funds/rounds.service.ts`. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  rule: 'deep-import' | 'platform-imports-module' | 'lib-imports-app' | 'demo-import' | 'foreign-entity-value' | 'foreign-table-sql' | 'missing-index';
  detail: string;
}

/** Entry points that may load the demo data on first start. */
const DEMO_ALLOWED = [/^src\/main\.ts$/, /^src\/cli\//, /^src\/demo\//];
/** The composition root's entity list may name every module's entities directly. */
const ENTITY_LIST = 'src/entities.ts';

const moduleOf = (p: string) => /^src\/modules\/([^/]+)\//.exec(p)?.[1];

interface ImportInfo {
  specifier: string;
  /** Names imported as values (not `type`), by their exported name. */
  valueNames: string[];
}

function importsOf(file: SourceFile): ImportInfo[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: ImportInfo[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const valueNames: string[] = [];
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        if (clause && !clause.isTypeOnly) {
          if (clause.name) valueNames.push('default');
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamedImports(bindings)) {
            for (const el of bindings.elements) if (!el.isTypeOnly) valueNames.push((el.propertyName ?? el.name).text);
          } else if (bindings) valueNames.push('*');
        }
      } else if (!node.isTypeOnly) {
        const clause = node.exportClause;
        if (clause && ts.isNamedExports(clause)) {
          for (const el of clause.elements) if (!el.isTypeOnly) valueNames.push((el.propertyName ?? el.name).text);
        } else valueNames.push('*');
      }
      out.push({ specifier: node.moduleSpecifier.text, valueNames });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
        out.push({ specifier: node.arguments[0].text, valueNames: ['*'] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Where a relative import points, without extension: `src/modules/funds/index` → `src/modules/funds`. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.(ts|js)$/, '');
  return target.replace(/\/index$/, '');
}

/** Names each module's index exports from files under its `entities/` folder. */
function entityExports(files: SourceFile[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of files) {
    const m = /^src\/modules\/([^/]+)\/index\.ts$/.exec(f.path);
    if (!m) continue;
    const names = new Set<string>();
    for (const imp of importsOf(f)) {
      if (/^\.\/entities\//.test(imp.specifier)) imp.valueNames.forEach((n) => names.add(n));
    }
    out.set(m[1], names);
  }
  return out;
}

/** Each module's table names, read from `@Entity('table')` in its entities folder. */
function tablesByModule(files: SourceFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    const mod = moduleOf(f.path);
    if (!mod || !/\/entities\//.test(f.path)) continue;
    for (const m of f.text.matchAll(/@Entity\(\s*['"]([a-z_][a-z0-9_]*)['"]/g)) out.set(m[1], mod);
  }
  return out;
}

/** String and template literals in a file (where SQL lives). */
function literals(file: SourceFile): string[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) out.push(node.head.text + node.templateSpans.map((s) => ' ' + s.literal.text).join(''));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Table names given as text to TypeORM's query builder: `.innerJoin('organisation_membership', 'm', …)`. */
const QUERY_BUILDER_TABLE_METHODS = new Set(['innerJoin', 'leftJoin', 'innerJoinAndSelect', 'leftJoinAndSelect', 'from', 'into', 'update', 'delete']);
function queryBuilderTables(file: SourceFile): string[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_BUILDER_TABLE_METHODS.has(node.expression.name.text)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) && /^[a-z_][a-z0-9_]*$/.test(first.text)) out.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function findViolations(files: SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  const entities = entityExports(files);
  const tables = tablesByModule(files);
  const modules = new Set(files.map((f) => moduleOf(f.path)).filter((m): m is string => !!m));
  for (const mod of modules) {
    if (!files.some((f) => f.path === `src/modules/${mod}/index.ts`)) {
      violations.push({ file: `src/modules/${mod}`, rule: 'missing-index', detail: `module ${mod} has no index.ts` });
    }
  }

  for (const file of files) {
    const here = moduleOf(file.path);
    const inPlatform = file.path.startsWith('src/platform/');
    const inLibs = file.path.startsWith('libs/');
    for (const imp of importsOf(file)) {
      const target = resolve(file.path, imp.specifier);
      const aliasLib = imp.specifier.startsWith('@pcc/');
      if (!target && !aliasLib) continue;
      if (inLibs && target && !target.startsWith('libs/')) {
        violations.push({ file: file.path, rule: 'lib-imports-app', detail: `a shared library imports ${imp.specifier}` });
        continue;
      }
      if (!target) continue;
      if (target.startsWith('src/demo/') || target === 'src/demo') {
        if (!DEMO_ALLOWED.some((r) => r.test(file.path)))
          violations.push({ file: file.path, rule: 'demo-import', detail: `production code imports ${imp.specifier}` });
        continue;
      }
      const there = /^src\/modules\/([^/]+)(\/.*)?$/.exec(target);
      if (inPlatform && (there || target === 'src/entities' || target === 'src/app.module')) {
        violations.push({ file: file.path, rule: 'platform-imports-module', detail: `the platform imports ${imp.specifier}` });
        continue;
      }
      if (!there || there[1] === here) continue;
      const [, otherModule, rest] = there;
      if (rest && file.path !== ENTITY_LIST && !/^src\/(demo|cli)\//.test(file.path)) {
        violations.push({
          file: file.path,
          rule: 'deep-import',
          detail: `imports ${imp.specifier}; import from src/modules/${otherModule} (its index.ts) instead`,
        });
      }
      if (here && !rest) {
        const foreign = imp.valueNames.filter((n) => entities.get(otherModule)?.has(n));
        if (foreign.length && !file.path.startsWith(`src/modules/${here}/entities/`)) {
          violations.push({
            file: file.path,
            rule: 'foreign-entity-value',
            detail: `uses ${foreign.join(', ')} from ${otherModule} as a value; ask ${otherModule}'s service instead (import it as a type)`,
          });
        }
      }
    }
    if (here) {
      for (const table of queryBuilderTables(file)) {
        const owner = tables.get(table);
        if (owner && owner !== here) {
          violations.push({
            file: file.path,
            rule: 'foreign-table-sql',
            detail: `a query joins ${table}, a table of the ${owner} module; ask its service instead`,
          });
        }
      }
      for (const text of literals(file)) {
        for (const m of text.matchAll(/\b(?:from|join|update|into)\s+"?([a-z_][a-z0-9_]*)"?/gi)) {
          const owner = tables.get(m[1].toLowerCase());
          if (owner && owner !== here) {
            violations.push({
              file: file.path,
              rule: 'foreign-table-sql',
              detail: `SQL names ${m[1]}, a table of the ${owner} module; ask its service instead`,
            });
          }
        }
      }
    }
  }
  return violations;
}
