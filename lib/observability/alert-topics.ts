/**
 * One SNS topic per alert severity, encrypted with its own KMS key (CloudWatch must be able to
 * use it: the AWS-managed SNS key refuses other services), TLS-only, publishable by CloudWatch
 * alarms of this account, with the subscriptions `mlops:alerts` lists.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
 */
import { Aws, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  ALERT_SEVERITIES,
  type AlertSeverity,
  type AlertSubscription,
  alertTopicName,
} from '../../contracts/alerts';

/** Properties of `AlertTopics`. */
export interface AlertTopicsProps {
  /** Names the topics `mlops-<envName>-alerts-<severity>`. */
  readonly envName: string;
  /** @default - no subscription: alarms still change state and show on the dashboards */
  readonly subscriptions?: readonly AlertSubscription[];
  readonly removalPolicy: RemovalPolicy;
}

/** The alert topics, by severity. */
export class AlertTopics extends Construct {
  /** Encrypts the topics' messages at rest. */
  public readonly key: kms.Key;
  public readonly topics: Readonly<Record<AlertSeverity, sns.Topic>>;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `cdk-mlops ${props.envName}: alert topics`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // CloudWatch encrypts the alarm notification it publishes; only for this account's alarms.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    // EventBridge encrypts the approval notifications its rules publish; only from this account.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeRulesPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topics = {} as Record<AlertSeverity, sns.Topic>;
    for (const severity of ALERT_SEVERITIES) {
      const topic = new sns.Topic(this, severity === 'critical' ? 'Critical' : 'Warning', {
        topicName: alertTopicName(props.envName, severity),
        displayName: `cdk-mlops ${props.envName} ${severity}`,
        masterKey: this.key,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
      for (const s of props.subscriptions ?? []) {
        if (!s.severities.includes(severity)) continue;
        if ('email' in s) topic.addSubscription(new subscriptions.EmailSubscription(s.email));
        else if ('url' in s)
          topic.addSubscription(
            new subscriptions.UrlSubscription(s.url, { protocol: sns.SubscriptionProtocol.HTTPS }),
          );
        // Existing topics are alarm actions themselves (AlarmRouting); Chatbot lists its topics itself.
      }
      topics[severity] = topic;
    }
    this.topics = topics;
  }
}
