/**
 * Approval requests reach their approvers: the registry's ApprovalRequested, ApprovalDecided and
 * ApprovalExpired events go to the warning alert topic (whose subscriptions the approvers are on)
 * as one readable line naming the model, version, requester and the decision route.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { REGISTRY_EVENT_SOURCE, RegistryEvent } from '../../contracts/events';

export interface ApprovalNotificationsProps {
  readonly bus: events.IEventBus;
  readonly topic: sns.ITopic;
}

/** One rule per event: each names the request's id and requester at its own path. */
export function addApprovalNotifications(scope: Construct, props: ApprovalNotificationsProps): events.Rule[] {
  const field = (path: string) => events.EventField.fromPath(path);
  const model = field('$.detail.modelName');
  const version = field('$.detail.version');
  // The path on the platform API (its URL is the stack's ApiUrl output; a token here would not
  // resolve in local mode's rule delivery).
  const decisionUrl = (id: string) => `/models/${model}/approvals/${id}/decisions`;
  const rule = (id: string, detailType: string, message: string) =>
    new events.Rule(scope, id, {
      eventBus: props.bus,
      description: `Tell the approvers: ${detailType}`,
      eventPattern: { source: [REGISTRY_EVENT_SOURCE], detailType: [detailType] },
      targets: [new targets.SnsTopic(props.topic, { message: events.RuleTargetInput.fromText(message) })],
    });
  const requestId = field('$.detail.after.id');
  const closedId = field('$.detail.after.approvalId');
  return [
    rule(
      'ApprovalRequestedNotification',
      RegistryEvent.APPROVAL_REQUESTED,
      `Approval requested: ${model} version ${version} to Production, requested by ${field('$.detail.after.requestedBy')}; decide at POST ${decisionUrl(requestId)}`,
    ),
    rule(
      'ApprovalDecidedNotification',
      RegistryEvent.APPROVAL_DECIDED,
      `Approval ${closedId} of ${model} version ${version} (requested by ${field('$.detail.after.requestedBy')}): ${field('$.detail.actor')} decided ${field('$.detail.after.decision')}, request now ${field('$.detail.after.status')}; see GET /models/${model}/approvals/${closedId}`,
    ),
    rule(
      'ApprovalExpiredNotification',
      RegistryEvent.APPROVAL_EXPIRED,
      `Approval ${closedId} of ${model} version ${version} (requested by ${field('$.detail.after.requestedBy')}) expired with no quorum; nothing changed (see GET /models/${model}/approvals/${closedId})`,
    ),
  ];
}
