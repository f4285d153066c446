/**
 * Stage rules, with MLflow's semantics: a READY version may move between None, Staging,
 * Production and Archived in any direction; `archiveExistingVersions` archives the versions
 * already in the target stage (only meaningful for Staging and Production).
 * @see https://mlflow.org/docs/latest/python_api/mlflow.client.html#mlflow.client.MlflowClient.transition_model_version_stage
 */
import type { ModelVersion, Stage } from '../../../contracts/registry';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import type { StageTransition } from './ports';

/**
 * Most versions archived in one transition. DynamoDB transactions hold at most 100 items, and a
 * transition writes the version, the model, and per archived version an update and an audit.
 */
export const MAX_ARCHIVED_PER_TRANSITION = 48;

export function planStageTransition(input: {
  version: ModelVersion;
  to: Stage;
  archiveExistingVersions: boolean;
  /** Versions of the model currently in the target stage. */
  inTargetStage: ReadonlyArray<Pick<ModelVersion, 'version' | 'stage' | 'updatedAt'>>;
  at: string;
  /** Fewer when the transaction carries more (an approving decision adds two items). */
  maxArchived?: number;
}): StageTransition {
  const { version, to, at } = input;
  if (version.status !== 'READY') {
    throw new UnprocessableError(
      'VERSION_NOT_READY',
      `${version.modelName} version ${version.version} is ${version.status}; only READY versions change stage`,
    );
  }
  if (version.stage === to) {
    throw new ConflictError(
      'STAGE_UNCHANGED',
      `${version.modelName} version ${version.version} is already in ${to}`,
    );
  }
  const archiving = input.archiveExistingVersions && (to === 'Staging' || to === 'Production');
  const archive = archiving
    ? input.inTargetStage
        .filter((v) => v.version !== version.version)
        .map((v) => ({ version: v.version, from: v.stage, updatedAt: v.updatedAt }))
    : [];
  const maxArchived = input.maxArchived ?? MAX_ARCHIVED_PER_TRANSITION;
  if (archive.length > maxArchived) {
    throw new UnprocessableError(
      'TOO_MANY_TO_ARCHIVE',
      `${archive.length} versions are in ${to}; archive at most ${maxArchived} in one transition`,
    );
  }
  // Each stage's count on the model moves with the version and the versions archived.
  const delta = (stage: Stage) =>
    (to === stage ? 1 : 0) -
    (version.stage === stage ? 1 : 0) -
    archive.filter((a) => a.from === stage).length;
  const inTarget = input.inTargetStage.filter((v) => v.stage === to).length;
  return {
    modelName: version.modelName,
    version: version.version,
    from: version.stage,
    to,
    expectedUpdatedAt: version.updatedAt,
    archive,
    productionDelta: delta('Production'),
    stagingDelta: delta('Staging'),
    ...(archiving && to === 'Production' ? { expectedProductionVersions: inTarget } : {}),
    ...(archiving && to === 'Staging' ? { expectedStagingVersions: inTarget } : {}),
    at,
  };
}
