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

/**
 * Resolves every intrinsic in `value` (deeply). `names` gives local physical names by logical id
 * (local tables, buckets, the bus), ahead of the template's own name properties.
 */
export function resolveIntrinsics(
  value: unknown,
  template: CfnTemplate,
  names: Record<string, string> = {},
): unknown {
  const resolve = (v: unknown) => resolveIntrinsics(v, template, names);
  if (Array.isArray(value)) return value.map(resolve);
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
        return PSEUDO[name] ?? names[name] ?? physicalName(template, name);
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as string[];
        if (attribute === 'Arn') return localArn(template, id);
        const props = template.Resources[id]?.Properties ?? {};
        if (typeof props[attribute] === 'string') return props[attribute];
        return names[id] ?? physicalName(template, id);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(list) as unknown[])[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [sep, source] = arg as [string, unknown];
        return String(resolve(source)).split(sep);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = resolve(arg) as string[];
        const mappings = (
          template as unknown as { Mappings?: Record<string, Record<string, Record<string, unknown>>> }
        ).Mappings;
        return mappings?.[map]?.[top]?.[second];
      }
      case 'Fn::Sub': {
        // `${Name}` is a variable of the list, a pseudo parameter or a Ref; `${Id.Attr}` a GetAtt.
        const [text, variables] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, unknown>];
        return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_, ref: string) => {
          if (ref in variables) return String(resolve(variables[ref]));
          const [id, attribute] = ref.split('.');
          return String(resolve(attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id }));
        });
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = resolve(v);
  return out;
}
