/**
 * Platform events: the source and detail-types that go on the platform's EventBridge bus.
 * Detail-types are past-tense facts. The detail of every registry event is an `AuditRecord`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const REGISTRY_EVENT_SOURCE = 'cdk-mlops.registry';

export const RegistryEvent = {
  MODEL_CREATED: 'ModelCreated',
  MODEL_UPDATED: 'ModelUpdated',
  MODEL_DELETED: 'ModelDeleted',
  MODEL_VERSION_REGISTERED: 'ModelVersionRegistered',
  MODEL_VERSION_UPDATED: 'ModelVersionUpdated',
  MODEL_VERSION_READY: 'ModelVersionReady',
  MODEL_VERSION_FAILED: 'ModelVersionFailed',
  MODEL_VERSION_STAGE_CHANGED: 'ModelVersionStageChanged',
  MODEL_ALIAS_SET: 'ModelAliasSet',
  MODEL_ALIAS_DELETED: 'ModelAliasDeleted',
} as const;
export type RegistryEventType = (typeof RegistryEvent)[keyof typeof RegistryEvent];

/** One state change: who did what to which resource, with the state before and after. */
export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: RegistryEventType;
  readonly modelName: string;
  readonly version?: number;
  readonly alias?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The request id that made the change, for tracing. */
  readonly requestId?: string;
}
