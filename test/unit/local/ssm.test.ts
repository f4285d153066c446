import type { CfnTemplate } from '../../../local/cdk-template';
import { LOCAL_BUCKET } from '../../../local/function-environment';
import { LocalSsm, parametersFromTemplate } from '../../../local/ssm/server';

const PATH = '/cdk-mlops/dev/deployment-targets';

describe('parametersFromTemplate', () => {
  it('gives each AWS::SSM::Parameter its name and its value with intrinsics resolved', () => {
    // Prepare
    const template = {
      Resources: {
        Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: {} },
        Target: {
          Type: 'AWS::SSM::Parameter',
          Properties: {
            Name: `${PATH}/fraud`,
            Type: 'String',
            Value: { 'Fn::Join': ['', ['{"listenerArn":"', { Ref: 'Listener' }, '"}']] },
          },
        },
      },
    } as unknown as CfnTemplate;
    // Act
    const [parameter] = parametersFromTemplate(template);
    // Assess
    expect(parameter).toEqual({ Name: `${PATH}/fraud`, Type: 'String', Value: '{"listenerArn":"Listener"}' });
  });

  it('names the artifacts bucket as local mode serves it, not by its logical id', () => {
    // Prepare: an LMI rollout target's artifact URL, `s3://<bucket>/<key>` as the stack writes it
    const template = {
      Resources: {
        StorageArtifactsBucketB19151BF: {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'aws:cdk:path': 'Mlops/Storage/ArtifactsBucket/Resource' },
        },
        Target: {
          Type: 'AWS::SSM::Parameter',
          Properties: {
            Name: `${PATH}/_llm-endpoint.lmi`,
            Type: 'String',
            Value: {
              'Fn::Join': ['', ['{"url":"s3://', { Ref: 'StorageArtifactsBucketB19151BF' }, '/k"}']],
            },
          },
        },
      },
    } as unknown as CfnTemplate;
    // Act
    const [parameter] = parametersFromTemplate(template);
    // Assess
    expect(parameter.Value).toBe(`{"url":"s3://${LOCAL_BUCKET}/k"}`);
  });

  it('fails for a parameter without a name', () => {
    const template = {
      Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } } },
    } as unknown as CfnTemplate;
    expect(() => parametersFromTemplate(template)).toThrow(/parameter P has no Name/);
  });
});

describe('LocalSsm', () => {
  const names = Array.from({ length: 12 }, (_, i) => `${PATH}/m${String(i).padStart(2, '0')}`);
  const ssm = new LocalSsm([
    ...names.map((Name) => ({ Name, Type: 'String' as const, Value: Name })),
    { Name: `${PATH}/deeper/m`, Type: 'String', Value: 'deep' },
  ]);

  it('pages GetParametersByPath by 10, one level unless recursive, with or without a trailing /', () => {
    const first = ssm.getParametersByPath({ Path: PATH });
    const second = ssm.getParametersByPath({ Path: PATH, NextToken: first.NextToken });
    expect(first.Parameters.map((p) => p.Name)).toEqual(names.slice(0, 10));
    expect(second.Parameters.map((p) => p.Name)).toEqual(names.slice(10));
    expect(second.NextToken).toBeUndefined();
    expect(ssm.getParametersByPath({ Path: `${PATH}/`, MaxResults: 3 }).Parameters).toHaveLength(3);
    expect(
      ssm.getParametersByPath({ Path: '/cdk-mlops', Recursive: true, MaxResults: 10 }).NextToken,
    ).toBeDefined();
    expect(ssm.getParametersByPath({ Path: '/cdk-mlops' }).Parameters).toEqual([]);
  });

  it('answers GetParameter, and ParameterNotFound for a missing one', () => {
    expect(ssm.getParameter({ Name: names[0] }).Parameter).toMatchObject({
      Name: names[0],
      Value: names[0],
      ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${names[0]}`,
    });
    expect(() => ssm.getParameter({ Name: `${PATH}/missing` })).toThrow(/not found/);
    expect(ssm.getParameters({ Names: [names[1], `${PATH}/missing`] })).toMatchObject({
      Parameters: [{ Name: names[1] }],
      InvalidParameters: [`${PATH}/missing`],
    });
  });

  it('fails for a path that does not start with /', () => {
    expect(() => ssm.getParametersByPath({ Path: 'cdk-mlops' })).toThrow(/must start with/);
  });
});
