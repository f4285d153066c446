/**
 * The retraining pipeline's EventBridge rules: a schedule per model, monitoring's DriftDetected
 * and QualityDegraded, TrainingDataAccumulated (all onto the state machine, whose Admit state
 * de-duplicates and cools down), and the safe-stop rule on Step Functions' status changes.
 * Rules are created in the pipeline's scope: their construct ids are part of its contract.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  MONITORING_EVENT_SOURCE,
  MonitoringEvent,
  PIPELINE_EVENT_SOURCE,
  PipelineEvent,
} from '../../contracts/events';
import type { RetrainingConfig } from '../../contracts/pipeline';
import { pascal } from '../shared/construct-id';
import { stoppedExecutionRule } from '../shared/stopped-execution-rule';

export interface RetrainingTriggersProps {
  /** The platform bus monitoring and the data-volume check publish on. */
  readonly bus: events.IEventBus;
  readonly configs: readonly RetrainingConfig[];
  readonly stateMachine: sfn.IStateMachine;
  /** Receives the safe-stop events. */
  readonly tasks: lambda.IFunction;
}

/** Adds the trigger rules and the safe-stop rule to `scope`. */
export function addRetrainingTriggers(scope: Construct, props: RetrainingTriggersProps): void {
  const { configs } = props;
  const target = (input?: events.RuleTargetInput) =>
    new targets.SfnStateMachine(props.stateMachine, input ? { input } : {});
  for (const c of configs) {
    if (!c.schedule || !c.triggers.includes('schedule')) continue;
    new events.Rule(scope, `Schedule${pascal(c.modelName)}`, {
      description: `Scheduled retraining of ${c.modelName}`,
      schedule: events.Schedule.expression(c.schedule),
      targets: [target(events.RuleTargetInput.fromObject({ modelName: c.modelName, reason: 'schedule' }))],
    });
  }
  const models = (reason: RetrainingConfig['triggers'][number]) =>
    configs.filter((c) => c.triggers.includes(reason)).map((c) => c.modelName);
  const eventRule = (id: string, source: string, detailType: string, names: string[]) => {
    if (names.length === 0) return;
    new events.Rule(scope, id, {
      eventBus: props.bus,
      description: `Retrain on ${detailType}`,
      eventPattern: { source: [source], detailType: [detailType], detail: { modelName: names } },
      targets: [target()],
    });
  };
  eventRule('OnDriftDetected', MONITORING_EVENT_SOURCE, MonitoringEvent.DRIFT_DETECTED, models('drift'));
  eventRule(
    'OnQualityDegraded',
    MONITORING_EVENT_SOURCE,
    MonitoringEvent.QUALITY_DEGRADED,
    models('quality'),
  );
  eventRule(
    'OnTrainingDataAccumulated',
    PIPELINE_EVENT_SOURCE,
    PipelineEvent.TRAINING_DATA_ACCUMULATED,
    models('data-volume'),
  );

  // Safe stop: an execution that ends without a Finish state (stopped, timed out, failed on an
  // uncaught error) still gets its outcome recorded and its model's lock released. Step Functions
  // puts these events on the account's default bus.
  // https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
  stoppedExecutionRule(scope, 'OnExecutionStopped', {
    description: 'Record retraining executions that stopped, timed out or failed; release their lock',
    stateMachine: props.stateMachine,
    target: props.tasks,
  });
}
