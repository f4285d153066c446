/**
 * MLflow's tracking routes against DynamoDB Local and s3rver: experiments, runs, params (immutable),
 * metrics with history, tags, log-batch and its limits, search, artifacts through presigned URLs,
 * and errors in MLflow's shape and statuses.
 */
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';
import { type Call, trackingCaller } from '../helpers/tracking-harness';

const BUCKET = 'mlops-artifacts';
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
let call: Call;

beforeAll(() => {
  call = trackingCaller({ dynamoDb: standIns.dynamoDb, s3: standIns.s3, bucket: BUCKET }).call;
});

const api = (path: string) => `/api/2.0/mlflow${path}`;

async function newExperiment(name: string): Promise<string> {
  const created = await call('POST', api('/experiments/create'), { name });
  expect(created.status).toBe(200);
  return created.body.experiment_id;
}

async function newRun(experimentId: string, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call('POST', api('/runs/create'), { experiment_id: experimentId, ...body });
  expect(created.status).toBe(200);
  return created.body.run.info.run_id;
}

describe('experiments', () => {
  it('creates, reads by id and name, renames, tags, and refuses a taken name with 400 RESOURCE_ALREADY_EXISTS', async () => {
    // Act
    const created = await call('POST', api('/experiments/create'), {
      name: 'churn',
      tags: [{ key: 'team', value: 'a' }],
    });
    const id = created.body.experiment_id;
    const byId = await call('GET', api(`/experiments/get?experiment_id=${id}`));
    const byName = await call('GET', api('/experiments/get-by-name?experiment_name=churn'));
    const again = await call('POST', api('/experiments/create'), { name: 'churn' });
    const renamed = await call('POST', api('/experiments/update'), {
      experiment_id: id,
      new_name: 'churn-v2',
    });
    const tagged = await call('POST', api('/experiments/set-experiment-tag'), {
      experiment_id: id,
      key: 'k',
      value: 'v',
    });
    const after = await call('GET', api('/experiments/get-by-name?experiment_name=churn-v2'));
    const oldName = await call('GET', api('/experiments/get-by-name?experiment_name=churn'));
    // Assess
    expectReplyMatchesRoute('MlflowCreateExperiment', created);
    expectReplyMatchesRoute('MlflowGetExperiment', byId);
    expectReplyMatchesRoute('MlflowUpdateExperiment', renamed);
    expectReplyMatchesRoute('MlflowSetExperimentTag', tagged);
    expect(byId.body.experiment).toMatchObject({
      experiment_id: id,
      name: 'churn',
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'a' }],
    });
    expect(byName.body.experiment.experiment_id).toBe(id);
    expect(again).toEqual({
      status: 400,
      body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: "Experiment 'churn' already exists" },
    });
    expect(after.body.experiment).toMatchObject({ experiment_id: id, name: 'churn-v2' });
    expect(after.body.experiment.tags).toEqual(expect.arrayContaining([{ key: 'k', value: 'v' }]));
    expect(oldName).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('answers a missing experiment with 404 RESOURCE_DOES_NOT_EXIST and a bad body with 400 INVALID_PARAMETER_VALUE', async () => {
    // Act
    const missing = await call('GET', api('/experiments/get?experiment_id=424242'));
    const bad = await call('POST', api('/experiments/create'), { name: 7 });
    const elsewhere = await call('POST', api('/experiments/create'), {
      name: 'elsewhere',
      artifact_location: `s3://${BUCKET}/artifacts`,
    });
    // Assess
    expect(missing).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with ID 424242 exists' },
    });
    expect(elsewhere).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining('body.name'),
    });
  });

  it('serves the Default experiment 0, which a run can be created in without naming one', async () => {
    // Act
    const byId = await call('GET', api('/experiments/get?experiment_id=0'));
    const run = await call('POST', api('/runs/create'), { run_name: 'default-run' });
    // Assess
    expect(byId.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default' });
    expect(run.body.run.info).toMatchObject({
      experiment_id: '0',
      run_name: 'default-run',
      status: 'RUNNING',
    });
  });

  it('deletes an experiment with its runs, refuses new runs in it, and restores both', async () => {
    // Prepare
    const id = await newExperiment('to-delete');
    const runId = await newRun(id);
    // Act
    const deleted = await call('POST', api('/experiments/delete'), { experiment_id: id });
    const runAfterDelete = await call('GET', api(`/runs/get?run_id=${runId}`));
    const refused = await call('POST', api('/runs/create'), { experiment_id: id });
    const active = await call('POST', api('/experiments/search'), { filter: "name = 'to-delete'" });
    const deletedOnly = await call('POST', api('/experiments/search'), {
      filter: "name = 'to-delete'",
      view_type: 'DELETED_ONLY',
    });
    const restored = await call('POST', api('/experiments/restore'), { experiment_id: id });
    const runAfterRestore = await call('GET', api(`/runs/get?run_id=${runId}`));
    // Assess
    expectReplyMatchesRoute('MlflowDeleteExperiment', deleted);
    expectReplyMatchesRoute('MlflowRestoreExperiment', restored);
    expectReplyMatchesRoute('MlflowSearchExperiments', active);
    expect(runAfterDelete.body.run.info.lifecycle_stage).toBe('deleted');
    expect(refused).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(active.body.experiments).toEqual([]);
    expect(deletedOnly.body.experiments.map((e: { name: string }) => e.name)).toEqual(['to-delete']);
    expect(runAfterRestore.body.run.info.lifecycle_stage).toBe('active');
  });

  it('searches experiments with GET query parameters too', async () => {
    // Prepare
    await newExperiment('search-get-a');
    // Act
    const found = await call(
      'GET',
      api("/experiments/search?filter=name%20LIKE%20'search-get-%25'&max_results=5"),
    );
    // Assess
    expectReplyMatchesRoute('MlflowSearchExperimentsGet', found);
    expect(found.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-get-a']);
  });
});

describe('runs', () => {
  let experimentId: string;
  beforeAll(async () => {
    experimentId = await newExperiment('runs');
  });

  it('logs a param once: the same value again is fine, another is 400 INVALID_PARAMETER_VALUE and changes nothing', async () => {
    // Prepare
    const runId = await newRun(experimentId);
    // Act
    const first = await call('POST', api('/runs/log-parameter'), { run_id: runId, key: 'lr', value: '0.1' });
    const same = await call('POST', api('/runs/log-parameter'), { run_id: runId, key: 'lr', value: '0.1' });
    const other = await call('POST', api('/runs/log-parameter'), { run_id: runId, key: 'lr', value: '0.2' });
    const run = await call('GET', api(`/runs/get?run_id=${runId}`));
    // Assess
    expectReplyMatchesRoute('MlflowLogParam', first);
    expect(same.status).toBe(200);
    expect(other.status).toBe(400);
    expect(other.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(other.body.message).toContain("Param with key='lr' was already logged with value='0.1'");
    expect(run.body.run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
  });

  it('keeps every metric point in the history, pages it, and shows the latest on the run', async () => {
    // Prepare
    const runId = await newRun(experimentId);
    // Act
    for (const [step, value] of [
      [0, 1.5],
      [1, 0.9],
      [2, Number.NaN],
      [3, 0.4],
    ] as const) {
      const r = await call('POST', api('/runs/log-metric'), {
        run_uuid: runId,
        key: 'loss',
        value: Number.isNaN(value) ? 'NaN' : value,
        timestamp: 1700000000000 + step,
        step,
      });
      expectReplyMatchesRoute('MlflowLogMetric', r);
    }
    const page1 = await call(
      'GET',
      api(`/metrics/get-history?run_id=${runId}&metric_key=loss&max_results=3`),
    );
    const page2 = await call(
      'GET',
      api(
        `/metrics/get-history?run_id=${runId}&metric_key=loss&max_results=3&page_token=${page1.body.next_page_token}`,
      ),
    );
    const run = await call('GET', api(`/runs/get?run_id=${runId}`));
    // Assess
    expectReplyMatchesRoute('MlflowGetMetricHistory', page1);
    expectReplyMatchesRoute('MlflowGetRun', run);
    expect(page1.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([1.5, 0.9, 'NaN']);
    expect(page2.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([0.4]);
    expect(run.body.run.data.metrics).toEqual([
      { key: 'loss', value: 0.4, timestamp: 1700000000003, step: 3 },
    ]);
  });

  it('logs a batch within MLflow limits and refuses one past them with nothing written', async () => {
    // Prepare
    const runId = await newRun(experimentId);
    const metrics = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i }));
    const params = (n: number, prefix = 'p') =>
      Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: `${i}` }));
    // Act
    const ok = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: metrics(999),
      params: [],
      tags: [{ key: 'stage', value: 'a' }],
    });
    const tooManyMetrics = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: metrics(1001),
    });
    const tooManyParams = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      params: params(101, 'x'),
    });
    const tooManyInAll = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: metrics(950),
      params: params(51, 'y'),
    });
    const history = await call('GET', api(`/metrics/get-history?run_id=${runId}&metric_key=m0`));
    const run = await call('GET', api(`/runs/get?run_id=${runId}`));
    // Assess
    expect(ok.body).toEqual({});
    expectReplyMatchesRoute('MlflowLogBatch', ok);
    for (const refused of [tooManyMetrics, tooManyParams, tooManyInAll]) {
      expect(refused).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    }
    expect(tooManyInAll.body.message).toContain('at most 1000 metrics, params, and tags');
    expect(history.body.metrics).toHaveLength(143);
    expect(run.body.run.data.params).toEqual([]);
    expect(run.body.run.data.metrics).toHaveLength(7);
  });

  it('sets and deletes tags, updates status and end time, and refuses writes to a deleted run until restored', async () => {
    // Prepare
    const runId = await newRun(experimentId, { run_name: 'tagged' });
    // Act
    const set = await call('POST', api('/runs/set-tag'), { run_id: runId, key: 'team', value: 'x' });
    const del = await call('POST', api('/runs/delete-tag'), { run_id: runId, key: 'team' });
    const delMissing = await call('POST', api('/runs/delete-tag'), { run_id: runId, key: 'team' });
    const updated = await call('POST', api('/runs/update'), {
      run_id: runId,
      status: 'FINISHED',
      end_time: 5,
    });
    const deleted = await call('POST', api('/runs/delete'), { run_id: runId });
    const refused = await call('POST', api('/runs/log-metric'), {
      run_id: runId,
      key: 'a',
      value: 1,
      timestamp: 1,
    });
    const restored = await call('POST', api('/runs/restore'), { run_id: runId });
    const accepted = await call('POST', api('/runs/log-metric'), {
      run_id: runId,
      key: 'a',
      value: 1,
      timestamp: 1,
    });
    const missing = await call('GET', api('/runs/get?run_id=0123456789abcdef'));
    // Assess
    expectReplyMatchesRoute('MlflowSetTag', set);
    expectReplyMatchesRoute('MlflowDeleteTag', del);
    expectReplyMatchesRoute('MlflowUpdateRun', updated);
    expectReplyMatchesRoute('MlflowDeleteRun', deleted);
    expectReplyMatchesRoute('MlflowRestoreRun', restored);
    expect(delMissing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(updated.body.run_info).toMatchObject({ status: 'FINISHED', end_time: 5, run_name: 'tagged' });
    expect(refused).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(refused.body.message).toContain("must be in the 'active' state");
    expect(accepted.status).toBe(200);
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it("searches an experiment's runs with a filter, order_by and page_token", async () => {
    // Prepare
    const id = await newExperiment('search');
    for (const [i, model] of ['tree', 'linear', 'tree', 'tree'].entries()) {
      const runId = await newRun(id, { start_time: 1000 + i });
      await call('POST', api('/runs/log-batch'), {
        run_id: runId,
        metrics: [{ key: 'rmse', value: [0.3, 0.1, 0.2, 0.9][i], timestamp: 1 }],
        params: [{ key: 'model', value: model }],
      });
    }
    const body = {
      experiment_ids: [id],
      filter: "params.model = 'tree' and metrics.rmse < 0.5",
      order_by: ['metrics.rmse'],
    };
    // Act
    const first = await call('POST', api('/runs/search'), { ...body, max_results: 1 });
    const second = await call('POST', api('/runs/search'), {
      ...body,
      max_results: 1,
      page_token: first.body.next_page_token,
    });
    const badFilter = await call('POST', api('/runs/search'), {
      experiment_ids: [id],
      filter: "metrics.rmse < 1 or params.model = 'x'",
    });
    // Assess
    expectReplyMatchesRoute('MlflowSearchRuns', first);
    const rmse = (r: { body: { runs: Array<{ data: { metrics: Array<{ value: number }> } }> } }) =>
      r.body.runs.map((run) => run.data.metrics[0].value);
    expect(rmse(first)).toEqual([0.2]);
    expect(rmse(second)).toEqual([0.3]);
    expect(second.body.next_page_token).toBeUndefined();
    expect(badFilter).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });
});

describe('artifacts', () => {
  it('uploads through a presigned URL into the run artifact URI, lists it, and downloads it', async () => {
    // Prepare
    const experimentId = await newExperiment('artifacts');
    const runId = await newRun(experimentId);
    // Act
    const upload = await call('POST', api('/artifacts/presigned-upload-url'), {
      run_id: runId,
      path: 'model/notes.txt',
    });
    const put = await fetch(upload.body.presigned_url, { method: 'PUT', body: 'hello artifacts' });
    const root = await call('GET', api(`/artifacts/list?run_id=${runId}`));
    const dir = await call('GET', api(`/artifacts/list?run_id=${runId}&path=model`));
    const download = await call('POST', api('/artifacts/presigned-download-url'), {
      run_id: runId,
      path: 'model/notes.txt',
    });
    const got = await fetch(download.body.presigned_url);
    const missing = await call('POST', api('/artifacts/presigned-download-url'), {
      run_id: runId,
      path: 'nope.txt',
    });
    const climbing = await call('POST', api('/artifacts/presigned-upload-url'), {
      run_id: runId,
      path: '../other/x',
    });
    // Assess
    expectReplyMatchesRoute('MlflowCreatePresignedUploadUrl', upload);
    expectReplyMatchesRoute('MlflowListArtifacts', root);
    expect(put.status).toBe(200);
    expect(root.body).toEqual({
      root_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      files: [{ path: 'model', is_dir: true }],
    });
    expect(dir.body.files).toEqual([{ path: 'model/notes.txt', is_dir: false, file_size: 15 }]);
    expect(await got.text()).toBe('hello artifacts');
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(climbing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });

  it("serves MLflow's artifact proxy: PUT, list, GET, a redirect past 4 MB, and a multipart upload straight to S3", async () => {
    // Prepare
    const experimentId = await newExperiment('proxy');
    const runId = await newRun(experimentId);
    const run = await call('GET', api(`/runs/get?run_id=${runId}`));
    const root = (run.body.run.info.artifact_uri as string).slice('mlflow-artifacts:/'.length);
    const proxy = (path: string) => `/api/2.0/mlflow-artifacts${path}`;
    const bytes = Uint8Array.from([0, 1, 2, 255, 254, 10, 13]);
    const big = new Uint8Array(4 * 1024 * 1024 + 1).fill(7);
    const part1 = new Uint8Array(5 * 1024 * 1024).fill(1);
    const part2 = new Uint8Array(10).fill(2);
    // Act
    const put = await call('PUT', proxy(`/artifacts/${root}/model/weights.bin`), bytes);
    const listed = await call('GET', proxy(`/artifacts?path=${encodeURIComponent(`${root}/model`)}`));
    const runList = await call('GET', api(`/artifacts/list?run_id=${runId}&path=model`));
    const got = await call('GET', proxy(`/artifacts/${root}/model/weights.bin`));
    const missing = await call('GET', proxy(`/artifacts/${root}/nope.bin`));
    const climbing = await call('PUT', proxy(`/artifacts/${root}/../../x`), bytes);
    await call('PUT', proxy(`/artifacts/${root}/big.bin`), big);
    const redirected = await call('GET', proxy(`/artifacts/${root}/big.bin`));
    const viaRedirect = await fetch(String(redirected.headers?.location));
    const created = await call('POST', proxy(`/mpu/create/${root}/huge.bin`), {
      path: `${root}/huge.bin`,
      num_parts: 2,
    });
    const etags: string[] = [];
    for (const [i, part] of [part1, part2].entries()) {
      const res = await fetch(created.body.credentials[i].url, { method: 'PUT', body: part });
      etags.push(String(res.headers.get('etag')));
    }
    const completed = await call('POST', proxy(`/mpu/complete/${root}/huge.bin`), {
      path: `${root}/huge.bin`,
      upload_id: created.body.upload_id,
      parts: etags.map((etag, i) => ({ part_number: i + 1, etag })),
    });
    const other = await call('POST', proxy(`/mpu/create/${root}/other.bin`), { num_parts: 1 });
    const aborted = await call('POST', proxy(`/mpu/abort/${root}/other.bin`), {
      upload_id: other.body.upload_id,
    });
    const huge = await call('GET', proxy(`/artifacts?path=${encodeURIComponent(root)}`));
    // Assess
    expectReplyMatchesRoute('MlflowArtifactsUpload', put);
    expectReplyMatchesRoute('MlflowArtifactsList', listed);
    expectReplyMatchesRoute('MlflowArtifactsCreateMultipart', created);
    expectReplyMatchesRoute('MlflowArtifactsCompleteMultipart', completed);
    expectReplyMatchesRoute('MlflowArtifactsAbortMultipart', aborted);
    expect(listed.body).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: bytes.length }] });
    expect(runList.body.files).toEqual([
      { path: 'model/weights.bin', is_dir: false, file_size: bytes.length },
    ]);
    expect(got.status).toBe(200);
    expect([...got.body]).toEqual([...bytes]);
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(climbing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(redirected.status).toBe(307);
    expect((await viaRedirect.arrayBuffer()).byteLength).toBe(big.length);
    expect(created.body.credentials.map((c: { part_number: number }) => c.part_number)).toEqual([1, 2]);
    expect(huge.body.files).toEqual(
      expect.arrayContaining([{ path: 'huge.bin', is_dir: false, file_size: part1.length + part2.length }]),
    );
  });
  it("deletes through MLflow's artifact proxy: a file, or a directory's whole tree, never a sibling sharing its name's head", async () => {
    // Prepare
    const experimentId = await newExperiment('proxy-delete');
    const runId = await newRun(experimentId);
    const run = await call('GET', api(`/runs/get?run_id=${runId}`));
    const root = (run.body.run.info.artifact_uri as string).slice('mlflow-artifacts:/'.length);
    const proxy = (path: string) => `/api/2.0/mlflow-artifacts${path}`;
    const bytes = Uint8Array.from([1, 2, 3]);
    for (const file of ['model/a.bin', 'model/sub/b.bin', 'model2/c.bin', 'notes.txt', 'keep.txt']) {
      await call('PUT', proxy(`/artifacts/${root}/${file}`), bytes);
    }
    // Act
    const deletedDir = await call('DELETE', proxy(`/artifacts/${root}/model`));
    const deletedFile = await call('DELETE', proxy(`/artifacts/${root}/notes.txt`));
    const nothing = await call('DELETE', proxy(`/artifacts/${root}/never-logged`));
    const climbing = await call('DELETE', proxy(`/artifacts/${root}/../..`));
    const left = await call('GET', proxy(`/artifacts?path=${encodeURIComponent(root)}`));
    const gone = await call('GET', proxy(`/artifacts/${root}/model/sub/b.bin`));
    // Assess
    expectReplyMatchesRoute('MlflowArtifactsDelete', deletedDir);
    for (const ok of [deletedFile, nothing]) expect(ok).toMatchObject({ status: 200, body: {} });
    expect(climbing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(left.body.files.map((f: { path: string }) => f.path)).toEqual(['keep.txt', 'model2']);
    expect(gone).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });
});
