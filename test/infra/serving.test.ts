/**
 * The serving construct's template: GPU variants with weights, Triton image per Region, data
 * capture, autoscaling, the canary alarms with their units, and the ECS backend. Each check is a
 * function that throws, run on the construct (must pass) and on a deliberately wrong one (must
 * fail), as cdk-nag tests its rules.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parsePlatformConfig } from '../../contracts/config';
import { ECS_SERVICES_RESOURCE_TYPE } from '../../contracts/deployment';
import { ENDPOINT_RESOURCE_TYPE, endpointName } from '../../contracts/serving';
import { TRITON_REGISTRY_ACCOUNTS } from '../../lib/serving/defaults';
import type { CfnTemplate } from '../../local/cdk-template';
import { type AlarmDefinition, evaluateAlarm, MetricStore } from '../../local/cloudwatch/alarms';
import { alarmsFromTemplate } from '../../local/cloudwatch/server';
import { resolveIntrinsics } from '../../local/state-machines/intrinsics';
import { buildServingStack } from '../helpers/serving-stack';

const ENDPOINT = endpointName('dev', 'churn');
let sageMaker: Template;
let ecs: Template;

beforeAll(() => {
  const built = buildServingStack(
    [{ modelName: 'churn' }, { modelName: 'fraud', backend: 'ecs' }],
    {},
    { nag: true },
  );
  // cdk-nag runs on synth: any unacknowledged finding throws here.
  built.app.synth();
  sageMaker = Template.fromStack(built.stack);
  ecs = sageMaker;
});

/** Fails unless the endpoint config at rest has the champion alone, on `instanceType`. */
function assertChampionAlone(t: Template, instanceType = 'ml.g5.xlarge'): void {
  t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
    ProductionVariants: [
      Match.objectLike({ VariantName: 'champion', InitialVariantWeight: 100, InstanceType: instanceType }),
    ],
  });
}

/** Fails unless `alarm` watches `metric` of the challenger at `threshold`, p95 for latency. */
function assertLatencyAlarm(t: Template, threshold: number): void {
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: `${ENDPOINT}-challenger-latency-p95`,
    MetricName: 'ModelLatency',
    Namespace: 'AWS/SageMaker',
    ExtendedStatistic: 'p95',
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    Dimensions: Match.arrayWith([{ Name: 'VariantName', Value: 'challenger' }]),
  });
}

function assertErrorRateAlarm(t: Template, threshold: number): void {
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: `${ENDPOINT}-challenger-error-rate`,
    Threshold: threshold,
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * FILL(errors, 0) / requests' }),
      Match.objectLike({
        Id: 'errors',
        MetricStat: Match.objectLike({
          Metric: Match.objectLike({ MetricName: 'Invocation5XXErrors' }),
          Stat: 'Sum',
        }),
      }),
      Match.objectLike({
        Id: 'requests',
        MetricStat: Match.objectLike({
          Metric: Match.objectLike({ MetricName: 'Invocations' }),
          Stat: 'Sum',
        }),
      }),
    ]),
  });
}

describe('SageMaker backend', () => {
  it('has one variant at rest, the champion, on the default ml.g5 size', () => {
    assertChampionAlone(sageMaker);
  });

  it('fails the variant check for a second variant or a CPU instance', () => {
    const { stack } = buildServingStack([{ modelName: 'churn', instanceType: 'ml.m5.xlarge' }]);
    const bad = Template.fromStack(stack);
    expect(() => assertChampionAlone(bad)).toThrow();
    expect(() => assertChampionAlone(bad, 'ml.m5.xlarge')).not.toThrow();
    const twoVariants = Template.fromJSON({
      Resources: {
        Config: {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: {
            ProductionVariants: ['champion', 'challenger'].map((VariantName) => ({
              VariantName,
              InitialVariantWeight: VariantName === 'champion' ? 100 : 0,
              InstanceType: 'ml.g5.xlarge',
            })),
          },
        },
      },
    });
    expect(() => assertChampionAlone(twoVariants)).toThrow();
    // A CPU family without NVMe takes a volume key; g5 does not accept one.
    bad.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.anyValue() });
    sageMaker.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: Match.arrayWith([Match.objectLike({ InstanceType: 'ml.g5.xlarge' })]),
      KmsKeyId: Match.absent(),
    });
  });

  it('runs the Triton image from the per-Region registry mapping', () => {
    const mappings = sageMaker.toJSON().Mappings.TritonImageRegistry;
    expect(mappings['us-east-1']).toEqual({ account: '763104351884' });
    expect(Object.keys(mappings)).toHaveLength(Object.keys(TRITON_REGISTRY_ACCOUNTS).length);
    const [model] = Object.values(sageMaker.findResources('AWS::SageMaker::Model'));
    expect(model.Properties.PrimaryContainer.Environment).toEqual({
      SAGEMAKER_TRITON_DEFAULT_MODEL_NAME: 'churn',
    });
    // Resolved as CloudFormation would in us-east-1 (FindInMap, URL suffix).
    expect(
      resolveIntrinsics(model.Properties.PrimaryContainer.Image, sageMaker.toJSON() as CfnTemplate),
    ).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/sagemaker-tritonserver:24.09-py3');
  });

  it('captures 20% of requests and responses to the platform bucket, KMS-encrypted', () => {
    sageMaker.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 20,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageKey'), 'Arn'] },
        DestinationS3Uri: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    });
  });

  it('fails props out of range, naming prop, value and range', () => {
    expect(() => buildServingStack([{ modelName: 'a' }], { dataCapturePercent: 150 })).toThrow(
      'dataCapturePercent must be 0..100, got 150',
    );
    expect(() => buildServingStack([{ modelName: 'a' }], { instanceType: 'g5.xlarge' })).toThrow(/ml\.\*/);
    expect(() =>
      buildServingStack([{ modelName: 'a' }], { minInstanceCount: 5, maxInstanceCount: 2 }),
    ).toThrow('maxInstanceCount must be 5..20, got 2');
  });

  it('scales each variant on invocations per instance between the bounds, through the endpoint resource', () => {
    const [resource] = Object.values(sageMaker.findResources(ENDPOINT_RESOURCE_TYPE));
    expect(JSON.parse(resource.Properties.Scaling)).toEqual({
      minCapacity: 1,
      maxCapacity: 4,
      targetInvocationsPerInstance: 100,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    });
    // Not CloudFormation's: SageMaker refuses an instance type change of a registered variant.
    const targets = sageMaker.findResources('AWS::ApplicationAutoScaling::ScalableTarget', {
      Properties: { ResourceId: Match.stringLikeRegexp(`^endpoint/${ENDPOINT}/`) },
    });
    expect(Object.keys(targets)).toEqual([]);
  });

  it('owns the endpoint through the custom resource (never AWS::SageMaker::Endpoint)', () => {
    // CloudFormation's own endpoint would put both variants back on the initial model on update.
    expect(Object.keys(sageMaker.findResources('AWS::SageMaker::Endpoint'))).toEqual([]);
    const resources = sageMaker.findResources(ENDPOINT_RESOURCE_TYPE);
    const [resource] = Object.values(resources);
    expect(resource.Properties).toMatchObject({
      EndpointName: ENDPOINT,
      ModelName: 'churn',
      EndpointConfigName: { 'Fn::GetAtt': [expect.stringContaining('InitialConfig'), 'EndpointConfigName'] },
    });
  });

  it("lets the endpoint provider drive and scale only this model's endpoint and configs", () => {
    const statements = Object.entries(sageMaker.findResources('AWS::IAM::Policy'))
      .filter(([policyId]) => policyId.startsWith('SageMakerEndpointProvider'))
      .flatMap(
        ([, p]) =>
          p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
      );
    const sageMakerStatements = statements.filter((st) =>
      [st.Action].flat().some((a) => a.startsWith('sagemaker:')),
    );
    const resources = JSON.stringify(sageMakerStatements.map((st) => st.Resource));
    expect(resources).toContain(`:endpoint/${ENDPOINT}"`);
    expect(resources).toContain(`:endpoint-config/${ENDPOINT}-*"`);
    expect(resources).not.toContain('"*"');
    expect(sageMakerStatements.flatMap((st) => [st.Action].flat()).sort()).toEqual(
      [
        'sagemaker:CreateEndpoint',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DeleteEndpoint',
        'sagemaker:DescribeEndpoint',
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:UpdateEndpoint',
        'sagemaker:UpdateEndpointWeightsAndCapacities',
        // Creating and updating the endpoint are authorized on its configs too.
        'sagemaker:CreateEndpoint',
        'sagemaker:UpdateEndpoint',
      ]
        .flatMap((a) => [a, a])
        .sort(),
    );
    // Autoscaling: only target tracking's alarms of this endpoint, and only the SageMaker service-linked role.
    const all = JSON.stringify(statements);
    expect(all).toContain(`alarm:TargetTracking-endpoint/${ENDPOINT}/*`);
    expect(all).toContain('"iam:AWSServiceName":"sagemaker.application-autoscaling.amazonaws.com"');
    for (const action of ['RegisterScalableTarget', 'DeregisterScalableTarget', 'PutScalingPolicy']) {
      expect(all).toContain(`application-autoscaling:${action}`);
    }
    expect(all).toContain('cloudwatch:DescribeAlarms');
  });

  it('alarms on challenger p95 ModelLatency above 100000 microseconds (100 ms)', () => {
    assertLatencyAlarm(sageMaker, 100_000);
    // 100 would be 100 microseconds: the unit mistake this check exists for.
    expect(() => assertLatencyAlarm(sageMaker, 100)).toThrow();
  });

  it('alarms on the challenger 5XX rate above 0.1% by metric math', () => {
    assertErrorRateAlarm(sageMaker, 0.1);
    expect(() => assertErrorRateAlarm(sageMaker, 1)).toThrow();
  });

  it('has both alarms per variant and both for the endpoint', () => {
    const names = Object.values(sageMaker.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties.AlarmName as string)
      .filter((n) => n.startsWith(`${ENDPOINT}-`))
      .sort();
    expect(names).toEqual(
      ['champion', 'challenger', 'endpoint']
        .flatMap((s) => [`${ENDPOINT}-${s}-error-rate`, `${ENDPOINT}-${s}-latency-p95`])
        .sort(),
    );
    sageMaker.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${ENDPOINT}-endpoint-latency-p95`,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'MAX([championP95, challengerP95])' })]),
    });
  });
});

/** Fails unless every alarm reads OK with no datapoint at all (a variant that does not exist). */
function assertQuietWhenAbsent(alarms: readonly AlarmDefinition[]): void {
  const empty = new MetricStore();
  for (const alarm of alarms) {
    const { state } = evaluateAlarm(alarm, empty, Date.now());
    if (state !== 'OK') throw new Error(`${alarm.AlarmName} is ${state} with no data`);
  }
}

describe('alarms of a variant that does not exist (one variant at rest)', () => {
  const canaryAlarms = (endpoint: string) =>
    alarmsFromTemplate(sageMaker.toJSON() as CfnTemplate).filter((a) =>
      a.AlarmName.startsWith(`${endpoint}-`),
    );

  it.each([ENDPOINT, endpointName('dev', 'fraud')])(
    'read OK, not ALARM nor INSUFFICIENT_DATA, on %s with no metrics: missing data is not breaching',
    (endpoint) => {
      const alarms = canaryAlarms(endpoint);
      expect(alarms).toHaveLength(6);
      expect(alarms.every((a) => a.TreatMissingData === 'notBreaching')).toBe(true);
      assertQuietWhenAbsent(alarms);
    },
  );

  it('fails the check for an alarm that treats missing data as breaching', () => {
    const [alarm] = canaryAlarms(ENDPOINT);
    expect(() => assertQuietWhenAbsent([{ ...alarm, TreatMissingData: 'breaching' }])).toThrow(/is ALARM/);
  });
});

describe('ECS backend', () => {
  const FRAUD = endpointName('dev', 'fraud');

  it('runs g5 GPU container instances from the ECS GPU-optimized AMI via a capacity provider', () => {
    ecs.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'g5.xlarge',
        ImageId: { Ref: Match.stringLikeRegexp('amazonlinux2gpu') },
      }),
    });
    ecs.resourceCountIs('AWS::ECS::CapacityProvider', 1);
    ecs.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: 'Triton',
          ResourceRequirements: [{ Type: 'GPU', Value: '1' }],
          Image: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        }),
      ]),
    });
  });

  it('splits traffic 100/0 between the champion and challenger target groups', () => {
    ecs.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: [
        Match.objectLike({
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('ChampionTargets') }, Weight: 100 },
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('ChallengerTargets') }, Weight: 0 },
            ],
          },
        }),
      ],
    });
  });

  it('alarms on target-group p95 response time above 0.1 s and the 5XX rate above 0.1%', () => {
    ecs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${FRAUD}-challenger-latency-p95`,
      MetricName: 'TargetResponseTime',
      Namespace: 'AWS/ApplicationELB',
      ExtendedStatistic: 'p95',
      Threshold: 0.1,
    });
    ecs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${FRAUD}-challenger-error-rate`,
      Threshold: 0.1,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }),
          }),
        }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RequestCount' }) }),
        }),
      ]),
    });
  });

  it('owns the services through the custom resource (never AWS::ECS::Service) and no CloudFormation scaling', () => {
    // CloudFormation's own service would go back to the initial package whenever its task definition
    // changes, and reset the task count on any update.
    expect(Object.keys(ecs.findResources('AWS::ECS::Service'))).toEqual([]);
    expect(
      Object.keys(
        ecs.findResources('AWS::ApplicationAutoScaling::ScalableTarget', {
          Properties: { ServiceNamespace: 'ecs' },
        }),
      ),
    ).toEqual([]);
    const [resource] = Object.values(ecs.findResources(ECS_SERVICES_RESOURCE_TYPE));
    expect(resource.Properties).toMatchObject({ ModelName: 'fraud', InitialCount: '1' });
    const services = JSON.stringify(resource.Properties.Services);
    expect(services).toContain(`${FRAUD}-champion`);
    expect(services).toContain('ChampionTargets');
    expect(JSON.stringify(resource.Properties.TaskDefinitions)).toContain('ChallengerTask');
  });

  it("lets the services provider create, update and delete only this endpoint's services", () => {
    const statements = Object.values(ecs.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('EcsServicesProviderOnEvent'))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const services = statements.find((st) => [st.Action].flat().includes('ecs:CreateService'));
    expect([services!.Action].flat().sort()).toEqual([
      'ecs:CreateService',
      'ecs:DeleteService',
      'ecs:DescribeServices',
      'ecs:UpdateService',
    ]);
    expect(JSON.stringify(services!.Resource)).toContain(`/${FRAUD}-champion`);
    expect([services!.Resource].flat()).not.toContain('*');
  });

  it('fails an ml. instance type for ECS', () => {
    expect(() =>
      buildServingStack([{ modelName: 'a', backend: 'ecs' }], { instanceType: 'ml.g5.xlarge' }),
    ).toThrow(/no ml\./);
  });
});

describe('mlops:endpoints config', () => {
  it('parses endpoints given as JSON with -c, applying the defaults', () => {
    const config = parsePlatformConfig({
      'mlops:envName': 'dev',
      'mlops:endpoints': JSON.stringify([{ modelName: 'churn' }]),
    });
    expect(config.endpoints).toEqual([
      expect.objectContaining({
        modelName: 'churn',
        backend: 'sagemaker',
        canarySteps: [5, 100],
        bakeMinutes: 10,
        dataCapturePercent: 20,
      }),
    ]);
  });

  it('fails bad entries naming the field', () => {
    expect(() =>
      parsePlatformConfig({
        'mlops:envName': 'dev',
        'mlops:endpoints': [{ modelName: 'churn', canarySteps: [50, 10] }],
      }),
    ).toThrow(/mlops:endpoints\.0\.canarySteps: must be strictly increasing/);
    expect(() =>
      parsePlatformConfig({
        'mlops:envName': 'dev',
        'mlops:endpoints': [{ modelName: 'c', backend: 'ecs', instanceType: 'ml.g5.xlarge' }],
      }),
    ).toThrow(/mlops:endpoints\.0\.instanceType/);
  });
});
