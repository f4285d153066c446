/**
 * Import boundaries over every .ts file under lambdas/, lib/, local/, contracts/, bin/, test/ and
 * bench/: a violation fails with `<file>: <rule>: imports <target>`. The rules are in `import-rules.ts`;
 * the second half tests the checker itself on in-memory files, a compliant and a non-compliant
 * case per rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkImports,
  formatViolation,
  IMPORT_RULES,
  importsOf,
  resolveImport,
  type Violation,
} from './import-rules';

const ROOT = join(__dirname, '..', '..', '..');
const SCANNED = ['lambdas', 'lib', 'local', 'contracts', 'bin', 'test', 'bench'];

/**
 * Violations that exist today and belong to work under way elsewhere; each entry must still
 * occur (a test below fails on a stale one), so the list only shrinks.
 */
const ALLOWED: ReadonlyArray<Violation & { readonly reason: string }> = [];

const sameViolation = (a: Violation, b: Violation) =>
  a.file === b.file && a.rule === b.rule && a.target === b.target;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('import boundaries of the code base', () => {
  const files = SCANNED.flatMap(sourceFiles).map((path) => ({
    path,
    text: readFileSync(join(ROOT, path), 'utf8'),
  }));
  const found = checkImports(files, (path) => existsSync(join(ROOT, ...path.split('/'))));

  it('reads the files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect([...new Set(files.map((f) => f.path.split('/')[0]))].sort()).toEqual([...SCANNED].sort());
  });

  it('finds no violation outside the allowlist', () => {
    // Prepare
    const unexpected = found.filter((v) => !ALLOWED.some((a) => sameViolation(a, v)));
    // Assess
    expect(unexpected.map(formatViolation)).toEqual([]);
  });

  it('has no stale allowlist entry', () => {
    const stale = ALLOWED.filter((a) => !found.some((v) => sameViolation(a, v)));
    expect(stale.map(formatViolation)).toEqual([]);
  });
});

describe('the import checker', () => {
  describe('reads every form of import', () => {
    it.each([
      ["import { a } from './x';", { specifier: './x', typeOnly: false }],
      ["import './x';", { specifier: './x', typeOnly: false }],
      ["import type { A } from './x';", { specifier: './x', typeOnly: true }],
      ["import { type A, type B } from './x';", { specifier: './x', typeOnly: true }],
      ["import { type A, b } from './x';", { specifier: './x', typeOnly: false }],
      ["export { a } from './x';", { specifier: './x', typeOnly: false }],
      ["export type { A } from './x';", { specifier: './x', typeOnly: true }],
      ["export * from './x';", { specifier: './x', typeOnly: false }],
      ["const m = await import('./x');", { specifier: './x', typeOnly: false }],
      ["const m = require('./x');", { specifier: './x', typeOnly: false }],
      ["import m = require('./x');", { specifier: './x', typeOnly: false }],
      ["let c: typeof import('./x').C;", { specifier: './x', typeOnly: true }],
    ])('%s', (text, expected) => {
      expect(importsOf('a.ts', text)).toEqual([expected]);
    });

    it('ignores comments, strings and computed specifiers', () => {
      const text = "// import { a } from './x';\nconst s = \"require('./y')\";\nawait import(name);";
      expect(importsOf('a.ts', text)).toEqual([]);
    });

    it('resolves a folder to its index.ts and a package to itself', () => {
      const exists = (p: string) => p === 'lambdas/b/index.ts';
      expect(resolveImport('lambdas/a/deps.ts', { specifier: '../b', typeOnly: false }, exists)).toEqual({
        path: 'lambdas/b/index.ts',
        typeOnly: false,
      });
      expect(resolveImport('lambdas/a/deps.ts', { specifier: 'zod', typeOnly: false }, exists)).toEqual({
        package: 'zod',
        typeOnly: false,
      });
    });
  });

  // A compliant and a non-compliant file per rule, as cdk-nag tests its rules.
  const cases: ReadonlyArray<{
    rule: string;
    compliant: { path: string; text: string };
    nonCompliant: { path: string; text: string; target: string };
  }> = [
    {
      rule: 'domain-imports-no-sdk',
      compliant: { path: 'lambdas/a/adapters/s3.ts', text: "import { S3Client } from '@aws-sdk/client-s3';" },
      nonCompliant: {
        path: 'lambdas/a/domain/rules.ts',
        text: "import type { AttributeValue } from '@smithy/types';",
        target: '@smithy/types',
      },
    },
    {
      rule: 'domain-imports-no-lambda-runtime',
      compliant: { path: 'lambdas/a/domain/rules.ts', text: "import type { Context } from 'aws-lambda';" },
      nonCompliant: {
        path: 'lambdas/a/domain/rules.ts',
        text: "import { Logger } from '@aws-lambda-powertools/logger';",
        target: '@aws-lambda-powertools/logger',
      },
    },
    {
      rule: 'domain-imports-no-adapter',
      compliant: { path: 'lambdas/a/domain/rules.ts', text: "import type { Store } from './ports';" },
      nonCompliant: {
        path: 'lambdas/a/domain/rules.ts',
        text: "import { DynamoStore } from '../adapters/dynamo-store';",
        target: 'lambdas/a/adapters/dynamo-store.ts',
      },
    },
    {
      rule: 'capability-imports-other-through-index',
      compliant: {
        path: 'lambdas/a/deps.ts',
        text: "import { bService } from '../b';\nimport { ok } from '../shared/errors';\nimport { own } from './domain/x';",
      },
      nonCompliant: {
        path: 'lambdas/a/deps.ts',
        text: "const m = await import('../b/adapters/store');",
        target: 'lambdas/b/adapters/store.ts',
      },
    },
    {
      rule: 'shared-imports-no-capability',
      compliant: { path: 'lambdas/shared/http.ts', text: "import { PlatformError } from './errors';" },
      nonCompliant: {
        path: 'lambdas/shared/http.ts',
        text: "import type { RegistryService } from '../b';",
        target: 'lambdas/b/index.ts',
      },
    },
    {
      rule: 'lambdas-import-no-lib-or-local',
      compliant: { path: 'lambdas/a/handler.ts', text: "import { ENV } from '../../contracts/env';" },
      nonCompliant: {
        path: 'lambdas/a/handler.ts',
        text: "const { start } = require('../../local/platform');",
        target: 'local/platform.ts',
      },
    },
    {
      rule: 'lib-imports-no-lambdas',
      compliant: { path: 'lib/a/construct.ts', text: "import type { TaskName } from '../../contracts/a';" },
      nonCompliant: {
        path: 'lib/a/construct.ts',
        text: "import type { TaskName } from '../../lambdas/a/tasks';",
        target: 'lambdas/a/tasks.ts',
      },
    },
    {
      rule: 'tests-reach-registry-through-index',
      compliant: {
        path: 'test/helpers/deployment-harness.ts',
        text: "import { RegistryService } from '../../lambdas/registry';\nimport { testRegistry } from './registry-harness';",
      },
      nonCompliant: {
        path: 'bench/contention.ts',
        text: "import { DynamoDbRegistryStore } from '../lambdas/registry/adapters/dynamodb-registry-store';",
        target: 'lambdas/registry/adapters/dynamodb-registry-store.ts',
      },
    },
    {
      rule: 'contracts-import-only-contracts',
      compliant: { path: 'contracts/a.ts', text: "import { z } from 'zod';\nexport * from './b';" },
      nonCompliant: {
        path: 'contracts/a.ts',
        text: "export { PlatformError } from '../lambdas/shared/errors';",
        target: 'lambdas/shared/errors.ts',
      },
    },
    {
      rule: 'routes-import-no-replies',
      compliant: {
        path: 'contracts/a-routes.ts',
        text: "import type { AReply } from './a-responses';\nimport { ARequest } from './a';",
      },
      nonCompliant: {
        path: 'contracts/a-routes.ts',
        text: "import { AReply } from './a-responses';",
        target: 'contracts/a-responses.ts',
      },
    },
  ];
  const exists = (path: string) =>
    [
      'lambdas/b/index.ts',
      'contracts/b.ts',
      'lambdas/registry/index.ts',
      'contracts/a-responses.ts',
    ].includes(path);

  it('has a case for every rule', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(IMPORT_RULES.map((r) => r.name).sort());
  });

  it.each(cases)('passes a compliant file for $rule', ({ compliant }) => {
    expect(checkImports([compliant], exists)).toEqual([]);
  });

  it("leaves the registry's own tests and harness free to reach its internals", () => {
    const text = "import { planStageTransition } from '../../../lambdas/registry/domain/stages';";
    const own = ['test/unit/registry/stages.test.ts', 'test/integration/registry-writes.test.ts'].map(
      (path) => ({
        path,
        text,
      }),
    );
    const harness = {
      path: 'test/helpers/registry-harness.ts',
      text: "import { makeHandler } from '../../lambdas/registry/handler';",
    };
    expect(checkImports([...own, harness], exists)).toEqual([]);
    // The same import from another capability's test is a violation.
    expect(
      checkImports([{ path: 'test/unit/deployment/rollout.test.ts', text }], exists).map(formatViolation),
    ).toEqual([
      'test/unit/deployment/rollout.test.ts: tests-reach-registry-through-index: imports lambdas/registry/domain/stages.ts',
    ]);
  });

  it.each(cases)('fails a non-compliant file for $rule', ({ rule, nonCompliant }) => {
    // Act
    const violations = checkImports([nonCompliant], exists);
    // Assess
    expect(violations.map(formatViolation)).toEqual([
      `${nonCompliant.path}: ${rule}: imports ${nonCompliant.target}`,
    ]);
  });
});
