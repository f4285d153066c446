/**
 * The import boundaries of the code base, as small pure rules over parsed imports (one function
 * per rule, as cdk-nag writes its rules). Imports are read with the TypeScript compiler's parser,
 * not a regex, so every form counts and comments or strings never do: `import ... from`,
 * `import '...'`, `export ... from`, `import x = require()`, dynamic `import()`, `require()` and
 * type positions such as `typeof import('...')`. A specifier that is not a string literal (a
 * computed dynamic import) cannot be resolved and is not checked.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** One import of a file, as written. */
export interface ImportRef {
  readonly specifier: string;
  /** Erased at compile time (`import type`, `export type`, a type-position `import()`). */
  readonly typeOnly: boolean;
}

/** What an import names: a file of this repository (repo-relative) or a package. */
export interface ImportTarget {
  /** The repo-relative file, for a relative specifier. */
  readonly path?: string;
  /** The package specifier, for anything else (`zod`, `@aws-sdk/client-s3`, `node:fs`). */
  readonly package?: string;
  readonly typeOnly: boolean;
}

/** A rule: its name, and whether `file` importing `target` breaks it. */
export interface ImportRule {
  readonly name: string;
  readonly description: string;
  violates(file: string, target: ImportTarget): boolean;
}

export interface Violation {
  readonly file: string;
  readonly rule: string;
  /** The resolved file, or the package specifier. */
  readonly target: string;
}

/** Every import of a TypeScript source. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: importIsTypeOnly(node.importClause) });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const allTypes =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allTypes });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const dynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamicImport || required) found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function importIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import 'x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/**
 * The repo-relative file a relative specifier names (`x.ts`, `x/index.ts` or `x` itself, the
 * first that exists), or the package for any other specifier.
 */
export function resolveImport(file: string, ref: ImportRef, exists: (path: string) => boolean): ImportTarget {
  if (!ref.specifier.startsWith('.')) return { package: ref.specifier, typeOnly: ref.typeOnly };
  const base = posix.normalize(posix.join(posix.dirname(file), ref.specifier));
  const path = [`${base}.ts`, `${base}/index.ts`, base].find(exists) ?? `${base}.ts`;
  return { path, typeOnly: ref.typeOnly };
}

const capabilityOf = (path: string | undefined) => /^lambdas\/([^/]+)\//.exec(path ?? '')?.[1];
const inDomain = (file: string) => /^lambdas\/[^/]+\/domain\//.test(file);

/**
 * The registry's own tests and harness, which may reach its internals: a folder or file named for
 * the registry under test/ (test/unit/registry/, test/integration/registry-writes.test.ts) and
 * test/helpers/registry-harness.ts, through which every other test and bench seeds it.
 */
const registryOwnTest = (file: string) =>
  /^test\/(.+\/)?registry\//.test(file) || /^test\/(.+\/)?registry[^/]*\.ts$/.test(file);

/** The rules, in the order a report lists them. */
export const IMPORT_RULES: readonly ImportRule[] = [
  {
    name: 'domain-imports-no-sdk',
    description: 'lambdas/*/domain/ imports no AWS SDK (@aws-sdk/*, @smithy/*), not even its types',
    violates: (file, t) => inDomain(file) && /^@(aws-sdk|smithy)\//.test(t.package ?? ''),
  },
  {
    name: 'domain-imports-no-lambda-runtime',
    description:
      'lambdas/*/domain/ imports no Lambda runtime values (aws-lambda, Powertools); type-only aws-lambda imports are erased and allowed',
    violates: (file, t) =>
      inDomain(file) &&
      ((/^aws-lambda(\/|$)/.test(t.package ?? '') && !t.typeOnly) ||
        /^@aws-lambda-powertools\//.test(t.package ?? '')),
  },
  {
    name: 'domain-imports-no-adapter',
    description: "lambdas/*/domain/ imports no adapter and no capability's env wiring (deps)",
    violates: (file, t) =>
      inDomain(file) && /^lambdas\/[^/]+\/(adapters\/|([a-z-]+-)?deps\.ts$)/.test(t.path ?? ''),
  },
  {
    name: 'capability-imports-other-through-index',
    description:
      'lambdas/<a>/ imports lambdas/<b>/ only through lambdas/<b>/index.ts (lambdas/shared/ excepted)',
    violates: (file, t) => {
      const from = capabilityOf(file);
      const to = capabilityOf(t.path);
      if (!from || !to || from === to || to === 'shared' || from === 'shared') return false;
      return t.path !== `lambdas/${to}/index.ts`;
    },
  },
  {
    name: 'shared-imports-no-capability',
    description: 'lambdas/shared/ is infrastructure for every capability and imports none of them',
    violates: (file, t) =>
      capabilityOf(file) === 'shared' && ![undefined, 'shared'].includes(capabilityOf(t.path)),
  },
  {
    name: 'lambdas-import-no-lib-or-local',
    description: 'lambdas/ never imports lib/, local/ or bin/ (CDK and the offline platform sit above it)',
    violates: (file, t) => file.startsWith('lambdas/') && /^(lib|local|bin)\//.test(t.path ?? ''),
  },
  {
    name: 'lib-imports-no-lambdas',
    description: 'lib/ imports nothing under lambdas/ (what both need lives in contracts/)',
    violates: (file, t) => file.startsWith('lib/') && (t.path ?? '').startsWith('lambdas/'),
  },
  {
    name: 'tests-reach-registry-through-index',
    description:
      "test/ and bench/ reach lambdas/registry/ only through its index.ts or test/helpers/registry-harness.ts, not its store, adapters or domain (the registry's own tests excepted)",
    violates: (file, t) =>
      /^(test|bench)\//.test(file) &&
      !registryOwnTest(file) &&
      (t.path ?? '').startsWith('lambdas/registry/') &&
      t.path !== 'lambdas/registry/index.ts',
  },
  {
    name: 'contracts-import-only-contracts',
    description: 'contracts/ imports only contracts/ and packages',
    violates: (file, t) =>
      file.startsWith('contracts/') && t.path !== undefined && !t.path.startsWith('contracts/'),
  },
  {
    name: 'routes-import-no-replies',
    description:
      "contracts/*-routes.ts imports no reply schemas (*-responses.ts, *-replies.ts) but their types: a handler's bundle holds its routes, and nothing on a request's path parses a reply",
    violates: (file, t) =>
      /^contracts\/[a-z-]+-routes\.ts$/.test(file) &&
      !t.typeOnly &&
      /^contracts\/[a-z-]+-(responses|replies)\.ts$/.test(t.path ?? ''),
  },
];

/** Every rule each file's imports break, in file order. */
export function checkImports(
  files: ReadonlyArray<{ readonly path: string; readonly text: string }>,
  exists: (path: string) => boolean,
  rules: readonly ImportRule[] = IMPORT_RULES,
): Violation[] {
  const violations: Violation[] = [];
  for (const { path, text } of files) {
    for (const ref of importsOf(path, text)) {
      const target = resolveImport(path, ref, exists);
      for (const rule of rules) {
        if (rule.violates(path, target)) {
          violations.push({ file: path, rule: rule.name, target: target.path ?? target.package ?? '' });
        }
      }
    }
  }
  return violations;
}

/** `<file>: <rule>: imports <target>`, as the test reports a violation. */
export const formatViolation = (v: Violation): string => `${v.file}: ${v.rule}: imports ${v.target}`;
