/**
 * MLflow's tracking API against the platform started as a user starts it (`npm start`'s entry
 * point in a child process), over signed HTTP: each test replays the requests MLflow's
 * `RestStore` sends for one line of a notebook (`set_experiment`, `start_run`, `log_param`,
 * `log_metric`, `log_metrics`/`log_params` (log-batch), `set_tag`, `log_artifact` through the
 * presigned-URL routes, `search_runs`, `end_run`), with the bodies MLflow 2.x serializes, and
 * MLflow 3's `log_dict`, `list_artifacts`, `download_artifacts` and `log_model(...,
 * registered_model_name=...)` over the artifact proxy and the logged-model routes (the calls of
 * MLflow's `RestStore`, `HttpArtifactRepository` and `_register_model`, read in mlflow/mlflow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const credentials = {
  accessKeyId: 'AKIALOCALE2ETRACK001',
  secretAccessKey: 'e2e-tracking-secret-e2e-tracking-secr00',
};
const api = (path: string) => `/api/2.0/mlflow${path}`;

describe('MLflow tracking over the local platform', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-tracking-'));
  let platform: PlatformProcess;
  let mlflow: SignedClient;

  beforeAll(async () => {
    platform = await startPlatformProcess({ dataDir, credentials });
    mlflow = signedClient(platform.url, credentials);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unsigned MLflow request with 403, as API Gateway does', async () => {
    const unsigned = await fetch(`${platform.url}${api('/experiments/get?experiment_id=0')}`);
    expect(unsigned.status).toBe(403);
  });

  it('runs a notebook: set_experiment, start_run, log_param, log_metric, log_batch, log_artifact, end_run, search_runs', async () => {
    // mlflow.set_experiment('churn'): get-by-name, then create when it does not exist
    const missing = await mlflow.call('GET', api('/experiments/get-by-name?experiment_name=churn'));
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    const created = await mlflow.call('POST', api('/experiments/create'), { name: 'churn' });
    expect(created.status).toBe(200);
    const experimentId = created.body.experiment_id;

    // mlflow.start_run(): runs/create with the client's context tags
    const started = await mlflow.call('POST', api('/runs/create'), {
      experiment_id: experimentId,
      user_id: 'alice',
      start_time: 1_700_000_000_000,
      tags: [
        { key: 'mlflow.user', value: 'alice' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
    });
    expect(started.status).toBe(200);
    const runId = started.body.run.info.run_id;
    expect(started.body.run.info.artifact_uri).toMatch(
      new RegExp(`^mlflow-artifacts:/${experimentId}/${runId}/artifacts$`),
    );

    // mlflow.log_param('lr', 0.01): values arrive as strings; once logged, a param is immutable
    const ref = { run_id: runId, run_uuid: runId };
    expect(
      (await mlflow.call('POST', api('/runs/log-parameter'), { ...ref, key: 'lr', value: '0.01' })).status,
    ).toBe(200);
    const changed = await mlflow.call('POST', api('/runs/log-parameter'), {
      ...ref,
      key: 'lr',
      value: '0.02',
    });
    expect(changed).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });

    // mlflow.log_metric('loss', v, step=i)
    for (const [step, value] of [0.9, 0.5, 0.3].entries()) {
      const logged = await mlflow.call('POST', api('/runs/log-metric'), {
        ...ref,
        key: 'loss',
        value,
        timestamp: 1_700_000_000_000 + step,
        step,
      });
      expect(logged).toEqual({ status: 200, body: {} });
    }

    // mlflow.log_metrics({...}) and mlflow.log_params({...}): one log-batch
    const batch = await mlflow.call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: [{ key: 'auc', value: 0.91, timestamp: 1_700_000_000_010, step: 0 }],
      params: [{ key: 'depth', value: '6' }],
      tags: [{ key: 'stage', value: 'dev' }],
    });
    expect(batch).toEqual({ status: 200, body: {} });

    // mlflow.log_text('hello', 'notes.txt') through the presigned-URL routes
    const upload = await mlflow.call('POST', api('/artifacts/presigned-upload-url'), {
      run_id: runId,
      path: 'notes.txt',
    });
    expect(upload.status).toBe(200);
    expect((await fetch(upload.body.presigned_url, { method: 'PUT', body: 'hello' })).status).toBe(200);
    const listed = await mlflow.call('GET', api(`/artifacts/list?run_id=${runId}`));
    expect(listed.body.files).toEqual([{ path: 'notes.txt', is_dir: false, file_size: 5 }]);

    // mlflow.end_run()
    const ended = await mlflow.call('POST', api('/runs/update'), {
      ...ref,
      status: 'FINISHED',
      end_time: 1_700_000_000_100,
    });
    expect(ended.body.run_info).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_000_100 });

    // mlflow.get_run(run_id) and the metric's history
    const run = await mlflow.call('GET', api(`/runs/get?run_id=${runId}&run_uuid=${runId}`));
    expect(run.body.run.data.metrics).toEqual(
      expect.arrayContaining([
        { key: 'loss', value: 0.3, timestamp: 1_700_000_000_002, step: 2 },
        { key: 'auc', value: 0.91, timestamp: 1_700_000_000_010, step: 0 },
      ]),
    );
    expect(run.body.run.data.params).toEqual(
      expect.arrayContaining([
        { key: 'lr', value: '0.01' },
        { key: 'depth', value: '6' },
      ]),
    );
    const history = await mlflow.call('GET', api(`/metrics/get-history?run_id=${runId}&metric_key=loss`));
    expect(history.body.metrics.map((m: { value: number }) => m.value)).toEqual([0.9, 0.5, 0.3]);

    // mlflow.search_runs(filter_string=..., order_by=[...]): runs/search with the active view
    const found = await mlflow.call('POST', api('/runs/search'), {
      experiment_ids: [experimentId],
      filter: "metrics.auc > 0.9 and params.depth = '6' and tags.`mlflow.source.type` = 'LOCAL'",
      run_view_type: 'ACTIVE_ONLY',
      max_results: 10000,
      order_by: ['metrics.loss ASC'],
    });
    expect(found.status).toBe(200);
    expect(found.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
  });

  it('registers, aliases, resolves and stages a model: register_model, set_registered_model_alias, get_model_version_by_alias, get_model_version_download_uri, transition_model_version_stage', async () => {
    // mlflow.onnx.log_model(..., artifact_path='model'): model.onnx under the run's artifacts
    const exp = await mlflow.call('POST', api('/experiments/create'), { name: 'registry-e2e' });
    const run = await mlflow.call('POST', api('/runs/create'), { experiment_id: exp.body.experiment_id });
    const runId = run.body.run.info.run_id;
    const upload = await mlflow.call('POST', api('/artifacts/presigned-upload-url'), {
      run_id: runId,
      path: 'model/model.onnx',
    });
    expect((await fetch(upload.body.presigned_url, { method: 'PUT', body: 'onnx bytes' })).status).toBe(200);

    // mlflow.register_model('runs:/<id>/model', 'churn'): create the registered model, then the version
    const model = await mlflow.call('POST', api('/registered-models/create'), { name: 'churn' });
    expect(model.status).toBe(200);
    const version = await mlflow.call('POST', api('/model-versions/create'), {
      name: 'churn',
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    expect(version.body.model_version).toMatchObject({ name: 'churn', version: '1', status: 'READY' });

    // MlflowClient().set_registered_model_alias('churn', 'champion', '1')
    const alias = await mlflow.call('POST', api('/registered-models/alias'), {
      name: 'churn',
      alias: 'champion',
      version: '1',
    });
    expect(alias).toEqual({ status: 200, body: {} });

    // MlflowClient().get_model_version_by_alias('churn', 'champion'), as models:/churn@champion resolves
    const byAlias = await mlflow.call('GET', api('/registered-models/alias?name=churn&alias=champion'));
    expect(byAlias.body.model_version).toMatchObject({ version: '1', run_id: runId });

    // MlflowClient().get_model_version_download_uri('churn', '1')
    const uri = await mlflow.call('GET', api('/model-versions/get-download-uri?name=churn&version=1'));
    expect(uri.body.artifact_uri).toMatch(/^s3:\/\/.+\/artifacts\/sha256\/[0-9a-f]{64}\/model\.onnx$/);

    // The same version in the platform's own registry API
    const platform = await mlflow.call('GET', '/models/churn/versions/1');
    expect(platform.body).toMatchObject({
      modelName: 'churn',
      version: 1,
      lineage: { trainingRunId: runId },
    });

    // MlflowClient().transition_model_version_stage('churn', '1', 'Production'): governance refuses
    const refused = await mlflow.call('POST', api('/model-versions/transition-stage'), {
      name: 'churn',
      version: '1',
      stage: 'Production',
      archive_existing_versions: false,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(refused.body.message).toContain('governance check');
    const staged = await mlflow.call('POST', api('/model-versions/transition-stage'), {
      name: 'churn',
      version: '1',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    expect(staged.body.model_version.current_stage).toBe('Staging');
  });

  it("runs MLflow 3's log_dict, list_artifacts, download_artifacts and log_model(registered_model_name=...) through the artifact proxy, then search_registered_models and get_latest_versions", async () => {
    const exp = await mlflow.call('POST', api('/experiments/create'), { name: 'mlflow3-e2e' });
    const experimentId = exp.body.experiment_id;
    const run = await mlflow.call('POST', api('/runs/create'), { experiment_id: experimentId });
    const runId = run.body.run.info.run_id;
    const proxy = (path: string) => `/api/2.0/mlflow-artifacts${path}`;
    const runRoot = String(run.body.run.info.artifact_uri).slice('mlflow-artifacts:/'.length);

    // mlflow.log_dict({'a': 1}, 'config.json'): a PUT of the file to the proxy path of the run's URI
    const put = await mlflow.call('PUT', proxy(`/artifacts/${runRoot}/config.json`), { a: 1 });
    expect(put).toEqual({ status: 200, body: {} });
    // mlflow.artifacts.list_artifacts / download_artifacts: the proxy's list, then a GET per file
    const listed = await mlflow.call('GET', proxy(`/artifacts?path=${encodeURIComponent(runRoot)}`));
    expect(listed.body.files).toEqual([{ path: 'config.json', is_dir: false, file_size: 7 }]);
    const downloaded = await mlflow.call('GET', proxy(`/artifacts/${runRoot}/config.json`));
    expect(downloaded).toEqual({ status: 200, body: { a: 1 } });

    // mlflow.onnx.log_model(model, name='model', registered_model_name='fraud') on MLflow 3:
    // create the logged model, upload its files to its artifact URI, link it to the run, finalize
    const created = await mlflow.call('POST', api('/logged-models'), {
      experiment_id: experimentId,
      name: 'model',
      source_run_id: runId,
      model_type: '',
      params: [],
      tags: [],
    });
    expect(created.body.model.info.status).toBe('LOGGED_MODEL_PENDING');
    const modelId = created.body.model.info.model_id;
    const modelRoot = String(created.body.model.info.artifact_uri).slice('mlflow-artifacts:/'.length);
    expect((await mlflow.call('PUT', proxy(`/artifacts/${modelRoot}/model.onnx`), 'onnx bytes')).status).toBe(
      200,
    );
    expect(
      (
        await mlflow.call('POST', api('/runs/outputs'), {
          run_id: runId,
          models: [{ model_id: modelId, step: 0 }],
        })
      ).status,
    ).toBe(200);
    const finalized = await mlflow.call('PATCH', api(`/logged-models/${modelId}`), {
      model_id: modelId,
      status: 'LOGGED_MODEL_READY',
    });
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
    // register_model('models:/<id>', 'fraud'): create the model (or find it), create the version
    expect((await mlflow.call('POST', api('/registered-models/create'), { name: 'fraud' })).status).toBe(200);
    const version = await mlflow.call('POST', api('/model-versions/create'), {
      name: 'fraud',
      source: `models:/${modelId}`,
      run_id: runId,
      model_id: modelId,
    });
    expect(version.body.model_version).toMatchObject({ name: 'fraud', version: '1', status: 'READY' });

    // MlflowClient().search_registered_models(): a GET whose filter holds spaces, sent as %20
    const filter = encodeURIComponent("tags.`mlflow.prompt.is_prompt` != 'true'");
    const searched = await mlflow.call(
      'GET',
      api(`/registered-models/search?filter=${filter}&max_results=100`),
    );
    expect(searched.body.registered_models.map((m: { name: string }) => m.name)).toContain('fraud');
    // MlflowClient().get_latest_versions('fraud'), as models:/fraud/latest resolves
    const latest = await mlflow.call('POST', api('/registered-models/get-latest-versions'), {
      name: 'fraud',
    });
    expect(latest.body.model_versions).toEqual([
      expect.objectContaining({ version: '1', current_stage: 'None' }),
    ]);
  });
});
