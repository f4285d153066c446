/**
 * One template out of a stack and its nested stacks, as local mode reads the platform: every
 * nested stack's resources merged into one `Resources` map, a nested stack's `Ref` to one of its
 * parameters replaced by the value its parent passes (`Parameters` of the
 * `AWS::CloudFormation::Stack` resource), and a `Fn::GetAtt [NestedStack, Outputs.X]` replaced by
 * the expression of that output. References between sibling stacks, which CDK routes through the
 * parent, so end as plain `Ref`/`Fn::GetAtt` of the resource itself, as in a single stack.
 *
 * Logical ids are kept where they are unique across the stacks (CDK makes them from the path
 * below each stack, so a capability's ids are the ones it had as part of one stack); an id that
 * two stacks share (a per-stack singleton such as a custom-resource provider) is prefixed, in the
 * later stack, with that stack's logical id in its parent.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-stack.html
 */

/** A template as the flattening reads it: only the sections it merges. */
export interface TemplateSections {
  readonly Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>
  >;
  readonly Parameters?: Record<string, unknown>;
  readonly Outputs?: Record<string, { Value: unknown } & Record<string, unknown>>;
  readonly Conditions?: Record<string, unknown>;
  readonly [section: string]: unknown;
}

/** A stack's template and, by the logical id of their `AWS::CloudFormation::Stack`, its nested stacks'. */
export interface StackTemplates {
  readonly template: TemplateSections;
  readonly nested: Readonly<Record<string, StackTemplates>>;
}

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/**
 * Merges a stack and all its nested stacks into one template (see the module comment). The
 * nested stacks' resources, parameters and outputs are gone from the result; the root's
 * parameters and outputs stay, outputs resolved.
 * @throws Error when a nested stack's parameter has no value in its parent.
 */
export function flattenTemplates(root: StackTemplates): TemplateSections {
  const merged = mergeNested(root);
  // A sibling's output may name another sibling's output (through a parameter): resolve until
  // nothing is left, each pass one hop.
  let current = merged;
  for (let hop = 0; hop < 16; hop++) {
    const next = replaceOutputs(current.body, current.outputs);
    if (JSON.stringify(next) === JSON.stringify(current.body)) break;
    current = { ...current, body: next as TemplateSections };
  }
  return current.body;
}

interface Merged {
  readonly body: TemplateSections;
  /** Outputs of every nested stack, by `<stack logical id>` then output name, in the merged scope. */
  readonly outputs: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

function mergeNested(stack: StackTemplates): Merged {
  const resources: Record<string, TemplateSections['Resources'][string]> = {};
  const conditions: Record<string, unknown> = { ...(stack.template.Conditions ?? {}) };
  const parameters: Record<string, unknown> = { ...(stack.template.Parameters ?? {}) };
  const outputs = new Map<string, Record<string, unknown>>();
  const nestedIds = new Set(Object.keys(stack.nested));
  for (const [id, resource] of Object.entries(stack.template.Resources)) {
    if (resource.Type === NESTED_STACK && nestedIds.has(id)) continue;
    resources[id] = resource;
  }
  for (const [stackId, child] of Object.entries(stack.nested)) {
    const flatChild = mergeNested(child);
    const stackResource = stack.template.Resources[stackId];
    if (!stackResource || stackResource.Type !== NESTED_STACK) {
      throw new Error(`${stackId} is not a nested stack of the template`);
    }
    const passed = (stackResource.Properties?.Parameters ?? {}) as Record<string, unknown>;
    // A parameter the parent passes nothing for keeps its default (CDK's SSM lookups, such as
    // an ECS-optimized AMI id): it stays a parameter of the merged template.
    for (const [name, declaration] of Object.entries(flatChild.body.Parameters ?? {})) {
      if (name in passed) continue;
      if ((declaration as { Default?: unknown }).Default === undefined) {
        throw new Error(`nested stack ${stackId} gets no value for its parameter ${name}`);
      }
      parameters[name] ??= declaration;
    }
    // Ids the child shares with what is merged so far get the stack's id as prefix.
    const renames = new Map<string, string>();
    for (const id of Object.keys(flatChild.body.Resources)) {
      if (id in resources || nestedIds.has(id)) renames.set(id, uniqueId(`${stackId}${id}`, resources));
    }
    const scoped = substitute(flatChild.body, passed, renames) as TemplateSections;
    for (const [id, resource] of Object.entries(scoped.Resources))
      resources[renames.get(id) ?? id] = resource;
    for (const [name, condition] of Object.entries(scoped.Conditions ?? {})) conditions[name] ??= condition;
    for (const [grandchild, values] of flatChild.outputs) {
      outputs.set(grandchild, substitute(values, passed, renames) as Record<string, unknown>);
    }
    const own: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(scoped.Outputs ?? {})) own[name] = output.Value;
    outputs.set(stackId, own);
  }
  const { Outputs: _childOutputs, Parameters: _childParameters, ...rest } = stack.template;
  const body: TemplateSections = {
    ...rest,
    ...(Object.keys(parameters).length ? { Parameters: parameters } : {}),
    ...(stack.template.Outputs ? { Outputs: stack.template.Outputs } : {}),
    ...(Object.keys(conditions).length ? { Conditions: conditions } : {}),
    Resources: resources,
  };
  return { body, outputs };
}

function uniqueId(candidate: string, taken: Record<string, unknown>): string {
  let id = candidate;
  for (let n = 2; id in taken; n++) id = `${candidate}${n}`;
  return id;
}

/** Replaces, in a child's sections, `Ref`s to its parameters and renamed logical ids. */
function substitute(
  value: unknown,
  parameters: Record<string, unknown>,
  renames: ReadonlyMap<string, string>,
): unknown {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof o.Ref === 'string') {
      if (o.Ref in parameters) return parameters[o.Ref];
      return { Ref: renames.get(o.Ref) ?? o.Ref };
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(o['Fn::GetAtt'])) {
      const [id, ...attribute] = o['Fn::GetAtt'] as unknown[];
      return {
        'Fn::GetAtt': [typeof id === 'string' ? (renames.get(id) ?? id) : id, ...attribute.map(visit)],
      };
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') return subWith(o['Fn::Sub'], parameters, renames, visit);
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(o)) {
      out[k] = k === 'DependsOn' ? renameDependsOn(child, renames) : visit(child);
    }
    return out;
  };
  return visit(value);
}

function renameDependsOn(dependsOn: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (typeof dependsOn === 'string') return renames.get(dependsOn) ?? dependsOn;
  if (Array.isArray(dependsOn))
    return dependsOn.map((d) => (typeof d === 'string' ? (renames.get(d) ?? d) : d));
  return dependsOn;
}

/**
 * `Fn::Sub` names parameters and resources inside its string: renamed ids are renamed there, a
 * parameter becomes an entry of the variable map with the value the parent passes.
 */
function subWith(
  sub: unknown,
  parameters: Record<string, unknown>,
  renames: ReadonlyMap<string, string>,
  visit: (v: unknown) => unknown,
): unknown {
  const [text, variables] = Array.isArray(sub) ? [sub[0], sub[1] ?? {}] : [sub, {}];
  if (typeof text !== 'string') return { 'Fn::Sub': visit(sub) };
  const vars: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(variables as Record<string, unknown>)) vars[k] = visit(v);
  const rewritten = text.replace(/\$\{([^!}][^}]*)\}/g, (whole, name: string) => {
    const [id, ...attribute] = name.split('.');
    if (id in vars) return whole;
    if (id in parameters && attribute.length === 0) {
      vars[id] = parameters[id];
      return whole;
    }
    const renamed = renames.get(id);
    return renamed ? `\${${[renamed, ...attribute].join('.')}}` : whole;
  });
  return { 'Fn::Sub': Object.keys(vars).length ? [rewritten, vars] : rewritten };
}

/** Replaces `Fn::GetAtt [<nested stack id>, Outputs.<name>]` by that output's expression. */
function replaceOutputs(
  value: unknown,
  outputs: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): unknown {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const getAtt = o['Fn::GetAtt'];
    if (Object.keys(o).length === 1 && Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      const [stackId, attribute] = getAtt as [string, unknown];
      const name =
        typeof attribute === 'string' && attribute.startsWith('Outputs.') ? attribute.slice(8) : undefined;
      const values = outputs.get(stackId);
      if (name !== undefined && values) {
        if (!(name in values)) throw new Error(`nested stack ${stackId} has no output ${name}`);
        return values[name];
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(o)) out[k] = visit(child);
    return out;
  };
  return visit(value);
}
