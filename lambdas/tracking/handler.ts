/**
 * The tracking Lambda: MLflow's REST API 2.0 tracking routes (`/api/2.0/mlflow/...`). The router
 * parses each request with its route's schemas and renders errors in MLflow's shape; each route
 * calls one domain function and answers MLflow's reply.
 */
import type { Context } from 'aws-lambda';
import {
  ModelVersionQuery,
  ModelVersionTagRequest,
  RegisteredModelAliasRequest,
  RegisteredModelQuery,
  RegisteredModelTagRequest,
} from '../../contracts/tracking-registry';
import { TRACKING_ROUTES } from '../../contracts/tracking-routes';
import type { HttpEvent, HttpResult } from '../shared/http';
import { actorOf, ok, parseWith } from '../shared/http';
import { withIdempotency } from '../shared/idempotency';
import { makeRouter } from '../shared/router';
import { defaultDeps, type TrackingHandlerDeps } from './deps';
import * as proxy from './domain/artifact-proxy';
import { listArtifacts, listAt, presignedDownload, presignedUpload } from './domain/artifacts';
import * as experiments from './domain/experiments';
import * as logged from './domain/logged-models';
import * as registry from './domain/registry-mapping';
import { latestVersions, searchModelVersions, searchRegisteredModels } from './domain/registry-search';
import { logBatch } from './domain/run-writes';
import * as runs from './domain/runs';

const done = () => ok({});

export function makeHandler(deps: TrackingHandlerDeps) {
  const route = makeRouter(
    TRACKING_ROUTES,
    {
      MlflowCreateExperiment: async ({ body }) =>
        ok({ experiment_id: await experiments.createExperiment(deps, body) }),
      MlflowGetExperiment: async ({ query }) =>
        ok({ experiment: await experiments.getExperiment(deps, query.experiment_id) }),
      MlflowGetExperimentByName: async ({ query }) =>
        ok({ experiment: await experiments.getExperimentByName(deps, query.experiment_name) }),
      MlflowSearchExperiments: async ({ body }) => ok(await experiments.searchExperiments(deps, body)),
      MlflowSearchExperimentsGet: async ({ query }) => ok(await experiments.searchExperiments(deps, query)),
      MlflowUpdateExperiment: async ({ body }) => {
        await experiments.renameExperiment(deps, body.experiment_id, body.new_name);
        return done();
      },
      MlflowDeleteExperiment: async ({ body }) => {
        await experiments.setExperimentLifecycle(deps, body.experiment_id, 'deleted');
        return done();
      },
      MlflowRestoreExperiment: async ({ body }) => {
        await experiments.setExperimentLifecycle(deps, body.experiment_id, 'active');
        return done();
      },
      MlflowSetExperimentTag: async ({ body }) => {
        await experiments.setExperimentTag(deps, body.experiment_id, body.key, body.value);
        return done();
      },
      MlflowDeleteExperimentTag: async ({ body }) => {
        await experiments.deleteExperimentTag(deps, body.experiment_id, body.key);
        return done();
      },
      MlflowCreateRun: async ({ body }) => ok({ run: await runs.createRun(deps, body) }),
      MlflowGetRun: async ({ query }) => ok({ run: await runs.getRun(deps, runs.runIdOf(query)) }),
      MlflowUpdateRun: async ({ body }) => ok({ run_info: await runs.updateRunInfo(deps, body) }),
      MlflowDeleteRun: async ({ body }) => {
        await runs.setRunLifecycle(deps, runs.runIdOf(body), 'deleted');
        return done();
      },
      MlflowRestoreRun: async ({ body }) => {
        await runs.setRunLifecycle(deps, runs.runIdOf(body), 'active');
        return done();
      },
      MlflowSearchRuns: async ({ body }) => ok(await runs.searchRuns(deps, body)),
      MlflowLogParam: async ({ body }) => {
        await logBatch(deps, runs.runIdOf(body), { metrics: [], params: [body], tags: [] });
        return done();
      },
      MlflowLogMetric: async ({ body }) => {
        await logBatch(deps, runs.runIdOf(body), { metrics: [body], params: [], tags: [] });
        return done();
      },
      MlflowLogBatch: async ({ body }) => {
        await logBatch(deps, runs.runIdOf(body), body);
        return done();
      },
      MlflowSetTag: async ({ body }) => {
        await logBatch(deps, runs.runIdOf(body), { metrics: [], params: [], tags: [body] });
        return done();
      },
      MlflowDeleteTag: async ({ body }) => {
        await runs.deleteRunTag(deps, runs.runIdOf(body), body.key);
        return done();
      },
      MlflowGetMetricHistory: async ({ query }) =>
        ok(await runs.metricHistory(deps, runs.runIdOf(query), query)),
      MlflowListArtifacts: async ({ query }) =>
        ok(await listArtifacts(deps, runs.runIdOf(query), query.path, query.page_token)),
      MlflowCreatePresignedUploadUrl: async ({ body }) =>
        ok(await presignedUpload(deps, runs.runIdOf(body), body.path)),
      MlflowCreatePresignedDownloadUrl: async ({ body }) =>
        ok(await presignedDownload(deps, runs.runIdOf(body), body.path)),
      MlflowCreateRegisteredModel: async ({ event, body }) =>
        ok({ registered_model: await registry.createRegisteredModel(deps, actorOf(event), body) }),
      MlflowGetRegisteredModel: async ({ query }) =>
        ok({ registered_model: await registry.getRegisteredModel(deps, query.name) }),
      MlflowCreateModelVersion: async ({ event, body }) =>
        ok({ model_version: await registry.createModelVersion(deps, actorOf(event), body) }),
      MlflowGetModelVersion: async ({ query }) =>
        ok({
          model_version: registry.modelVersionView(
            await registry.getModelVersion(deps, query.name, query.version),
          ),
        }),
      MlflowGetModelVersionDownloadUri: async ({ query }) => {
        const { artifact } = await registry.getModelVersion(deps, query.name, query.version);
        return ok({ artifact_uri: `s3://${artifact.bucket}/${artifact.key}` });
      },
      MlflowTransitionModelVersionStage: async ({ event, body }) =>
        ok({ model_version: await registry.transitionStage(deps, actorOf(event), body) }),
      MlflowSetRegisteredModelAlias: async ({ event, body }) => {
        await registry.registryOf(deps).setAlias(body.name, body.alias, body.version, actorOf(event));
        return done();
      },
      MlflowDeleteRegisteredModelAlias: async ({ event, body, query }) => {
        const ref = body ?? parseWith(RegisteredModelAliasRequest, query, 'query');
        await registry.registryOf(deps).deleteAlias(ref.name, ref.alias, actorOf(event));
        return done();
      },
      MlflowSearchRegisteredModels: async ({ query }) => ok(await searchRegisteredModels(deps, query)),
      MlflowUpdateRegisteredModel: async ({ event, body }) => {
        const reg = registry.registryOf(deps);
        const model = await reg.updateModel(body.name, { description: body.description }, actorOf(event));
        return ok({
          registered_model: registry.registeredModelView(model, await reg.listAliases(body.name)),
        });
      },
      MlflowRenameRegisteredModel: async ({ event, body }) =>
        ok({ registered_model: await registry.renameRegisteredModel(deps, actorOf(event), body) }),
      MlflowDeleteRegisteredModel: async ({ event, body, query }) => {
        const ref = body ?? parseWith(RegisteredModelQuery, query, 'query');
        await registry.registryOf(deps).deleteModel(ref.name, actorOf(event));
        return done();
      },
      MlflowSetRegisteredModelTag: async ({ event, body }) => {
        await registry.registryOf(deps).patchModelTags(body.name, { [body.key]: body.value }, actorOf(event));
        return done();
      },
      MlflowDeleteRegisteredModelTag: async ({ event, body, query }) => {
        const ref = body ?? parseWith(RegisteredModelTagRequest, query, 'query');
        await registry.registryOf(deps).patchModelTags(ref.name, { [ref.key]: null }, actorOf(event));
        return done();
      },
      MlflowGetLatestVersions: async ({ body }) =>
        ok({ model_versions: await latestVersions(deps, body.name, body.stages) }),
      MlflowGetLatestVersionsGet: async ({ query }) =>
        ok({ model_versions: await latestVersions(deps, query.name, query.stages) }),
      MlflowSearchModelVersions: async ({ query }) => ok(await searchModelVersions(deps, query)),
      MlflowUpdateModelVersion: async ({ event, body }) => {
        const version = await registry
          .registryOf(deps)
          .updateVersion(body.name, body.version, { description: body.description }, actorOf(event));
        return ok({ model_version: registry.modelVersionView(version) });
      },
      MlflowDeleteModelVersion: async ({ event, body, query }) => {
        const ref = body ?? parseWith(ModelVersionQuery, query, 'query');
        await registry.registryOf(deps).deleteVersion(ref.name, ref.version, actorOf(event));
        return done();
      },
      MlflowSetModelVersionTag: async ({ event, body }) => {
        await registry
          .registryOf(deps)
          .updateVersion(body.name, body.version, { tags: { [body.key]: body.value } }, actorOf(event));
        return done();
      },
      MlflowDeleteModelVersionTag: async ({ event, body, query }) => {
        const ref = body ?? parseWith(ModelVersionTagRequest, query, 'query');
        await registry
          .registryOf(deps)
          .updateVersion(ref.name, ref.version, { tags: { [ref.key]: null } }, actorOf(event));
        return done();
      },
      MlflowGetModelVersionByAlias: async ({ query }) =>
        ok({ model_version: await registry.getModelVersionByAlias(deps, query.name, query.alias) }),
      MlflowCreateLoggedModel: async ({ body }) =>
        ok({ model: logged.loggedModelView(await logged.createLoggedModel(deps, body)) }),
      MlflowGetLoggedModel: async ({ params }) =>
        ok({ model: logged.loggedModelView(await logged.getLoggedModel(deps, params.model_id)) }),
      MlflowFinalizeLoggedModel: async ({ params, body }) =>
        ok({
          model: logged.loggedModelView(await logged.finalizeLoggedModel(deps, params.model_id, body.status)),
        }),
      MlflowDeleteLoggedModel: async ({ params }) => {
        await logged.deleteLoggedModel(deps, params.model_id);
        return done();
      },
      MlflowSearchLoggedModels: async ({ body }) => ok(await logged.searchLoggedModels(deps, body)),
      MlflowSetLoggedModelTags: async ({ params, body }) => {
        await logged.setLoggedModelTags(deps, params.model_id, body.tags);
        return done();
      },
      MlflowDeleteLoggedModelTag: async ({ params }) => {
        await logged.deleteLoggedModelTag(deps, params.model_id, params.tag_key);
        return done();
      },
      MlflowLogLoggedModelParams: async ({ params, body }) => {
        await logged.logLoggedModelParams(deps, params.model_id, body.params);
        return done();
      },
      MlflowListLoggedModelArtifacts: async ({ params, query }) => {
        const model = await logged.getLoggedModel(deps, params.model_id);
        return ok(
          await listAt(deps, model.artifactLocation, query.artifact_directory_path, query.page_token),
        );
      },
      MlflowLogOutputs: async ({ body }) => {
        await logged.logOutputs(deps, body.run_id, body.models);
        return done();
      },
      MlflowLogModel: async ({ body }) => {
        await logged.recordLoggedModel(deps, runs.runIdOf(body), body.model_json);
        return done();
      },
      MlflowArtifactsDownload: async ({ params }): Promise<HttpResult> => {
        const got = await proxy.download(deps, params.artifact_path);
        if ('redirect' in got) return { statusCode: 307, headers: { location: got.redirect }, body: '' };
        return {
          statusCode: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: Buffer.from(got.bytes).toString('base64'),
          isBase64Encoded: true,
        };
      },
      MlflowArtifactsUpload: async ({ event, params }) => {
        const body = event.body ?? '';
        await proxy.upload(
          deps,
          params.artifact_path,
          event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
        );
        return done();
      },
      MlflowArtifactsDelete: async ({ params }) => {
        await proxy.remove(deps, params.artifact_path);
        return done();
      },
      MlflowArtifactsList: async ({ query }) => ok(await proxy.list(deps, query.path)),
      MlflowArtifactsCreateMultipart: async ({ params, body }) =>
        ok(await proxy.createMultipart(deps, params.artifact_path, body.num_parts)),
      MlflowArtifactsCompleteMultipart: async ({ params, body }) => {
        await proxy.completeMultipart(deps, params.artifact_path, body.upload_id, body.parts);
        return done();
      },
      MlflowArtifactsAbortMultipart: async ({ params, body }) => {
        await proxy.abortMultipart(deps, params.artifact_path, body.upload_id);
        return done();
      },
    },
    (fn, route) => (deps.idempotency ? withIdempotency(fn, deps.idempotency, route.response.status) : fn),
  );
  return (event: HttpEvent, context: Context): Promise<HttpResult> => route(event, context);
}

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point; its ports are built on first use and reused by the container. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
