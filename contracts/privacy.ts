/**
 * Erasure of an entity (GDPR Art. 17, the right to erasure): the request names entity keys by join
 * key (`customer_id`), the way predictions' `parameters.entities` and Feast's online lookup do;
 * every feature view with that join key, the captured inference data and ground truth are cleared
 * of it, training sets and model versions built from it are flagged, and a tombstone keeps later
 * pushes and materializations from bringing it back.
 * @see https://gdpr-info.eu/art-17-gdpr/
 */
import * as z from 'zod';
import { FieldName, MAX_ENTITY_STRING_LENGTH } from './feature-names';
import { lazySchema } from './lazy-schema';

/** Most keys one erasure takes: its tombstones commit in one DynamoDB transaction (100 items). */
export const MAX_ERASURE_KEYS = 50;

/**
 * Where in the artifacts bucket an erasure run keeps what outgrows its DynamoDB record (the
 * inference ids it found), deleted when the run no longer needs it.
 */
export const ERASURE_RUNS_PREFIX = 'privacy/erasure-runs/';

/** Where one erasure run keeps the inference ids it found (one object per batch that found some). */
export const erasureInferenceIdsPrefix = (erasureId: string): string =>
  `${ERASURE_RUNS_PREFIX}${erasureId}/inference-ids/`;

export const ErasureId = lazySchema(() =>
  z.string().regex(/^[0-9a-f-]{36}$/, 'must be an erasure id (a UUID)'),
);

const EntityKeyValue = lazySchema(() =>
  z.union([
    z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    z.string().min(1).max(MAX_ENTITY_STRING_LENGTH),
  ]),
);

/** `POST /privacy/erasures`. */
export const ErasureRequest = lazySchema(() =>
  z
    .strictObject({
      /** Join key to the values to erase: `{"customer_id": [1001]}`. */
      entities: z
        .record(FieldName, z.array(EntityKeyValue).min(1).max(MAX_ERASURE_KEYS))
        .refine((e) => Object.keys(e).length >= 1, 'give at least one join key'),
      /**
       * Inference ids (the OIP request `id`, SageMaker's InferenceId) of the entity's predictions:
       * their capture records and ground truth go too, whatever the payload holds.
       */
      inferenceIds: z.array(z.string().min(1).max(256)).max(1000).default([]),
      /** Why, for the receipt (a ticket number, never the person's data). */
      reason: z.string().max(256).default(''),
    })
    .refine((r) => Object.values(r.entities).reduce((n, v) => n + v.length, 0) <= MAX_ERASURE_KEYS, {
      message: `at most ${MAX_ERASURE_KEYS} entity keys per erasure`,
      path: ['entities'],
    }),
);
export type ErasureRequest = z.infer<typeof ErasureRequest>;

export const ErasureStatus = lazySchema(() => z.enum(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED']));
export type ErasureStatus = z.infer<typeof ErasureStatus>;

/** What an erasure removed and flagged: the receipt's figures. */
export const ErasureResult = lazySchema(() =>
  z.object({
    onlineItemsDeleted: z.number().int(),
    offlineFilesRewritten: z.number().int(),
    offlineRowsRemoved: z.number().int(),
    captureFilesRewritten: z.number().int(),
    captureRecordsRemoved: z.number().int(),
    groundTruthLabelsDeleted: z.number().int(),
    /** Predictions served inside an experiment to an erased unit (inference id, unit, arm, prediction). */
    experimentPredictionsDeleted: z.number().int(),
    /** Experiments' first-outcome markers of an erased unit (their key is the unit). */
    experimentUnitMarkersDeleted: z.number().int(),
    /** Outcome-event markers naming an erased unit: kept without it, so a replayed event still counts once. */
    experimentOutcomeMarkersRedacted: z.number().int(),
    /** Training-set jobs whose entity rows held the entity (flagged, not deleted). */
    trainingSets: z.array(z.string()),
    /** `model:version` of every version whose lineage names one of those training sets (tagged). */
    modelVersions: z.array(z.string()),
  }),
);
export type ErasureResult = z.infer<typeof ErasureResult>;

/** An erasure as `GET /privacy/erasures/{erasureId}` returns it. The keys themselves are not kept. */
export const Erasure = lazySchema(() =>
  z.object({
    erasureId: z.string(),
    status: ErasureStatus,
    /** Join keys named, with how many values each. */
    keyCounts: z.record(z.string(), z.number().int()),
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().optional(),
    result: ErasureResult.optional(),
    error: z.string().optional(),
  }),
);
export type Erasure = z.infer<typeof Erasure>;

/**
 * Tags the erasure puts on a model version whose training data held an erased entity: the version
 * stays usable, and whoever retrains or audits it sees which erasure to honour.
 */
export const ERASURE_TAGS = {
  flagged: 'mlops:erasedEntityData',
  lastErasure: 'mlops:lastErasureId',
} as const;

export {
  type EntityMatch,
  entityMatch,
  erasedUnits,
  keyMatches,
  tombstoneHash,
  unitTombstoneHash,
} from './erasure-keys';
