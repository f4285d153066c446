/**
 * A/B experiments on model versions: the API function behind `/experiments` and the guardrail
 * function an EventBridge schedule invokes, with the access they need: the experiments table,
 * the model's lock and routing record in the deployments table, the registry (read) and appends
 * to the audit trail (the event outbox).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { EXPERIMENTS_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { EXPERIMENTS_DEFAULTS } from './defaults';

/** The tables experiments read and write. */
export interface ExperimentsStorage {
  readonly key: kms.IKey;
  readonly experimentsTable: dynamodb.ITable;
  readonly deploymentsTable: dynamodb.ITable;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
}

/** The rollout an experiment's serving goes through (`ModelDeployment`). */
export interface ExperimentsServing {
  /** Grants the function the endpoints' challenger variants and the winner's rollout. */
  grantExperimentServing(fn: PlatformFunction): void;
}

/** Properties of `Experiments`. */
export interface ExperimentsProps {
  readonly storage: ExperimentsStorage;
  /**
   * The rollout: the treatment's version is added to the model's endpoint as the challenger
   * variant while the experiment runs, its alarms stop it, and a winner is promoted through it.
   * @default - experiments only route keys (the endpoint must serve both versions already)
   */
  readonly deployment?: ExperimentsServing;
  /** The platform's environment, which names its endpoints (`mlops-<envName>-<model>`). */
  readonly envName: string;
  /** @default Duration.minutes(5) */
  readonly guardrailInterval?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class Experiments extends Construct {
  /** Serves every `experiments` route. */
  public readonly handler: PlatformFunction;
  /** Evaluates running experiments on a schedule and stops those that must stop. */
  public readonly guardrailFunction: PlatformFunction;
  /** The schedule invoking `guardrailFunction`. */
  public readonly guardrailRule: events.Rule;

  constructor(scope: Construct, id: string, props: ExperimentsProps) {
    super(scope, id);
    const { storage } = props;
    const interval = props.guardrailInterval ?? EXPERIMENTS_DEFAULTS.guardrailInterval;
    if (!interval.isUnresolved() && (interval.toMinutes() < 1 || interval.toMinutes() > 1440)) {
      throw new Error(`guardrailInterval must be 1..1440 minutes, got ${interval.toMinutes()}`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const environment = {
      [ENV.experimentsTable]: storage.experimentsTable.tableName,
      [ENV.deploymentsTable]: storage.deploymentsTable.tableName,
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
      [ENV.envName]: props.envName,
    };
    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/experiments/handler.ts',
      description: 'cdk-mlops experiments API (A/B tests on model versions)',
      environment,
      encryptionKey: storage.key,
      removalPolicy,
    });
    this.guardrailFunction = new PlatformFunction(this, 'GuardrailCheck', {
      entry: 'lambdas/experiments/guardrail-check.ts',
      description: 'cdk-mlops experiment guardrails (sample ratio, guardrail metrics, alarms)',
      environment,
      encryptionKey: storage.key,
      removalPolicy,
      timeout: EXPERIMENTS_DEFAULTS.guardrailTimeout,
    });
    this.guardrailRule = new events.Rule(this, 'GuardrailSchedule', {
      description: 'Evaluates running experiments and stops those whose split, guardrails or alarms fail',
      schedule: events.Schedule.rate(interval),
      targets: [new targets.LambdaFunction(this.guardrailFunction, { retryAttempts: 2 })],
    });

    // Each function names its tables, indexes and actions: the API lists by status, the schedule
    // reads its sparse index; a conclusion's promotion opens the rollout's approval request in the
    // registry table and takes the rollout lock as the rollout does.
    // @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
    const index = (table: dynamodb.ITable, name: string) => `${table.tableArn}/index/${name}`;
    const [byStatus, bySchedule] = EXPERIMENTS_TABLE.globalSecondaryIndexes.map((i) => i.indexName);
    const allow = (f: PlatformFunction, sid: string, actions: string[], resources: string[]) =>
      f.addToRolePolicy(
        new iam.PolicyStatement({ sid, actions: actions.map((a) => `dynamodb:${a}`), resources }),
      );
    const experimentsTable = storage.experimentsTable.tableArn;
    // ConditionCheckItem: an outcome's transaction checks its unit was not erased.
    allow(
      this.handler,
      'Experiments',
      ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'ConditionCheckItem'],
      [experimentsTable, index(storage.experimentsTable, byStatus)],
    );
    // byStatus once per table: the backfill putting experiments written before bySchedule existed in it.
    allow(
      this.guardrailFunction,
      'Experiments',
      ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
      [
        experimentsTable,
        index(storage.experimentsTable, bySchedule),
        index(storage.experimentsTable, byStatus),
      ],
    );
    allow(
      this.handler,
      'Idempotency',
      ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
      [storage.idempotencyTable.tableArn],
    );
    const registryIndexes = REGISTRY_TABLE.globalSecondaryIndexes.map((i) =>
      index(storage.registryTable, i.indexName),
    );
    for (const f of [this.handler, this.guardrailFunction]) {
      // The model's lock item and routing record, as the rollout writes them.
      allow(f, 'EndpointLock', ['GetItem', 'PutItem', 'DeleteItem'], [storage.deploymentsTable.tableArn]);
      allow(f, 'RegistryRead', ['GetItem', 'Query'], [storage.registryTable.tableArn, ...registryIndexes]);
      if (props.deployment)
        allow(f, 'ApprovalRequests', ['PutItem', 'ConditionCheckItem'], [storage.registryTable.tableArn]);
      allow(f, 'AppendAudit', ['PutItem'], [storage.auditTable.tableArn]);
      storage.key.grant(f, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    for (const f of [this.handler, this.guardrailFunction]) props.deployment?.grantExperimentServing(f);

    const kmsGrant = "CDK's KMS grant for the CMK-encrypted tables; scoped to the one platform key.";
    const findings: Array<readonly [Finding, string]> = [
      ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [
        { arn: `${storage.experimentsTable.tableArn}/index/*` },
        'The table grant covers the byStatus and bySchedule GSIs.',
      ],
      [
        { arn: `${storage.deploymentsTable.tableArn}/index/*` },
        'The table grant covers the byCreatedAt GSI.',
      ],
      [{ arn: `${storage.registryTable.tableArn}/index/*` }, 'The table grant covers the registry GSIs.'],
    ];
    for (const f of [this.handler, this.guardrailFunction]) {
      const policy = f.role?.node.tryFindChild('DefaultPolicy');
      if (!policy) throw new Error(`${f.node.path} has no default policy to acknowledge findings on`);
      acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
    }
  }
}
