/**
 * Resolves the CloudFormation intrinsics CDK puts in the properties local mode reads
 * (state machine definitions, alarm dimensions) to concrete local values: pseudo parameters to
 * the local Region and account, `Ref` to the resource's physical name (its explicit name
 * property, else its logical id), `Fn::GetAtt [id, Arn]` to a well-formed ARN naming the logical
 * id, and `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` on those.
 */

import { ENDPOINT_RESOURCE_TYPE } from '../../contracts/serving';
import type { CfnTemplate } from '../cdk-template';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
  'AWS::NoValue': '',
};

/** Properties holding a resource's physical name, by resource type. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::SageMaker::Endpoint': 'EndpointName',
  [ENDPOINT_RESOURCE_TYPE]: 'EndpointName',
  'AWS::SageMaker::EndpointConfig': 'EndpointConfigName',
  'AWS::SageMaker::Model': 'ModelName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
};

/** The ARN local mode gives a resource: Lambda functions and state machines as their services name them. */
export function localArn(template: CfnTemplate, logicalId: string): string {
  const type = template.Resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function')
    return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
  if (type === 'AWS::StepFunctions::StateMachine') {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${logicalId}`;
  }
  const service = (type ?? 'AWS::Local::Resource').split('::')[1].toLowerCase();
  return `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}`;
}

function physicalName(template: CfnTemplate, logicalId: string): string {
  const resource = template.Resources[logicalId];
  const prop = resource && NAME_PROPERTY[resource.Type];
  const named = prop ? resource.Properties?.[prop] : undefined;
  return typeof named === 'string' ? named : logicalId;
}

/** Resolves every intrinsic in `value` (deeply). */
export function resolveIntrinsics(value: unknown, template: CfnTemplate): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, template));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = obj[key];
    switch (key) {
      case 'Ref': {
        const name = String(arg);
        // A state machine's Ref is its ARN; most other resources' is their name.
        if (template.Resources[name]?.Type === 'AWS::StepFunctions::StateMachine')
          return localArn(template, name);
        return PSEUDO[name] ?? physicalName(template, name);
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as string[];
        if (attribute === 'Arn') return localArn(template, id);
        const props = template.Resources[id]?.Properties ?? {};
        return typeof props[attribute] === 'string' ? props[attribute] : physicalName(template, id);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolveIntrinsics(parts, template) as unknown[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolveIntrinsics(list, template) as unknown[])[Number(resolveIntrinsics(index, template))];
      }
      case 'Fn::Split': {
        const [sep, source] = arg as [string, unknown];
        return String(resolveIntrinsics(source, template)).split(sep);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = resolveIntrinsics(arg, template) as string[];
        const mappings = (
          template as unknown as { Mappings?: Record<string, Record<string, Record<string, unknown>>> }
        ).Mappings;
        return mappings?.[map]?.[top]?.[second];
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = resolveIntrinsics(v, template);
  return out;
}
