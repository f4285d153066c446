/**
 * The environment variables a function's code reads, found statically by following its code from
 * the entry module's `handler`: a module's top-level code runs when it is loaded (as every module
 * it imports is), a function, class or arrow constant only when code that runs names it. In what
 * runs, every `ENV.<key>` of contracts/env.ts and every `process.env.NAME` / `process.env['NAME']`
 * is a read. Following is by name, not by call path: a function named in code that runs counts
 * even behind a branch never taken, so the result is a safe over-approximation per declaration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { ENV } from '../../contracts/env';

const ROOT = join(__dirname, '..', '..');

/** A variable read, with the module (relative to the repository root) that reads it. */
export interface EnvRead {
  readonly name: string;
  readonly module: string;
}

interface Binding {
  readonly file: string;
  /** The exported name, or `*` for a namespace import. */
  readonly name: string;
}

interface Module {
  readonly file: string;
  /** Top-level declarations by name: functions, classes, constants (run when named). */
  readonly declarations: Map<string, ts.Node>;
  /** Top-level code that runs at load: statements and non-function initializers. */
  readonly eager: ts.Node[];
  /** Modules loaded with this one (every non-type import runs its module). */
  readonly loads: string[];
  /** Local names bound by imports. */
  readonly imports: Map<string, Binding>;
  /** Exported names: a local declaration, or a binding of another module. */
  readonly exports: Map<string, { local?: string; from?: Binding }>;
  /** `export * from` targets. */
  readonly stars: string[];
}

const modules = new Map<string, Module>();

/** Every environment variable read by the code a function runs from `entry` (relative to the root). */
export function envReadsOf(entry: string): EnvRead[] {
  const reads: EnvRead[] = [];
  const loaded = new Set<string>();
  const visited = new Set<ts.Node>();
  const queue: Array<{ file: string; node: ts.Node }> = [];

  const load = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    const mod = parse(file);
    for (const node of mod.eager) queue.push({ file, node });
    for (const next of mod.loads) load(next);
  };
  const visitExport = (file: string, name: string) => {
    load(file);
    const mod = parse(file);
    if (name === '*') {
      for (const node of mod.declarations.values()) queue.push({ file, node });
      for (const star of mod.stars) visitExport(star, '*');
      return;
    }
    const exported = mod.exports.get(name);
    if (exported?.local) return visitLocal(file, exported.local);
    if (exported?.from) return visitExport(exported.from.file, exported.from.name);
    for (const star of mod.stars) if (exportsName(star, name)) return visitExport(star, name);
  };
  const visitLocal = (file: string, name: string) => {
    const mod = parse(file);
    const declaration = mod.declarations.get(name);
    if (declaration) queue.push({ file, node: declaration });
    const imported = mod.imports.get(name);
    if (imported) visitExport(imported.file, imported.name);
  };

  const entryFile = resolve(ROOT, entry);
  load(entryFile);
  visitExport(entryFile, 'handler');
  while (queue.length > 0) {
    const { file, node } = queue.pop()!;
    if (visited.has(node)) continue;
    visited.add(node);
    const module = relative(ROOT, file);
    const walk = (n: ts.Node): void => {
      const name = envName(n);
      if (name) reads.push({ name, module });
      if (ts.isIdentifier(n)) visitLocal(file, n.text);
      // A module loaded by a path held in a constant or given to import()/require() (deps.ts
      // loads the DuckDB engine this way): everything it declares may run.
      if (ts.isStringLiteral(n) && n.text.startsWith('.')) {
        const target = resolveModule(dirname(file), n.text);
        if (target) visitExport(target, '*');
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
  }
  return reads;
}

function exportsName(file: string, name: string): boolean {
  const mod = parse(file);
  return mod.exports.has(name) || mod.stars.some((star) => exportsName(star, name));
}

function parse(file: string): Module {
  const known = modules.get(file);
  if (known) return known;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const mod: Module = {
    file,
    declarations: new Map(),
    eager: [],
    loads: [],
    imports: new Map(),
    exports: new Map(),
    stars: [],
  };
  const target = (specifier: ts.Expression | undefined) =>
    specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')
      ? resolveModule(dirname(file), specifier.text)
      : undefined;
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = target(statement.moduleSpecifier);
      const clause = statement.importClause;
      if (!from || clause?.isTypeOnly) continue;
      mod.loads.push(from);
      if (clause?.name) mod.imports.set(clause.name.text, { file: from, name: 'default' });
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings))
        mod.imports.set(bindings.name.text, { file: from, name: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          mod.imports.set(el.name.text, { file: from, name: (el.propertyName ?? el.name).text });
        }
      }
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const from = target(statement.moduleSpecifier);
      if (statement.moduleSpecifier && !from) continue;
      if (from) mod.loads.push(from);
      const clause = statement.exportClause;
      if (!clause && from) mod.stars.push(from);
      if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          if (el.isTypeOnly) continue;
          const local = (el.propertyName ?? el.name).text;
          mod.exports.set(el.name.text, from ? { from: { file: from, name: local } } : { local });
        }
      }
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      if (!statement.name) continue;
      mod.declarations.set(statement.name.text, statement);
      if (exported(statement)) mod.exports.set(statement.name.text, { local: statement.name.text });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) {
          mod.eager.push(declaration);
          continue;
        }
        const name = declaration.name.text;
        mod.declarations.set(name, declaration);
        if (exported(statement)) mod.exports.set(name, { local: name });
        // `const f = () => ...` runs when called; any other initializer runs at load.
        const init = declaration.initializer;
        if (init && !ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) mod.eager.push(init);
      }
    } else if (ts.isEnumDeclaration(statement)) {
      mod.declarations.set(statement.name.text, statement);
      if (exported(statement)) mod.exports.set(statement.name.text, { local: statement.name.text });
    } else if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) {
      mod.eager.push(statement);
    }
  }
  modules.set(file, mod);
  return mod;
}

/** `ENV.registryTable` -> `REGISTRY_TABLE_NAME`; `process.env.X` / `process.env['X']` -> `X`. */
function envName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) {
    if (ts.isIdentifier(node.expression) && node.expression.text === 'ENV') {
      return (ENV as Record<string, string>)[node.name.text];
    }
    if (isProcessEnv(node.expression)) return node.name.text;
  }
  if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression)) {
    const arg = node.argumentExpression;
    if (ts.isStringLiteral(arg)) return arg.text;
  }
  return undefined;
}

function isProcessEnv(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'env' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process'
  );
}

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(from, specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
