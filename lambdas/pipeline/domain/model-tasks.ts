/**
 * Task functions between training and the canary: evaluate challenger and champion on the same
 * holdout, decide (margin on the primary metric, then governance), register the challenger with
 * its metrics, lineage, serving package and reference drift profile, and plan the rollout.
 */
import { createHash } from 'node:crypto';
import { PipelineEvent } from '../../../contracts/events';
import { monitoringKeys, REFERENCE_PROFILE_TAG } from '../../../contracts/monitoring-names';
import { modelPackageKey } from '../../../contracts/serving';
import { planRollout } from '../../deployment';
import { buildProfile, parseTabular } from '../../monitoring';
import { packageOnnxModel, readTarGz } from '../../serving';
import { ModelNotFoundError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { approvalWait } from './approval-tasks';
import { compareWithChampion } from './champion';
import { demographicParityDifference, holdoutMetrics } from './evaluation';
import { governanceVerdict } from './governance-gate';
import { onnxFeatureNames, scoreOnnx } from './onnx-scorer';
import type { PipelineDeps } from './ports';
import { pipelineAudit, record, requireRun } from './run-tasks';
import { type RunState, runRecord } from './state';

const configOf = async (deps: PipelineDeps, modelName: string) => {
  const found = await deps.configs.get(modelName);
  if (!found) throw new Error(`${modelName} lost its retraining config mid-run`);
  return found;
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** model.onnx from a training job's model.tar.gz (or a bare model.onnx). */
export function onnxFromArtifact(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const entry = readTarGz(bytes).find((e) => e.path === 'model.onnx' || e.path.endsWith('/model.onnx'));
  if (!entry)
    throw new UnprocessableError(
      'NO_ONNX_MODEL',
      'the training job wrote no model.onnx to its model directory',
    );
  return entry.content;
}

/** Scores a model on the holdout rows, its inputs in the order the model declares (else the data's). */
function score(
  model: Uint8Array,
  rows: readonly Record<string, unknown>[],
  features: readonly string[],
): number[] {
  const order = onnxFeatureNames(model) ?? features;
  const missing = order.filter((f) => !features.includes(f));
  if (missing.length > 0) {
    throw new UnprocessableError('FEATURES_MISSING', `the holdout lacks model inputs ${missing.join(', ')}`);
  }
  return scoreOnnx(
    model,
    rows.map((r) => order.map((f) => Number(r[f]))),
  );
}

/** Challenger and champion on the same holdout rows, with the same metric code. */
export async function evaluate(deps: PipelineDeps, state: RunState): Promise<RunState> {
  const run = requireRun(state);
  const config = await configOf(deps, run.modelName);
  if (!state.training?.modelArtifactsUri) throw new Error('the training step reported no model artifacts');
  await record(deps, state, { phase: 'EVALUATING' });
  const challengerModel = onnxFromArtifact(await deps.objects.get(state.training.modelArtifactsUri));
  const holdout = await parseTabular(
    await deps.objects.get(`${run.training.holdoutChannelUri}data.csv`),
    'csv',
  );
  const label = config.trainingData.label;
  const features = state.validation?.features ?? [];
  const labels = holdout.map((r) => r[label] as number);
  const challengerScores = score(challengerModel, holdout, features);
  const challenger = holdoutMetrics(labels, challengerScores, config.problemType);

  let champion: Record<string, number> | undefined;
  let championNote: string | undefined;
  const current = await deps.registry.champion(run.modelName);
  if (current && current.status === 'READY') {
    try {
      const bytes = onnxFromArtifact(
        await deps.objects.get(`s3://${current.artifact.bucket}/${current.artifact.key}`),
      );
      champion = holdoutMetrics(labels, score(bytes, holdout, features), config.problemType);
    } catch (err) {
      // A champion that cannot read today's data (a schema change) is no bar to clear.
      championNote = `champion version ${current.version} could not be evaluated: ${(err as Error).message}`;
    }
  }
  const sensitive = config.sensitiveFeature;
  const dpd = sensitive
    ? demographicParityDifference(
        challengerScores,
        holdout.map((r) => r[sensitive]),
      )
    : undefined;
  return {
    ...state,
    evaluation: {
      challenger,
      ...(champion ? { champion } : {}),
      ...(current ? { championVersion: current.version } : {}),
      ...(championNote ? { championNote } : {}),
      modelSha256: sha256(challengerModel),
      ...(dpd !== undefined ? { demographicParityDifference: dpd } : {}),
      holdoutRows: holdout.length,
    },
  };
}

/** Register only a challenger that beats the champion by the margin and would pass governance. */
export async function decide(deps: PipelineDeps, state: RunState): Promise<RunState> {
  const run = requireRun(state);
  const config = await configOf(deps, run.modelName);
  const evaluation = state.evaluation;
  if (!evaluation) throw new Error('decide ran before evaluate');
  const comparison = compareWithChampion(config.primaryMetric, evaluation.challenger, evaluation.champion);
  const model = await deps.registry.getModel(run.modelName);
  if (!model) throw new ModelNotFoundError(run.modelName);
  const governance = governanceVerdict({
    platformPolicy: deps.registry.policy,
    model,
    metrics: evaluation.challenger,
    evidence: {
      ...config.governance,
      ...(evaluation.demographicParityDifference !== undefined
        ? { demographicParityDifference: evaluation.demographicParityDifference }
        : {}),
    },
  });
  const decision = !comparison.improved
    ? { register: false, outcome: 'NotImproved' as const, reason: comparison.reason }
    : !governance.passed
      ? { register: false, outcome: 'GovernanceRefused' as const, reason: `challenger ${governance.reason}` }
      : { register: true, reason: comparison.reason };
  return { ...state, decision: { ...decision, comparison, governance } };
}

/**
 * Registers the challenger (READY, with metrics, lineage and evidence), packages it for serving,
 * stores its reference drift profile from the training rows and links it, and plans the rollout.
 */
export async function register(deps: PipelineDeps, state: RunState): Promise<RunState> {
  const run = requireRun(state);
  const config = await configOf(deps, run.modelName);
  const { evaluation, validation, training } = state;
  if (!evaluation || !validation || !training) throw new Error('register ran before evaluate');
  await record(deps, state, { phase: 'REGISTERING' });
  const model = onnxFromArtifact(await deps.objects.get(training.modelArtifactsUri));
  const version = await deps.registry.registerStored(
    run.modelName,
    {
      description: `retrained by run ${run.runId} (${run.trigger.reason})`,
      metrics: evaluation.challenger,
      params: run.training.hyperparameters,
      tags: {
        'mlops:runId': run.runId,
        'mlops:trigger': run.trigger.reason,
        'mlops:triggerEvent': run.trigger.event.id.slice(0, 256),
      },
      lineage: {
        trainingRunId: run.runId,
        datasetUri: validation.datasetUri,
        datasetSha256: validation.datasetSha256,
        ...(evaluation.championVersion ? { parentVersion: evaluation.championVersion } : {}),
      },
      governance: {
        ...config.governance,
        ...(evaluation.demographicParityDifference !== undefined
          ? { demographicParityDifference: evaluation.demographicParityDifference }
          : {}),
      },
      artifact: {
        sha256: sha256(model),
        sizeBytes: model.byteLength,
        fileName: 'model.onnx',
        contentType: 'application/octet-stream',
      },
    },
    model,
    { principal: run.trigger.requestedBy },
  );
  const packageUri = await deps.objects.put(
    modelPackageKey(run.modelName, version.version),
    packageOnnxModel(run.modelName, version.version, model),
    'application/gzip',
  );
  const trainRows = await parseTabular(
    await deps.objects.get(`${run.training.trainChannelUri}data.csv`),
    'csv',
  );
  const profile = buildProfile({
    modelName: run.modelName,
    modelVersion: version.version,
    source: validation.datasetUri,
    createdAt: deps.now().toISOString(),
    rows: trainRows,
    exclude: [config.trainingData.label],
  });
  const profileUri = await deps.objects.put(
    monitoringKeys.profile(run.modelName, version.version),
    JSON.stringify(profile),
    'application/json',
  );
  await deps.registry.tagVersion(
    run.modelName,
    version.version,
    { [REFERENCE_PROFILE_TAG]: profileUri },
    { principal: run.trigger.requestedBy },
  );

  const target = await deps.deploymentTargets.get(run.modelName);
  if (!target)
    throw new NotFoundError('ENDPOINT_NOT_CONFIGURED', `${run.modelName} has no endpoint to canary on`);
  const input = planRollout({
    deploymentId: `${run.runId}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 80),
    modelName: run.modelName,
    version: version.version,
    target,
    ...(config.canary.steps ? { canarySteps: config.canary.steps } : {}),
    ...(config.canary.bakeMinutes !== undefined ? { bakeMinutes: config.canary.bakeMinutes } : {}),
    requestedBy: run.trigger.requestedBy,
  });
  const registered: RunState = {
    ...state,
    registration: { version: version.version, profileUri, packageUri },
    approval: approvalWait(await deps.registry.approvalPolicy(run.modelName)),
    canary: { input },
  };
  const at = deps.now().toISOString();
  await deps.store.updateRun(
    runRecord(registered, at, { phase: 'CANARY' }),
    pipelineAudit(deps, runRecord(registered, at), at, PipelineEvent.CHALLENGER_REGISTERED, {
      version: version.version,
      metrics: evaluation.challenger,
      deploymentId: input.deploymentId,
    }),
  );
  return registered;
}
