/**
 * What a stack deploy may do to a live SageMaker endpoint. The stack's endpoint config carries the
 * settings an operator changes (data capture, the Triton image of the initial model, instance
 * counts, KMS key); the rollouts own which models the variants run and their weights. So a new
 * stack config becomes a config with the stack's settings and the live models and weights, except
 * that a variant still on the stack's initial model moves to the new initial model. The stack's
 * config has the champion alone (one variant at rest): a variant the endpoint has and the stack's
 * config does not (the challenger an older stack kept at weight 0) is left out, its autoscaling
 * deregistered first (`removed`).
 *
 * An instance type change is flagged (`rescale`): SageMaker fails an update that changes the
 * instance type of a variant registered with Application Auto Scaling, so the variants are
 * deregistered first and registered again once the endpoint runs the new config.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
 */
import { createHash } from 'node:crypto';
import { endpointConfigName } from '../../../contracts/serving';
import type { EndpointConfigSpec } from './ports';

/** The stack's initial models are named `mlops-<model>-i<hash>`; a version's `mlops-<model>-v<n>`. */
const INITIAL_MODEL = /-i[0-9a-f]{8}$/;

export type EndpointUpdatePlan =
  /** The endpoint already runs what the stack asks. */
  | { readonly action: 'none' }
  /**
   * Point the endpoint at `config` (create it first when `create`); when `rescale`, a variant's
   * instance type changes, so its autoscaling must be deregistered before the update; the
   * `removed` variants leave autoscaling before the update too (SageMaker removes a variant only
   * once nothing scales it).
   */
  | {
      readonly action: 'update';
      readonly config: EndpointConfigSpec;
      readonly create: boolean;
      readonly rescale: boolean;
      readonly removed: readonly string[];
    }
  | { readonly action: 'refuse'; readonly reason: string };

export function planEndpointUpdate(input: {
  /** The endpoint, whose name every config made for it starts with. */
  readonly endpointName: string;
  /** The stack's endpoint config. */
  readonly template: EndpointConfigSpec;
  /** The config the endpoint runs now. */
  readonly current: EndpointConfigSpec;
  /** The endpoint's live weights (a rollout sets them in place, not in a config). */
  readonly weights: Readonly<Record<string, number>>;
}): EndpointUpdatePlan {
  const { template, current } = input;
  if (current.name === template.name) return { action: 'none' };
  const variants: EndpointConfigSpec['variants'] = [];
  let rescale = false;
  const removed = current.variants
    .map((v) => v.variantName)
    .filter((name) => !template.variants.some((w) => w.variantName === name));
  // Weights are relative: a lone variant takes all traffic whatever its weight, so it keeps the stack's.
  const lone = template.variants.length === 1;
  for (const wanted of template.variants) {
    const live = current.variants.find((v) => v.variantName === wanted.variantName);
    if (!live) {
      return { action: 'refuse', reason: `${current.name} has no ${wanted.variantName} variant to keep` };
    }
    if (live.rest.InstanceType !== wanted.rest.InstanceType) rescale = true;
    variants.push({
      ...wanted,
      // A rollout's model stays; the initial model is the stack's to replace.
      modelName: INITIAL_MODEL.test(live.modelName) ? wanted.modelName : live.modelName,
      weight: lone ? wanted.weight : (input.weights[wanted.variantName] ?? live.weight),
    });
  }
  const unchanged = variants.every(
    (v, i) => v.modelName === template.variants[i].modelName && v.weight === template.variants[i].weight,
  );
  if (unchanged) return { action: 'update', config: template, create: false, rescale, removed };
  // Named after what it holds, so a retried deploy makes the same config and finds it done.
  const digest = createHash('sha256')
    .update(JSON.stringify([template.name, variants.map((v) => [v.variantName, v.modelName, v.weight])]))
    .digest('hex')
    .slice(0, 8);
  const name = endpointConfigName(input.endpointName, `s${digest}`);
  if (name === current.name) return { action: 'none' };
  return {
    action: 'update',
    config: { name, rest: template.rest, variants },
    create: true,
    rescale,
    removed,
  };
}
