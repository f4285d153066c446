/**
 * Approval requests reach their approvers: the registry's ApprovalRequested, ApprovalDecided,
 * ApprovalExpired and ApprovalStartFailed events go to the warning alert topic (whose
 * subscriptions the approvers are on) as one readable line naming the model, version, requester
 * and the request's full URL on the API (and the console's page of the version, where deployed).
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
  /**
   * The platform API's base URL, ending in `/` (`PlatformApi.url`): each line names the full URL
   * of the request's decision route. Local mode replaces it with the local API's URL, as it reads
   * the stack's `ApiUrl` output.
   * @default - the line names the route's path only
   */
  readonly apiUrl?: string;
  /**
   * The web console's URL, without a trailing `/` (`WebConsole.url`): each line also links the
   * console's page of the version the request is for.
   * @default - no console link
   */
  readonly consoleUrl?: string;
}

/** One rule per event: each names the request's id and requester at its own path. */
export function addApprovalNotifications(scope: Construct, props: ApprovalNotificationsProps): events.Rule[] {
  const field = (path: string) => events.EventField.fromPath(path);
  const model = field('$.detail.modelName');
  const version = field('$.detail.version');
  const requester = field('$.detail.after.requestedBy');
  const api = props.apiUrl ?? '/';
  const approvalUrl = (id: string) => `${api}models/${model}/approvals/${id}`;
  const consoleLink = props.consoleUrl
    ? `; console: ${props.consoleUrl}/#/models/${model}/versions/${version}`
    : '';
  const rule = (id: string, detailType: string, message: string) =>
    new events.Rule(scope, id, {
      eventBus: props.bus,
      description: `Tell the approvers: ${detailType}`,
      eventPattern: { source: [REGISTRY_EVENT_SOURCE], detailType: [detailType] },
      targets: [
        new targets.SnsTopic(props.topic, {
          message: events.RuleTargetInput.fromText(`${message}${consoleLink}`),
        }),
      ],
    });
  const requestId = field('$.detail.after.id');
  const closedId = field('$.detail.after.approvalId');
  return [
    rule(
      'ApprovalRequestedNotification',
      RegistryEvent.APPROVAL_REQUESTED,
      `Approval requested: ${model} version ${version} to Production, requested by ${requester}; decide at POST ${approvalUrl(requestId)}/decisions`,
    ),
    rule(
      'ApprovalDecidedNotification',
      RegistryEvent.APPROVAL_DECIDED,
      `Approval ${closedId} of ${model} version ${version} (requested by ${requester}): ${field('$.detail.actor')} decided ${field('$.detail.after.decision')}, request now ${field('$.detail.after.status')}; see GET ${approvalUrl(closedId)}`,
    ),
    rule(
      'ApprovalExpiredNotification',
      RegistryEvent.APPROVAL_EXPIRED,
      `Approval ${closedId} of ${model} version ${version} (requested by ${requester}) expired with no quorum; nothing changed (see GET ${approvalUrl(closedId)})`,
    ),
    rule(
      'ApprovalStartFailedNotification',
      RegistryEvent.APPROVAL_START_FAILED,
      `Approved rollout of ${model} version ${version} (requested by ${requester}) did not start: ${field('$.detail.after.code')} ${field('$.detail.after.message')}; nothing changed, and a new rollout asks again (see GET ${approvalUrl(closedId)})`,
    ),
  ];
}
