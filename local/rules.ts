/**
 * Runs the EventBridge rules of the synthesized template locally: event-pattern rules on the
 * local bus and schedule rules on timers, each delivering to its targets as EventBridge would
 * (Lambda functions through the local Lambda service; state machines and SNS topics through
 * runners supplied by the caller). `Input`, `InputPath` and an `InputTransformer` (paths into the event, placed in
 * the template) are honoured.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-rule.html
 */
import { randomUUID } from 'node:crypto';
import type { CfnTemplate } from './cdk-template';
import { resourcesOfType } from './cdk-template';
import type { BusEvent, LocalEventBus } from './event-bus';
import type { EventPattern } from './event-pattern';
import type { LocalLambdaService } from './lambda-service';
import { nextFireTime, parseScheduleExpression, type Schedule } from './schedule-expression';
import { resolveIntrinsics } from './state-machines/intrinsics';

export interface LocalRuleTargetRunners {
  readonly lambdas: LocalLambdaService;
  /** Starts an execution of the state machine with this logical id. */
  readonly startExecution?: (stateMachineId: string, input: unknown) => Promise<unknown>;
  /**
   * Publishes to the SNS topic with this logical id (local mode shows it with the alerts).
   * @default - SNS targets deliver nothing
   */
  readonly publish?: (topicId: string, message: unknown, event: BusEvent) => void;
}

interface RuleTarget {
  readonly Id: string;
  readonly Arn: unknown;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: InputTransformer;
}

interface InputTransformer {
  readonly InputPathsMap?: Record<string, string>;
  readonly InputTemplate: unknown;
}

export interface LocalRuleInfo {
  readonly id: string;
  readonly kind: 'pattern' | 'schedule';
  readonly schedule?: string;
  readonly targets: string[];
}

export class LocalRules {
  public readonly rules: LocalRuleInfo[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly deliverTo = new Map<string, (event: BusEvent) => Promise<void>>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly runners: LocalRuleTargetRunners,
  ) {}

  /**
   * Registers pattern rules on the bus and, unless `schedules` is false, starts schedule timers.
   * `urls` replaces, in input templates, the URLs the stack would have (as resolved locally) with
   * those local mode serves them at.
   */
  start(
    bus: LocalEventBus,
    options: { schedules?: boolean; urls?: ReadonlyArray<readonly [string, string]> } = {},
  ): void {
    for (const [id, rule] of resourcesOfType(this.template, 'AWS::Events::Rule')) {
      const props = rule.Properties ?? {};
      if (props.State === 'DISABLED') continue;
      const targets = ((props.Targets as RuleTarget[]) ?? []).map((t) =>
        this.target(id, withLocalUrls(t, this.template, options.urls ?? [])),
      );
      const deliver = async (event: BusEvent) => {
        await Promise.all(targets.map((t) => t.run(event)));
      };
      this.deliverTo.set(id, deliver);
      const targetNames = targets.map((t) => t.name);
      if (props.EventPattern) {
        // Patterns may name the template's resources (a state machine's ARN): resolve them locally.
        const eventPattern = resolveIntrinsics(props.EventPattern, this.template) as EventPattern;
        bus.addRule({ name: id, eventPattern, target: deliver });
        this.rules.push({ id, kind: 'pattern', targets: targetNames });
      } else if (typeof props.ScheduleExpression === 'string') {
        const schedule = parseScheduleExpression(props.ScheduleExpression);
        this.rules.push({ id, kind: 'schedule', schedule: props.ScheduleExpression, targets: targetNames });
        if (options.schedules !== false) this.schedule(id, schedule, deliver);
      }
    }
  }

  /** Fires a rule now with a Scheduled Event, as a schedule would (for tests and demos). */
  async runNow(ruleId: string): Promise<void> {
    const deliver = this.deliverTo.get(ruleId);
    if (!deliver) throw new Error(`no rule ${ruleId}`);
    await deliver(scheduledEvent(ruleId, new Date()));
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private schedule(id: string, schedule: Schedule, deliver: (e: BusEvent) => Promise<void>): void {
    const startedAt = new Date();
    const arm = (after: Date) => {
      const at = nextFireTime(schedule, after, startedAt);
      // setTimeout holds at most ~24.8 days; re-arm in steps for longer waits.
      const delay = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1);
      const timer = setTimeout(
        () => {
          if (Date.now() < at.getTime()) return arm(after);
          deliver(scheduledEvent(id, at)).catch((err) => console.error(`schedule ${id} failed:`, err));
          arm(at);
        },
        Math.max(0, delay),
      );
      timer.unref();
      this.timers.push(timer);
    };
    arm(startedAt);
  }

  private target(ruleId: string, t: RuleTarget): { name: string; run: (e: BusEvent) => Promise<void> } {
    const transformer = t.InputTransformer;
    if (transformer && typeof transformer.InputTemplate !== 'string')
      throw new Error(`rule ${ruleId} target ${t.Id}: an InputTemplate must be a string locally`);
    const input = (event: BusEvent): unknown =>
      transformer
        ? transformInput(event, transformer)
        : t.Input !== undefined
          ? JSON.parse(t.Input)
          : t.InputPath
            ? jsonPath(event, t.InputPath)
            : event;
    const ref = refOf(t.Arn);
    const resource = ref ? this.template.Resources[ref] : undefined;
    if (resource?.Type === 'AWS::Lambda::Function') {
      return { name: ref!, run: async (e) => void (await this.runners.lambdas.invoke(ref!, input(e))) };
    }
    if (resource?.Type === 'AWS::StepFunctions::StateMachine') {
      return {
        name: ref!,
        run: async (e) => {
          if (!this.runners.startExecution)
            throw new Error(`rule ${ruleId}: no local state machine runner for ${ref}`);
          await this.runners.startExecution(ref!, input(e));
        },
      };
    }
    if (resource?.Type === 'AWS::SNS::Topic') {
      return { name: ref!, run: async (e) => this.runners.publish?.(ref!, input(e), e) };
    }
    throw new Error(
      `rule ${ruleId} target ${t.Id}: only Lambda, state machine and SNS topic targets run locally`,
    );
  }
}

/**
 * A target whose input template names the stack's resources (the API's URL in an approval
 * notification), resolved as local mode names them and then served.
 */
function withLocalUrls(
  target: RuleTarget,
  template: CfnTemplate,
  urls: ReadonlyArray<readonly [string, string]>,
): RuleTarget {
  const transformer = target.InputTransformer;
  if (!transformer || typeof transformer.InputTemplate === 'string') return target;
  let text = String(resolveIntrinsics(transformer.InputTemplate, template));
  for (const [deployed, local] of urls) if (deployed) text = text.replaceAll(deployed, local);
  return { ...target, InputTransformer: { ...transformer, InputTemplate: text } };
}

/**
 * EventBridge's input transformer: each `<name>` of the template takes its path's value from the
 * event, as JSON (a quoted `"<name>"` takes a string's text, which is the same JSON); the result
 * is parsed when it is JSON, else delivered as text.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
function transformInput(event: BusEvent, transformer: InputTransformer): unknown {
  let text = transformer.InputTemplate as string;
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    const value = jsonPath(event, path);
    values.set(name, value);
    const json = JSON.stringify(value ?? null);
    text = text.replaceAll(`"<${name}>"`, typeof value === 'string' ? json : `"${json}"`);
  }
  text = placeInText(text, values);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The placeholders left in `text`: inside a JSON string a value goes in as its text (a string
 * without its quotes, as EventBridge places it in a message); elsewhere as JSON.
 */
function placeInText(text: string, values: ReadonlyMap<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') inString = !inString;
    const m = c === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(text.slice(i)) : null;
    if (m && values.has(m[1])) {
      const value = values.get(m[1]) ?? null;
      const json = JSON.stringify(value);
      out += inString ? (typeof value === 'string' ? json.slice(1, -1) : json.replaceAll('"', '\\"')) : json;
      i += m[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The logical id behind `{Ref: id}` or `{"Fn::GetAtt": [id, "Arn"]}`. */
function refOf(arn: unknown): string | undefined {
  if (arn && typeof arn === 'object') {
    const o = arn as Record<string, unknown>;
    if (typeof o.Ref === 'string') return o.Ref;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}

/** `$.detail.x` style paths only, which is what InputPath takes. */
function jsonPath(event: unknown, path: string): unknown {
  if (path === '$') return event;
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      event,
    );
}

function scheduledEvent(ruleId: string, at: Date): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: process.env.AWS_REGION ?? 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${ruleId}`],
    detail: {},
    'event-bus-name': 'default',
  };
}
