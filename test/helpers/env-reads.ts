/**
 * The environment variables a function's code reads, found statically: every module reachable
 * from its entry through relative imports (and `require` of a relative path held in a constant,
 * as the DuckDB engine is loaded), and in each one every `ENV.<key>` of contracts/env.ts and every
 * `process.env.NAME` / `process.env['NAME']`. Reachability is by module, not by call: a module's
 * reads count even where the entry never calls the function holding them.
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

/** Every environment variable read by the modules reachable from `entry` (relative to the root). */
export function envReadsOf(entry: string): EnvRead[] {
  const seen = new Set<string>();
  const reads: EnvRead[] = [];
  const queue = [resolve(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const scanned = scan(file);
    reads.push(...scanned.reads);
    queue.push(...scanned.imports);
  }
  return reads;
}

const scanned = new Map<string, { reads: EnvRead[]; imports: string[] }>();

/** One module's own reads and the modules it imports, parsed once. */
function scan(file: string): { reads: EnvRead[]; imports: string[] } {
  const known = scanned.get(file);
  if (known) return known;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const module = relative(ROOT, file);
  const result = { reads: [] as EnvRead[], imports: [] as string[] };
  const visit = (node: ts.Node): void => {
    const imported = importedPath(node);
    if (imported?.startsWith('.')) {
      const target = resolveModule(dirname(file), imported);
      if (target) result.imports.push(target);
    }
    const name = envName(node);
    if (name) result.reads.push({ name, module });
    ts.forEachChild(node, visit);
  };
  visit(source);
  // `require(modulePath)` with the path in a constant: follow each relative path literal in the
  // file that names a module next to it (deps.ts loads the DuckDB engine this way).
  for (const [, literal] of source.text.matchAll(/=\s*'(\.\.?\/[^']+)'/g)) {
    const target = resolveModule(dirname(file), literal);
    if (target) result.imports.push(target);
  }
  scanned.set(file, result);
  return result;
}

function importedPath(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    // Type-only imports bring no code along.
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly) return undefined;
    if (ts.isExportDeclaration(node) && node.isTypeOnly) return undefined;
    return (node.moduleSpecifier as ts.StringLiteral).text;
  }
  if (
    ts.isCallExpression(node) &&
    (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
      (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
    node.arguments[0] &&
    ts.isStringLiteral(node.arguments[0])
  ) {
    return node.arguments[0].text;
  }
  return undefined;
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
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return undefined;
}
