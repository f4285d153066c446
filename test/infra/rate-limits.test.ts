/**
 * Per-caller rate limits in the template: the `RateLimits` table (encrypted, with a TTL for idle
 * buckets), and every route function given its name and the limits in its environment and
 * allowed exactly the two actions GCRA needs on it.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { parsePlatformConfig } from '../../contracts/config';
import { ENV } from '../../contracts/env';
import { DEFAULT_RATE_LIMITS } from '../../contracts/rate-limits';
import { ROUTES, type RouteFunction } from '../../contracts/routes';
import { RATE_LIMITS_TABLE } from '../../contracts/tables';
import { PlatformApi } from '../../lib/api/platform-api';
import type { PlatformStack } from '../../lib/platform-stack';
import {
  cdkJsonContext,
  logicalId,
  PROD_LIKE_CONTEXT,
  SKIP_BUNDLING,
  synthPlatform,
  throwawayStack,
} from './helpers';

const CI_ROLE = 'arn:aws:iam::123456789012:role/ci';
const LIMITS = {
  default: DEFAULT_RATE_LIMITS,
  principals: { [CI_ROLE]: { writes: { ratePerSecond: 100, burst: 200 } } },
};

let stack: PlatformStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthPlatform({
    ...PROD_LIKE_CONTEXT,
    ...SKIP_BUNDLING,
    'mlops:rateLimits': LIMITS,
  }));
});

const routeFunctions = (): Record<RouteFunction, lambda.IFunction> => ({
  registry: stack.registry.handler,
  monitoring: stack.monitoring.apiHandler,
  deployment: stack.deployment.handler,
  serving: stack.predictions.handler,
  features: stack.features.handler,
  pipeline: stack.pipeline.handler,
  privacy: stack.privacy.handler,
  tracking: stack.tracking.handler,
  experiments: stack.experiments.handler,
  batch: stack.batchPredictions.handler,
  llm: stack.llm.handler,
});

describe('rate limits', () => {
  it('keeps the buckets in an encrypted table whose idle items expire', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: RATE_LIMITS_TABLE.timeToLiveAttribute, Enabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
  });

  it('gives every route function the table and the configured limits', () => {
    const table = logicalId(stack.storage.tables[RATE_LIMITS_TABLE.id]);
    const used = new Set(ROUTES.map((r) => r.function));
    for (const [name, fn] of Object.entries(routeFunctions())) {
      if (!used.has(name as RouteFunction)) continue;
      const resource = template.toJSON().Resources[logicalId(fn)];
      expect({ name, env: resource.Properties.Environment.Variables }).toMatchObject({
        name,
        env: { [ENV.rateLimitTable]: { Ref: table }, [ENV.rateLimits]: JSON.stringify(LIMITS) },
      });
    }
  });

  it('lets each route function read and conditionally update the buckets, nothing more on that table', () => {
    const table = logicalId(stack.storage.tables[RATE_LIMITS_TABLE.id]);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).includes(`"${table}"`));
    expect(onTable.length).toBeGreaterThanOrEqual(new Set(ROUTES.map((r) => r.function)).size);
    for (const s of onTable)
      expect([s.Action].flat().sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  it('fails an imported route function, whose environment it cannot set', () => {
    // Prepare
    const scope = throwawayStack();
    const imported = lambda.Function.fromFunctionArn(
      scope,
      'Imported',
      'arn:aws:lambda:us-east-1:123456789012:function:x',
    );
    const functions = Object.fromEntries(ROUTES.map((r) => [r.function, imported])) as Record<
      RouteFunction,
      lambda.IFunction
    >;
    // Act / Assess
    expect(
      () =>
        new PlatformApi(scope, 'Api', {
          functions,
          rateLimits: { table: stack.storage.tables[RATE_LIMITS_TABLE.id], limits: LIMITS },
        }),
    ).toThrow(/must be a lambda.Function to take rate limits/);
  });

  it.each([
    [
      { default: { ...DEFAULT_RATE_LIMITS, writes: { ratePerSecond: 0, burst: 10 } } },
      /rateLimits.default.writes.ratePerSecond/,
    ],
    [{ principals: { 'not-an-arn': {} } }, /rateLimits.principals.not-an-arn/],
    [
      { default: { ...DEFAULT_RATE_LIMITS, reads: { ratePerSecond: 5, burst: 0.5 } } },
      /rateLimits.default.reads.burst/,
    ],
  ])('fails a config with a bad limit, naming it', (rateLimits, field) => {
    expect(() => parsePlatformConfig(cdkJsonContext({ 'mlops:rateLimits': rateLimits }))).toThrow(field);
  });

  it('defaults every caller to the documented limits', () => {
    expect(parsePlatformConfig(cdkJsonContext()).rateLimits).toEqual({
      default: DEFAULT_RATE_LIMITS,
      principals: {},
    });
  });
});
