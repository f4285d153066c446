/**
 * The error catalogue holds: every error the handlers throw names a catalogued code, and no code is
 * thrown with two statuses. The status classes already refuse a code of another status at compile
 * time; this reads the source as written (casts included) so a regression shows the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../contracts/errors';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PlatformError,
  UnprocessableError,
} from '../../../lambdas/shared/errors';

const ROOT = join(__dirname, '..', '..', '..');

/** The status each status class renders; PlatformError and its direct subclasses take it from the code. */
const CLASS_STATUS: Record<string, number | undefined> = {
  BadRequestError: 400,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  UnprocessableError: 422,
};

interface Use {
  readonly code: string;
  readonly status: number;
  readonly where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Classes declared anywhere that extend a status class (directly or not), with the status they inherit. */
function classStatuses(files: readonly ts.SourceFile[]): Map<string, number | undefined> {
  const parents = new Map<string, string>();
  for (const sf of files) {
    sf.forEachChild(function visit(node): void {
      if (ts.isClassDeclaration(node) && node.name && node.heritageClauses) {
        const base = node.heritageClauses[0]?.types[0]?.expression;
        if (base && ts.isIdentifier(base)) parents.set(node.name.text, base.text);
      }
      node.forEachChild(visit);
    });
  }
  const statuses = new Map<string, number | undefined>(Object.entries(CLASS_STATUS));
  statuses.set('PlatformError', undefined);
  const resolve = (name: string, seen = new Set<string>()): number | undefined | null => {
    if (statuses.has(name)) return statuses.get(name);
    const parent = parents.get(name);
    if (!parent || seen.has(name)) return null;
    seen.add(name);
    return resolve(parent, seen);
  };
  for (const name of parents.keys()) {
    const status = resolve(name);
    if (status !== null) statuses.set(name, status);
  }
  return statuses;
}

/** Every `new X('CODE', ...)` and `super('CODE', ...)` in a platform error class, with its status. */
function codeUses(): Use[] {
  const files = sourceFiles(join(ROOT, 'lambdas')).map((file) =>
    ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
  );
  const statuses = classStatuses(files);
  const uses: Use[] = [];
  for (const sf of files) {
    const where = (node: ts.Node) =>
      `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const record = (className: string, args: readonly ts.Expression[], node: ts.Node) => {
      if (!statuses.has(className)) return;
      for (const code of literalCodes(args[0])) {
        const status = statuses.get(className) ?? ERROR_CATALOGUE[code as ErrorCode] ?? -1;
        uses.push({ code, status, where: where(node) });
      }
    };
    sf.forEachChild(function visit(node): void {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        record(node.expression.text, node.arguments ?? [], node);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const cls = enclosingClass(node);
        const base = cls?.heritageClauses?.[0]?.types[0]?.expression;
        if (base && ts.isIdentifier(base)) record(base.text, node.arguments, node);
      }
      node.forEachChild(visit);
    });
  }
  return uses;
}

/** The string literals an argument can be: `'A'`, or either side of `cond ? 'A' : 'B'`. */
function literalCodes(arg: ts.Expression | undefined): string[] {
  if (!arg) return [];
  if (ts.isStringLiteral(arg)) return /^[A-Z][A-Z0-9_]+$/.test(arg.text) ? [arg.text] : [];
  if (ts.isConditionalExpression(arg)) return [...literalCodes(arg.whenTrue), ...literalCodes(arg.whenFalse)];
  if (ts.isParenthesizedExpression(arg) || ts.isAsExpression(arg)) return literalCodes(arg.expression);
  return [];
}

function enclosingClass(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isClassDeclaration(n)) return n;
  return undefined;
}

describe('the error catalogue', () => {
  const uses = codeUses();

  it('finds the codes the handlers throw (the scan itself works)', () => {
    // Assess: a few known throw sites are seen, with their status.
    expect(uses.length).toBeGreaterThan(50);
    expect(uses).toContainEqual(expect.objectContaining({ code: 'MODEL_NOT_FOUND', status: 404 }));
    expect(uses).toContainEqual(expect.objectContaining({ code: 'FEATURE_VIEW_NOT_FOUND', status: 404 }));
  });

  it('names every thrown code, with the status the catalogue gives it', () => {
    // Assess
    const wrong = uses
      .filter((u) => ERROR_CATALOGUE[u.code as ErrorCode] !== u.status)
      .map(
        (u) =>
          `${u.where}: ${u.code} thrown as ${u.status}, catalogued as ${ERROR_CATALOGUE[u.code as ErrorCode]}`,
      );
    expect(wrong).toEqual([]);
  });

  it('has no code thrown with two statuses', () => {
    // Prepare
    const byCode = new Map<string, Set<number>>();
    for (const u of uses) byCode.set(u.code, (byCode.get(u.code) ?? new Set()).add(u.status));
    // Assess
    const twice = [...byCode]
      .filter(([, s]) => s.size > 1)
      .map(([code, s]) => `${code}: ${[...s].join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('lists no code that nothing throws', () => {
    // INTERNAL is rendered for unknown errors; FORBIDDEN is reserved for authorization refusals.
    const reserved = new Set(['INTERNAL', 'FORBIDDEN']);
    const thrown = new Set(uses.map((u) => u.code));
    // Some codes travel as values (a verify failure's code) rather than literals at a throw site.
    const source = sourceFiles(join(ROOT, 'lambdas'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CATALOGUE).filter(
      (code) => !reserved.has(code) && !thrown.has(code) && !source.includes(`'${code}'`),
    );
    expect(unused).toEqual([]);
  });

  it.each([
    [new BadRequestError('INVALID_REQUEST', 'x'), 400],
    [new ForbiddenError('FORBIDDEN', 'x'), 403],
    [new NotFoundError('MODEL_NOT_FOUND', 'x'), 404],
    [new ConflictError('CONCURRENT_MODIFICATION', 'x'), 409],
    [new UnprocessableError('GOVERNANCE_CHECKS_FAILED', 'x'), 422],
    [new PlatformError('ENDPOINT_UNAVAILABLE', 'x'), 503],
  ])('gives %s the status of its code', (err, status) => {
    expect(err.status).toBe(status);
    expect(ERROR_CATALOGUE[err.code]).toBe(status);
  });
});
