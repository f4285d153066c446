/**
 * Runs the state machines of the synthesized template locally with `aws-local-stepfunctions`:
 * the definition is the template's (DefinitionString's Fn::Join resolved), never a copy. Lambda
 * tasks (`arn:aws:states:::lambda:invoke` or a function ARN) run the template's function by
 * logical id; service integrations run a local handler by resource (`integrations`) or by state
 * name (`taskOverrides`); Wait states may be shortened. A
 * `.waitForTaskToken` task runs its resource, then waits for its token (see `task-tokens.ts`).
 * Needs `Promise.withResolvers` (Node 22, or the polyfill in `local/polyfills.ts` on Node 20).
 * @see https://github.com/nibble-4bits/aws-local-stepfunctions
 */
import '../polyfills';
import { StateMachine } from 'aws-local-stepfunctions';
import type { CfnTemplate } from '../cdk-template';
import { LOCAL_DISTRIBUTED_MAP, type MapObjects, runDistributedMap } from './distributed-map';
import { localArn, resolveIntrinsics } from './intrinsics';
import { LOCAL_ITEM_READER, type ReadItems, readMapItems, withLocalItemReaders } from './item-reader';
import { enforcingTimeout, hasLocalTimeout, withLocalTimeoutPaths } from './task-timeouts';
import { type LocalTaskTokens, localTaskTokens, TASK_TOKEN_PLACEHOLDER, withTaskToken } from './task-tokens';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StateDefinition = Record<string, unknown> & { Type: string; Resource?: string };
export type AslDefinition = { StartAt: string; States: Record<string, StateDefinition> } & Record<
  string,
  unknown
>;

/** Invokes a Lambda function of the template by logical id. */
export type InvokeFunction = (logicalId: string, payload: unknown) => Promise<unknown>;

/** The state machines of a template: logical id -> definition. */
export function stateMachineDefinitions(template: CfnTemplate): Map<string, AslDefinition> {
  const out = new Map<string, AslDefinition>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = r.Properties ?? {};
    const raw = props.DefinitionString ?? props.Definition;
    const resolved = resolveIntrinsics(raw, template);
    out.set(id, (typeof resolved === 'string' ? JSON.parse(resolved) : resolved) as AslDefinition);
  }
  return out;
}

/** Every state of a definition, including those inside Parallel branches and Map iterators. */
function allStates(definition: {
  States: Record<string, StateDefinition>;
}): Array<[string, StateDefinition]> {
  const out: Array<[string, StateDefinition]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    out.push([name, state]);
    for (const branch of (state.Branches as AslDefinition[] | undefined) ?? [])
      out.push(...allStates(branch));
    const inner = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
    if (inner) out.push(...allStates(inner));
  }
  return out;
}

const FUNCTION_ARN = /^arn:aws:lambda:[^:]+:[^:]+:function:([^:]+)/;
const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

export interface RunOptions {
  /** Every Wait state lasts this many milliseconds (e.g. 0 in tests). @default - as defined */
  readonly waitMs?: number;
  /** Per Wait state, in milliseconds; wins over `waitMs`. */
  readonly waitTimeOverrides?: Record<string, number>;
  /** Per Task state: a local function instead of the resource. */
  readonly taskOverrides?: Record<string, (input: unknown) => Promise<unknown> | unknown>;
  /** Per retrying state, in milliseconds. @default 0 for every state (no real back-off locally) */
  readonly retryIntervalOverrides?: Record<string, number>;
  readonly executionName?: string;
  readonly executionArn?: string;
  /** Reads the S3 manifest a Distributed Map's ItemReader names (see `item-reader.ts`). */
  readonly readItems?: ReadItems;
  /** S3 objects for Distributed Maps with batching, CSV/JSON Lines readers or a ResultWriter (see `distributed-map.ts`). */
  readonly objects?: MapObjects;
  /** The tokens `.waitForTaskToken` tasks wait on. @default - the process's `localTaskTokens` */
  readonly taskTokens?: LocalTaskTokens;
  /**
   * Service integrations by Task resource (`arn:aws:states:::sagemaker:createModel`), run for every
   * state naming it; a state's `taskOverrides` entry wins.
   */
  readonly integrations?: Record<string, ServiceIntegration>;
}

/**
 * A service integration's local handler. `signal` aborts when the execution is stopped, so a
 * `.sync` integration can stop the job it started, as Step Functions does on StopExecution.
 */
export type ServiceIntegration = (
  input: unknown,
  execution: { readonly signal: AbortSignal },
) => Promise<unknown>;

/** Runs one state machine of a template. */
export class LocalStateMachine {
  readonly definition: AslDefinition;
  readonly arn: string;
  /** The template's Map states by name, for those that run as a local Task. */
  private readonly maps = new Map<string, StateDefinition>();

  constructor(
    template: CfnTemplate,
    readonly logicalId: string,
    private readonly invoke: InvokeFunction,
  ) {
    const definition = stateMachineDefinitions(template).get(logicalId);
    if (!definition) throw new Error(`no state machine ${logicalId} in the template`);
    this.definition = withLocalTimeoutPaths(withLocalItemReaders(definition));
    this.arn = localArn(template, logicalId);
    for (const [name, state] of allStates(definition)) if (state.Type === 'Map') this.maps.set(name, state);
  }

  /** Starts an execution; `result` resolves with its output or rejects with its error. */
  start(input: unknown, options: RunOptions = {}) {
    const tokens = options.taskTokens ?? localTaskTokens;
    const name = options.executionName ?? `local-${Date.now()}`;
    const executionArn =
      options.executionArn ?? `${this.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    // The library gives its Task handlers no abort signal: this one ends with a stop.
    const stopped = new AbortController();
    const waits: Record<string, number> = {};
    const retries: Record<string, number> = {};
    // A Map run as a local Task keeps its processor's states for its child executions.
    const local = allStates(this.definition);
    for (const [name, state] of local)
      if (state.Resource === LOCAL_DISTRIBUTED_MAP) {
        const processor = (this.maps.get(name)?.ItemProcessor ??
          this.maps.get(name)?.Iterator) as AslDefinition;
        local.push(...allStates(processor));
      }
    for (const [name, state] of local) {
      if (state.Retry) retries[name] = 0;
      if (state.Type === 'Wait' && options.waitMs !== undefined) waits[name] = options.waitMs;
      if (state.Type !== 'Task') continue;
      const override = options.taskOverrides?.[name];
      const run = async (taskInput: Json) => {
        if (override) return (await override(taskInput)) as Json;
        const integration = options.integrations?.[state.Resource ?? ''];
        if (integration) return (await integration(taskInput, { signal: stopped.signal })) as Json;
        if (state.Resource === LOCAL_ITEM_READER)
          return (await readMapItems(options.readItems, taskInput)) as Json;
        return (await this.runTask(name, state.Resource ?? '', taskInput)) as Json;
      };
      const handler = state.Resource?.endsWith(WAIT_FOR_TASK_TOKEN)
        ? async (taskInput: Json) => {
            // The resource runs with its own token; the task's result is what the token is sent.
            const { token, result } = tokens.issue(executionArn);
            await run(withTaskToken(taskInput, token));
            return (await result) as Json;
          }
        : run;
      handlers[name] = hasLocalTimeout(state) ? enforcingTimeout(name, handler) : handler;
    }
    for (const [stateName, state] of allStates(this.definition)) {
      if (state.Resource !== LOCAL_DISTRIBUTED_MAP) continue;
      const map = this.maps.get(stateName)!;
      handlers[stateName] = async (taskInput: Json) =>
        (await runDistributedMap(map, taskInput, {
          objects: options.objects,
          handlers,
          retryIntervalOverrides: retries,
          executionArn,
        })) as Json;
    }
    const machine = new StateMachine(this.definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(input as Json, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: { ...waits, ...(options.waitTimeOverrides ?? {}) },
        retryIntervalOverrides: { ...retries, ...(options.retryIntervalOverrides ?? {}) },
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: input as Json,
          StartTime: new Date().toISOString(),
          RoleArn: 'arn:aws:iam::000000000000:role/local',
        },
        StateMachine: { Id: this.arn, Name: this.logicalId },
        // Each waiting task swaps this for a token of its own (see `task-tokens.ts`).
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      } as never,
    });
    const ended = () => tokens.endExecution(executionArn);
    execution.result.then(ended, ended);
    return {
      ...execution,
      abort: () => {
        stopped.abort();
        execution.abort();
      },
    };
  }

  /** Runs an execution to the end: its output, or the error it failed with. */
  async run(input: unknown, options: RunOptions = {}): Promise<unknown> {
    return this.start(input, options).result;
  }

  private async runTask(stateName: string, resource: string, input: Json): Promise<unknown> {
    const direct = FUNCTION_ARN.exec(resource);
    if (direct) return this.invoke(direct[1], input);
    if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
      const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
      const id = FUNCTION_ARN.exec(FunctionName)?.[1] ?? FunctionName;
      return { Payload: await this.invoke(id, Payload), StatusCode: 200 };
    }
    throw new Error(`task ${stateName} (${resource}) has no local handler: pass taskOverrides.${stateName}`);
  }
}
