/**
 * `features apply`'s plan, as Terraform and `feast plan` show one before changing anything: each
 * view of the file is created, evolved (its compatible changes listed), unchanged, or incompatible
 * (every reason the platform would refuse it for). The changes come from the same schema-evolution
 * rules the platform applies, so the plan says what the update will do; the platform still checks
 * each one, and the update names the version it was planned against, so a change made meanwhile
 * is refused rather than overwritten.
 */
import * as z from 'zod';
import { CreateFeatureViewRequest, type FeatureView } from '../contracts/features';
import type { SchemaChange } from '../lambdas/features/domain/errors';
import { diffFeatureViews } from '../lambdas/features/domain/schema-evolution';
import { parseDefinitionText } from './definition-file';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';

export type PlanAction = 'create' | 'evolve' | 'unchanged' | 'incompatible';

export interface PlanEntry {
  readonly name: string;
  readonly action: PlanAction;
  /** The stored view's version, for all but `create`. */
  readonly currentVersion?: number;
  readonly changes: readonly SchemaChange[];
  readonly definition: CreateFeatureViewRequest;
}

/**
 * The definitions a file holds: one view, an array of views, or `{"featureViews": [...]}`, in
 * JSON or (a `.yaml`/`.yml` file) YAML, each checked (and given its defaults) by the create
 * route's own schema.
 * @throws CliFailure (usage) naming every invalid field, or a name given twice
 */
export function readDefinitions(text: string, file: string): CreateFeatureViewRequest[] {
  const body = parseDefinitionText(text, file);
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && 'featureViews' in body
      ? (body as { featureViews: unknown }).featureViews
      : [body];
  const parsed = z.array(CreateFeatureViewRequest).min(1).safeParse(list);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) =>
        `views${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${i.message}`,
    );
    throw new CliFailure(`${file}: not a feature view definition\n  ${lines.join('\n  ')}`, EXIT.USAGE);
  }
  const names = parsed.data.map((v) => v.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length) throw new CliFailure(`${file}: view ${twice[0]} is defined twice`, EXIT.USAGE);
  return parsed.data;
}

/** What applying each definition would do, given the stored view of each name (or none). */
export function planFeatureViews(
  definitions: readonly CreateFeatureViewRequest[],
  stored: ReadonlyMap<string, FeatureView>,
): PlanEntry[] {
  return definitions.map((definition) => {
    const current = stored.get(definition.name);
    if (!current) return { name: definition.name, action: 'create', changes: [], definition };
    const { name: _name, ...next } = definition;
    const changes = diffFeatureViews(current, next);
    const action: PlanAction = changes.some((c) => !c.compatible)
      ? 'incompatible'
      : changes.length
        ? 'evolve'
        : 'unchanged';
    return { name: definition.name, action, currentVersion: current.version, changes, definition };
  });
}

const MARK: Record<PlanAction, string> = { create: '+', evolve: '~', unchanged: '=', incompatible: '!' };

/** The plan for a person: a count line, then a line per view and one per change under it. */
export function renderPlan(plan: readonly PlanEntry[]): string {
  const count = (action: PlanAction) => plan.filter((e) => e.action === action).length;
  const lines = [
    `Plan: ${count('create')} to create, ${count('evolve')} to evolve, ${count('incompatible')} incompatible, ${count('unchanged')} unchanged`,
  ];
  const width = Math.max(...plan.map((e) => e.name.length));
  for (const entry of plan) {
    const what =
      entry.action === 'create'
        ? `create (${entry.definition.features.length} features, keyed by ${entry.definition.entities.map((e) => e.name).join(', ')})`
        : entry.action === 'evolve'
          ? `evolve v${entry.currentVersion} -> v${(entry.currentVersion ?? 0) + 1}`
          : entry.action === 'incompatible'
            ? `incompatible with v${entry.currentVersion}: create a new feature view instead`
            : `unchanged (v${entry.currentVersion})`;
    lines.push(`  ${MARK[entry.action]} ${entry.name.padEnd(width)}  ${what}`);
    // An incompatible view lists only what refuses it; an evolving one, everything it changes.
    const shown =
      entry.action === 'incompatible' ? entry.changes.filter((c) => !c.compatible) : entry.changes;
    for (const change of shown) lines.push(`      ${change.reason}`);
  }
  return lines.join('\n');
}
