/**
 * The autoscaling adapter against a mocked SDK client: the scalable target and target-tracking
 * policy it registers per variant (what CloudFormation's scalable target and policy made before),
 * and a deregistration that tolerates a variant never registered.
 */
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { ApplicationAutoScalingEndpointScaling } from '../../../lambdas/deployment/adapters/application-autoscaling';

const client = new ApplicationAutoScalingClient({ region: 'us-east-1' });
const mock = mockClient(client);
const scaling = new ApplicationAutoScalingEndpointScaling(client);

beforeEach(() => mock.reset());

describe('ApplicationAutoScalingEndpointScaling', () => {
  it('registers the variant between the bounds, then tracks invocations per instance', async () => {
    await scaling.apply('mlops-churn', 'challenger', {
      minCapacity: 1,
      maxCapacity: 4,
      targetInvocationsPerInstance: 100,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    });
    const target = {
      ServiceNamespace: 'sagemaker',
      ResourceId: 'endpoint/mlops-churn/variant/challenger',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    };
    expect(mock.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input)).toEqual([
      { ...target, MinCapacity: 1, MaxCapacity: 4 },
    ]);
    expect(mock.commandCalls(PutScalingPolicyCommand).map((c) => c.args[0].input)).toEqual([
      {
        ...target,
        PolicyName: 'mlops-churn-challenger-invocations-per-instance',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 100,
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
        },
      },
    ]);
  });

  it('deregisters the variant; one that is not registered is fine, other errors are not', async () => {
    mock
      .on(DeregisterScalableTargetCommand)
      .rejectsOnce(new ObjectNotFoundException({ message: 'No scalable target found', $metadata: {} }))
      .rejectsOnce(new Error('AccessDeniedException'));
    await expect(scaling.remove('mlops-churn', 'champion')).resolves.toBeUndefined();
    await expect(scaling.remove('mlops-churn', 'champion')).rejects.toThrow('AccessDeniedException');
    expect(mock.commandCalls(DeregisterScalableTargetCommand)[0].args[0].input).toEqual({
      ServiceNamespace: 'sagemaker',
      ResourceId: 'endpoint/mlops-churn/variant/champion',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    });
  });
});
