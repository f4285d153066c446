/**
 * MLflow's registry routes on the platform's one registry, over DynamoDB Local and s3rver: a
 * version registered through MLflow from a run's artifact is a platform version (content-addressed
 * and hash-checked, lineage to the run, audited), aliases and stages are the registry's, and a
 * Production transition without governance evidence is refused in MLflow's shape listing each
 * failed check.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_TABLE, auditKeys } from '../../contracts/tables';
import { registryServiceFromEnv } from '../../lambdas/registry';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';
import { type Call, trackingCaller } from '../helpers/tracking-harness';

const BUCKET = 'mlops-artifacts';
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
let call: Call;

beforeAll(() => {
  call = trackingCaller({
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    bucket: BUCKET,
    registry: registryServiceFromEnv(),
  }).call;
});

const api = (path: string) => `/api/2.0/mlflow${path}`;
const ONNX_BYTES = 'pretend this is an ONNX model';

/** A run whose artifacts hold `model/model.onnx`, as `mlflow.onnx.log_model` leaves them. */
async function runWithModel(): Promise<string> {
  const experiment = await call('POST', api('/experiments/create'), {
    name: `exp-${Date.now()}-${Math.random()}`,
  });
  const run = await call('POST', api('/runs/create'), { experiment_id: experiment.body.experiment_id });
  const runId = run.body.run.info.run_id;
  const upload = await call('POST', api('/artifacts/presigned-upload-url'), {
    run_id: runId,
    path: 'model/model.onnx',
  });
  expect((await fetch(upload.body.presigned_url, { method: 'PUT', body: ONNX_BYTES })).status).toBe(200);
  return runId;
}

describe('MLflow registry routes', () => {
  it('registers a version from a run, aliases it, resolves the alias and its download URI', async () => {
    // Prepare
    const runId = await runWithModel();
    // Act
    const model = await call('POST', api('/registered-models/create'), { name: 'churn', description: 'd' });
    const again = await call('POST', api('/registered-models/create'), { name: 'churn' });
    const version = await call('POST', api('/model-versions/create'), {
      name: 'churn',
      source: `runs:/${runId}/model`,
      run_id: runId,
      tags: [{ key: 'team', value: 'growth' }],
    });
    const alias = await call('POST', api('/registered-models/alias'), {
      name: 'churn',
      alias: 'champion',
      version: '1',
    });
    const byAlias = await call('GET', api('/registered-models/alias?name=churn&alias=champion'));
    const got = await call('GET', api('/model-versions/get?name=churn&version=1'));
    const uri = await call('GET', api('/model-versions/get-download-uri?name=churn&version=1'));
    const registered = await call('GET', api('/registered-models/get?name=churn'));
    const platformVersion = await registryServiceFromEnv().getVersion('churn', 1);
    // Assess
    expectReplyMatchesRoute('MlflowCreateRegisteredModel', model);
    expectReplyMatchesRoute('MlflowCreateModelVersion', version);
    expectReplyMatchesRoute('MlflowSetRegisteredModelAlias', alias);
    expectReplyMatchesRoute('MlflowGetModelVersionByAlias', byAlias);
    expectReplyMatchesRoute('MlflowGetModelVersion', got);
    expectReplyMatchesRoute('MlflowGetModelVersionDownloadUri', uri);
    expectReplyMatchesRoute('MlflowGetRegisteredModel', registered);
    expect(again).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    expect(version.body.model_version).toMatchObject({
      name: 'churn',
      version: '1',
      status: 'READY',
      current_stage: 'None',
      run_id: runId,
      source: `runs:/${runId}/model`,
    });
    expect(byAlias.body.model_version.version).toBe('1');
    expect(uri.body.artifact_uri).toMatch(
      new RegExp(`^s3://${BUCKET}/artifacts/sha256/[0-9a-f]{64}/model.onnx$`),
    );
    expect(registered.body.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    // One registry: the platform's version, hash-checked, with lineage to the run and the tags.
    expect(platformVersion).toMatchObject({
      status: 'READY',
      lineage: { trainingRunId: runId },
      tags: { team: 'growth', 'mlflow.source': `runs:/${runId}/model` },
      artifact: { sizeBytes: ONNX_BYTES.length },
    });
  });

  it('renames a model without versions atomically and audited; refuses one with versions, a taken or bad name', async () => {
    // Prepare
    const runId = await runWithModel();
    await call('POST', api('/registered-models/create'), {
      name: 'draft-name',
      description: 'churn v0',
      tags: [{ key: 'team', value: 'growth' }],
    });
    await call('POST', api('/registered-models/create'), { name: 'taken' });
    await call('POST', api('/registered-models/create'), { name: 'versioned' });
    await call('POST', api('/model-versions/create'), { name: 'versioned', source: `runs:/${runId}/model` });
    const rename = (name: string, new_name: string) =>
      call('POST', api('/registered-models/rename'), { name, new_name });
    // Act
    const taken = await rename('draft-name', 'taken');
    const renamed = await rename('draft-name', 'final-name');
    // The client's retry of a rename whose answer was lost: the same answer, nothing changed.
    const retried = await rename('draft-name', 'final-name');
    const old = await call('GET', api('/registered-models/get?name=draft-name'));
    const got = await call('GET', api('/registered-models/get?name=final-name'));
    const missing = await rename('no-such-model', 'anything');
    const invalid = await rename('final-name', 'not a name!');
    const withVersions = await rename('versioned', 'versioned-2');
    const stillVersioned = await call('GET', api('/model-versions/get?name=versioned&version=1'));
    const audit = await DynamoDBDocumentClient.from(standIns.dynamoDb).send(
      new QueryCommand({
        TableName: AUDIT_TABLE.id,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.partition('final-name') },
      }),
    );
    // Assess
    expectReplyMatchesRoute('MlflowRenameRegisteredModel', renamed);
    expect(renamed.body.registered_model).toMatchObject({
      name: 'final-name',
      description: 'churn v0',
      tags: [{ key: 'team', value: 'growth' }],
      aliases: [],
    });
    expect(retried).toEqual(renamed);
    expect(got.body.registered_model).toEqual(renamed.body.registered_model);
    expect(old).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(taken).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(invalid).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(withVersions).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(withVersions.body.message).toMatch(/versioned has held 1 version\(s\) and cannot be renamed/);
    expect(stillVersioned.body.model_version).toMatchObject({ name: 'versioned', version: '1' });
    expect(audit.Items).toEqual([
      expect.objectContaining({
        action: 'ModelRenamed',
        modelName: 'final-name',
        before: expect.objectContaining({ name: 'draft-name' }),
        after: expect.objectContaining({ name: 'final-name' }),
      }),
    ]);
  });

  it('lets one of two racing renames of a model win: the model ends under exactly one name', async () => {
    // Prepare
    await call('POST', api('/registered-models/create'), { name: 'racing' });
    // Act
    const replies = await Promise.all(
      ['racing-a', 'racing-b'].map((new_name) =>
        call('POST', api('/registered-models/rename'), { name: 'racing', new_name }),
      ),
    );
    const held = await Promise.all(
      ['racing', 'racing-a', 'racing-b'].map(
        async (name) => (await call('GET', api(`/registered-models/get?name=${name}`))).status,
      ),
    );
    // Assess
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    for (const lost of replies.filter((r) => r.status !== 200)) {
      expect(['RESOURCE_DOES_NOT_EXIST', 'RESOURCE_CONFLICT']).toContain(lost.body.error_code);
    }
    expect(held.filter((status) => status === 200)).toHaveLength(1);
  });

  it('refuses Production without governance evidence, listing each failed check, and moves to Staging', async () => {
    // Prepare
    const runId = await runWithModel();
    await call('POST', api('/registered-models/create'), { name: 'fraud' });
    await call('POST', api('/model-versions/create'), {
      name: 'fraud',
      source: `runs:/${runId}/model/model.onnx`,
    });
    // Act
    const refused = await call('POST', api('/model-versions/transition-stage'), {
      name: 'fraud',
      version: '1',
      stage: 'production',
      archive_existing_versions: true,
    });
    const staged = await call('POST', api('/model-versions/transition-stage'), {
      name: 'fraud',
      version: '1',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(refused.body.message).toMatch(/failed \d+ governance check\(s\): .*modelCard/);
    expectReplyMatchesRoute('MlflowTransitionModelVersionStage', staged);
    expect(staged.body.model_version.current_stage).toBe('Staging');
  });

  it('deletes an alias (JSON body, as the client sends it); a missing model, version or alias is 404', async () => {
    // Prepare
    const runId = await runWithModel();
    await call('POST', api('/registered-models/create'), { name: 'aliased' });
    await call('POST', api('/model-versions/create'), { name: 'aliased', source: `runs:/${runId}/model` });
    await call('POST', api('/registered-models/alias'), { name: 'aliased', alias: 'staging', version: 1 });
    // Act
    const deleted = await call('DELETE', api('/registered-models/alias'), {
      name: 'aliased',
      alias: 'staging',
    });
    const gone = await call('GET', api('/registered-models/alias?name=aliased&alias=staging'));
    const noModel = await call('POST', api('/model-versions/create'), {
      name: 'nope',
      source: `runs:/${runId}/model`,
    });
    const noVersion = await call('GET', api('/model-versions/get?name=aliased&version=9'));
    const outside = await call('POST', api('/model-versions/create'), {
      name: 'aliased',
      source: `s3://${BUCKET}/pipeline/model.onnx`,
    });
    const climbing = await call('POST', api('/model-versions/create'), {
      name: 'aliased',
      source: `runs:/${runId}/../../x`,
    });
    const root = await call('POST', api('/model-versions/create'), {
      name: 'aliased',
      source: `s3://${BUCKET}/`,
    });
    const noSource = await call('POST', api('/model-versions/create'), {
      name: 'aliased',
      source: `runs:/${runId}/absent`,
    });
    // Assess
    expectReplyMatchesRoute('MlflowDeleteRegisteredModelAlias', deleted);
    for (const missing of [gone, noModel, noVersion]) {
      expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    }
    for (const refused of [noSource, outside, climbing, root]) {
      expect(refused).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    }
  });

  it('searches, edits, tags and deletes models and versions through the registry, which refuses deleting a version in use', async () => {
    // Prepare
    const runId = await runWithModel();
    await call('POST', api('/registered-models/create'), { name: 'edited' });
    for (let i = 0; i < 3; i++) {
      await call('POST', api('/model-versions/create'), {
        name: 'edited',
        source: `runs:/${runId}/model`,
        run_id: runId,
      });
    }
    await call('POST', api('/registered-models/alias'), { name: 'edited', alias: 'champion', version: '2' });
    await call('POST', api('/model-versions/transition-stage'), {
      name: 'edited',
      version: '3',
      stage: 'Staging',
    });
    const q = (params: Record<string, string>) =>
      new URLSearchParams(params).toString().replaceAll('+', '%20');
    // Act
    const updated = await call('PATCH', api('/registered-models/update'), {
      name: 'edited',
      description: 'new',
    });
    const tagged = await call('POST', api('/registered-models/set-tag'), {
      name: 'edited',
      key: 'team',
      value: 'growth',
    });
    const reserved = await call('POST', api('/registered-models/set-tag'), {
      name: 'edited',
      key: 'mlops:x',
      value: 'v',
    });
    // The filter MLflow's client adds to every search_registered_models, excluding prompts.
    const found = await call(
      'GET',
      api(
        `/registered-models/search?${q({ filter: "name LIKE 'edit%' AND tags.`mlflow.prompt.is_prompt` != 'true'", max_results: '10' })}`,
      ),
    );
    const byTag = await call(
      'GET',
      api(`/registered-models/search?${q({ filter: "tags.team = 'growth'" })}`),
    );
    const untagged = await call('DELETE', api('/registered-models/delete-tag'), {
      name: 'edited',
      key: 'team',
    });
    const versionTagged = await call('POST', api('/model-versions/set-tag'), {
      name: 'edited',
      version: '1',
      key: 'k',
      value: 'v',
    });
    const versionUpdated = await call('PATCH', api('/model-versions/update'), {
      name: 'edited',
      version: '1',
      description: 'first',
    });
    const versions = await call(
      'GET',
      api(
        `/model-versions/search?${q({ filter: `name = 'edited' AND run_id = '${runId}' AND tags.k = 'v'` })}`,
      ),
    );
    const allVersions = await call(
      'GET',
      api(`/model-versions/search?${q({ filter: "name='edited'", order_by: 'version_number ASC' })}`),
    );
    const versionUntagged = await call('DELETE', api('/model-versions/delete-tag'), {
      name: 'edited',
      version: '1',
      key: 'k',
    });
    const latest = await call('POST', api('/registered-models/get-latest-versions'), { name: 'edited' });
    const latestStaging = await call(
      'GET',
      api('/registered-models/get-latest-versions?name=edited&stages=staging'),
    );
    const aliased = await call('DELETE', api('/model-versions/delete'), { name: 'edited', version: '2' });
    const staged = await call('DELETE', api('/model-versions/delete'), { name: 'edited', version: '3' });
    const deleted = await call('DELETE', api('/model-versions/delete'), { name: 'edited', version: '1' });
    const platformVersion = await registryServiceFromEnv().getVersion('edited', 1);
    const modelDeleted = await call('DELETE', api('/registered-models/delete'), { name: 'edited' });
    const gone = await call('GET', api('/registered-models/get?name=edited'));
    // Assess
    expectReplyMatchesRoute('MlflowUpdateRegisteredModel', updated);
    expectReplyMatchesRoute('MlflowSetRegisteredModelTag', tagged);
    expectReplyMatchesRoute('MlflowSearchRegisteredModels', found);
    expectReplyMatchesRoute('MlflowDeleteRegisteredModelTag', untagged);
    expectReplyMatchesRoute('MlflowSetModelVersionTag', versionTagged);
    expectReplyMatchesRoute('MlflowUpdateModelVersion', versionUpdated);
    expectReplyMatchesRoute('MlflowSearchModelVersions', versions);
    expectReplyMatchesRoute('MlflowDeleteModelVersionTag', versionUntagged);
    expectReplyMatchesRoute('MlflowGetLatestVersions', latest);
    expectReplyMatchesRoute('MlflowDeleteModelVersion', deleted);
    expectReplyMatchesRoute('MlflowDeleteRegisteredModel', modelDeleted);
    expect(updated.body.registered_model).toMatchObject({
      description: 'new',
      aliases: [{ alias: 'champion', version: '2' }],
    });
    expect(reserved).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(found.body.registered_models.map((m: { name: string }) => m.name)).toEqual(['edited']);
    expect(byTag.body.registered_models[0].tags).toEqual([{ key: 'team', value: 'growth' }]);
    expect(versions.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
    expect(versions.body.model_versions[0]).toMatchObject({
      description: 'first',
      tags: expect.arrayContaining([{ key: 'k', value: 'v' }]),
    });
    expect(allVersions.body.model_versions.map((v: { version: string }) => v.version)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(
      latest.body.model_versions.map((v: { version: string; current_stage: string }) => [
        v.current_stage,
        v.version,
      ]),
    ).toEqual([
      ['None', '2'],
      ['Staging', '3'],
    ]);
    expect(latestStaging.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['3']);
    for (const refused of [aliased, staged]) {
      expect(refused).toMatchObject({ status: 409, body: { error_code: 'RESOURCE_CONFLICT' } });
    }
    expect(aliased.body.message).toMatch(/aliased as champion/);
    expect(staged.body.message).toMatch(/is in Staging/);
    expect(platformVersion).toBeUndefined();
    expect(gone).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it("replays MLflow 3's log_model(registered_model_name=...): a logged model, its files, finalize, and a version registered from models:/<id>", async () => {
    // Prepare
    const experiment = await call('POST', api('/experiments/create'), { name: `lm-${Date.now()}` });
    const experimentId = experiment.body.experiment_id;
    const run = await call('POST', api('/runs/create'), { experiment_id: experimentId });
    const runId = run.body.run.info.run_id;
    // Act
    const created = await call('POST', api('/logged-models'), {
      experiment_id: experimentId,
      name: 'model',
      source_run_id: runId,
      model_type: 'onnx',
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'team', value: 'growth' }],
    });
    const modelId = created.body.model.info.model_id;
    const location: string = created.body.model.info.artifact_uri;
    // The client uploads the files to the artifact location (the proxy; here straight to the bucket).
    await standIns.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `mlflow/${location.slice('mlflow-artifacts:/'.length)}/model.onnx`,
        Body: ONNX_BYTES,
      }),
    );
    const params = await call('POST', api(`/logged-models/${modelId}/params`), {
      model_id: modelId,
      params: [{ key: 'beta', value: '1' }],
    });
    const changed = await call('POST', api(`/logged-models/${modelId}/params`), {
      params: [{ key: 'alpha', value: '0.9' }],
    });
    const outputs = await call('POST', api('/runs/outputs'), {
      run_id: runId,
      models: [{ model_id: modelId, step: 0 }],
    });
    // The same link again (a client's retry) adds nothing; a later step is another link.
    await call('POST', api('/runs/outputs'), {
      run_id: runId,
      models: [{ model_id: modelId }, { model_id: modelId, step: '3' }],
    });
    const unknownOutput = await call('POST', api('/runs/outputs'), {
      run_id: runId,
      models: [{ model_id: 'm-0000' }],
    });
    const recorded = await call('POST', api('/runs/log-model'), {
      run_id: runId,
      model_json: JSON.stringify({
        artifact_path: 'model',
        flavors: { onnx: { onnx_version: '1.16' } },
        model_id: modelId,
      }),
    });
    const finalized = await call('PATCH', api(`/logged-models/${modelId}`), {
      model_id: modelId,
      status: 'LOGGED_MODEL_READY',
    });
    const found = await call('POST', api('/logged-models/search'), {
      experiment_ids: [experimentId],
      filter: `source_run_id = '${runId}' AND name = 'model'`,
      order_by: [{ field_name: 'creation_timestamp', ascending: false }],
    });
    const listed = await call('GET', api(`/logged-models/${modelId}/artifacts/directories`));
    await call('POST', api('/registered-models/create'), { name: 'logged' });
    const version = await call('POST', api('/model-versions/create'), {
      name: 'logged',
      source: `models:/${modelId}`,
      run_id: runId,
      model_id: modelId,
    });
    const tagged = await call('PATCH', api(`/logged-models/${modelId}/tags`), {
      tags: [{ key: 'mlflow.modelVersions', value: '[{"name":"logged","version":"1"}]' }],
    });
    const untagged = await call('DELETE', api(`/logged-models/${modelId}/tags/team`));
    const got = await call('GET', api(`/logged-models/${modelId}`));
    const gotRun = await call('GET', api(`/runs/get?run_id=${runId}`));
    const missing = await call('GET', api('/logged-models/m-0000'));
    // Assess
    for (const [id, reply] of [
      ['MlflowCreateLoggedModel', created],
      ['MlflowLogLoggedModelParams', params],
      ['MlflowLogOutputs', outputs],
      ['MlflowLogModel', recorded],
      ['MlflowFinalizeLoggedModel', finalized],
      ['MlflowSearchLoggedModels', found],
      ['MlflowListLoggedModelArtifacts', listed],
      ['MlflowSetLoggedModelTags', tagged],
      ['MlflowDeleteLoggedModelTag', untagged],
      ['MlflowGetLoggedModel', got],
    ] as const) {
      expectReplyMatchesRoute(id, reply);
    }
    expect(location).toBe(`mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`);
    expect(created.body.model.info.status).toBe('LOGGED_MODEL_PENDING');
    expect(changed).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');
    expect(found.body.models.map((m: { info: { model_id: string } }) => m.info.model_id)).toEqual([modelId]);
    expect(listed.body.files).toEqual([{ path: 'model.onnx', is_dir: false, file_size: ONNX_BYTES.length }]);
    expect(version.body.model_version).toMatchObject({
      name: 'logged',
      version: '1',
      status: 'READY',
      run_id: runId,
    });
    expect(got.body.model.info.tags).toEqual([
      { key: 'mlflow.modelVersions', value: '[{"name":"logged","version":"1"}]' },
    ]);
    expect(got.body.model.data.params).toEqual([
      { key: 'alpha', value: '0.5' },
      { key: 'beta', value: '1' },
    ]);
    const history = gotRun.body.run.data.tags.find(
      (t: { key: string }) => t.key === 'mlflow.log-model.history',
    );
    expect(JSON.parse(history.value)).toEqual([
      { run_id: runId, artifact_path: 'model', model_id: modelId, flavors: { onnx: {} } },
    ]);
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expectReplyMatchesRoute('MlflowGetRun', gotRun);
    expect(gotRun.body.run.outputs).toEqual({
      model_outputs: [
        { model_id: modelId, step: 0 },
        { model_id: modelId, step: 3 },
      ],
    });
    expect(got.body.model.info.source_run_id).toBe(runId);
    expect(unknownOutput).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it("replays MLflow 3's metrics of logged models: log_metric/log_batch with model_id and a dataset, get_logged_model, search_logged_models by metric", async () => {
    // Prepare
    const experiment = await call('POST', api('/experiments/create'), { name: `lm-metrics-${Date.now()}` });
    const experimentId = experiment.body.experiment_id;
    const runId = (await call('POST', api('/runs/create'), { experiment_id: experimentId })).body.run.info
      .run_id;
    const create = async (name: string) =>
      (await call('POST', api('/logged-models'), { experiment_id: experimentId, name, source_run_id: runId }))
        .body.model.info.model_id as string;
    const [a, b, c] = [await create('a'), await create('b'), await create('c')];
    const evalSet = { dataset_name: 'eval', dataset_digest: 'd1' };
    const ids = (reply: { body: { models: { info: { model_id: string } }[] } }) =>
      reply.body.models.map((m) => m.info.model_id);
    const search = (body: Record<string, unknown>) =>
      call('POST', api('/logged-models/search'), { experiment_ids: [experimentId], ...body });
    // Act: the bodies mlflow.log_metric(..., model_id=, dataset=) and log_metrics send.
    const logged = await call('POST', api('/runs/log-metric'), {
      run_id: runId,
      key: 'accuracy',
      value: 0.8,
      timestamp: 1000,
      step: '0',
      model_id: a,
      ...evalSet,
    });
    await call('POST', api('/runs/log-metric'), {
      run_id: runId,
      key: 'accuracy',
      value: 0.9,
      timestamp: 2000,
      step: '1',
      model_id: a,
      ...evalSet,
    });
    const batch = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: [
        { key: 'accuracy', value: 0.85, timestamp: 2000, step: 0, model_id: b, ...evalSet },
        {
          key: 'accuracy',
          value: 0.99,
          timestamp: 3000,
          step: 0,
          model_id: b,
          dataset_name: 'train',
          dataset_digest: 't1',
        },
        { key: 'loss', value: 'NaN', timestamp: 3000, step: 0, model_id: b },
      ],
    });
    const unknown = await call('POST', api('/runs/log-batch'), {
      run_id: runId,
      metrics: [
        { key: 'f1', value: 0.5, timestamp: 4000, step: 0, model_id: a },
        { key: 'f1', value: 0.5, timestamp: 4000, step: 0, model_id: 'm-0000' },
      ],
    });
    const gotA = await call('GET', api(`/logged-models/${a}`));
    const gotB = await call('GET', api(`/logged-models/${b}`));
    const history = await call('GET', api(`/metrics/get-history?run_id=${runId}&metric_key=accuracy`));
    const f1 = await call('GET', api(`/metrics/get-history?run_id=${runId}&metric_key=f1`));
    const onEval = await search({
      order_by: [{ field_name: 'metrics.accuracy', ascending: false, ...evalSet }],
    });
    const anyDataset = await search({ order_by: [{ field_name: 'metrics.accuracy', ascending: false }] });
    const ascending = await search({ order_by: [{ field_name: 'metrics.accuracy', dataset_name: 'eval' }] });
    const above = await search({ filter: 'metrics.accuracy > 0.95' });
    const aboveOnEval = await search({
      filter: 'metrics.accuracy > 0.95',
      datasets: [{ dataset_name: 'eval' }],
    });
    const atLeastOnEval = await search({ filter: 'metrics.accuracy >= 0.85', datasets: [evalSet] });
    const measuredOnTrain = await search({ datasets: [{ dataset_name: 'train' }] });
    const byParam = await search({ order_by: [{ field_name: 'params.alpha' }] });
    const noName = await search({ datasets: [{ dataset_digest: 'd1' }] });
    const badFilter = await search({ filter: "metrics.accuracy > 'high'" });
    // Assess
    expectReplyMatchesRoute('MlflowLogMetric', logged);
    expectReplyMatchesRoute('MlflowLogBatch', batch);
    expectReplyMatchesRoute('MlflowGetLoggedModel', gotA);
    expectReplyMatchesRoute('MlflowSearchLoggedModels', onEval);
    // The model keeps each series' latest point; the run keeps every point.
    expect(gotA.body.model.data.metrics).toEqual([
      { key: 'accuracy', value: 0.9, timestamp: 2000, step: 1, ...evalSet, model_id: a, run_id: runId },
    ]);
    expect(gotB.body.model.data.metrics).toEqual([
      { key: 'accuracy', value: 0.85, timestamp: 2000, step: 0, ...evalSet, model_id: b, run_id: runId },
      {
        key: 'accuracy',
        value: 0.99,
        timestamp: 3000,
        step: 0,
        dataset_name: 'train',
        dataset_digest: 't1',
        model_id: b,
        run_id: runId,
      },
      { key: 'loss', value: 'NaN', timestamp: 3000, step: 0, model_id: b, run_id: runId },
    ]);
    expect(history.body.metrics.map((m: { value: number }) => m.value)).toEqual([0.8, 0.85, 0.99, 0.9]);
    // A batch naming a model that is not there writes nothing, to the run or to the models.
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(f1.body.metrics ?? []).toEqual([]);
    expect(ids(onEval)).toEqual([a, b, c]);
    expect(ids(anyDataset)).toEqual([b, a, c]);
    expect(ids(ascending)).toEqual([b, a, c]);
    expect(ids(above)).toEqual([b]);
    expect(ids(aboveOnEval)).toEqual([]);
    expect(ids(atLeastOnEval).sort()).toEqual([a, b].sort());
    expect(ids(measuredOnTrain)).toEqual([b]);
    expect(byParam).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(byParam.body.message).toBe(
      'Invalid order by field name: params.alpha. Only metrics are supported.',
    );
    expect(noName).toMatchObject({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: '`dataset_name` in the `datasets` clause must be specified.',
      },
    });
    expect(badFilter).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });

  it('deletes a logged model as MLflow does: 404 on get and later writes, gone from search, a second delete fine', async () => {
    // Prepare
    const experiment = await call('POST', api('/experiments/create'), { name: `lm-del-${Date.now()}` });
    const experimentId = experiment.body.experiment_id;
    const create = () => call('POST', api('/logged-models'), { experiment_id: experimentId });
    const kept = (await create()).body.model.info.model_id;
    const doomed = (await create()).body.model.info.model_id;
    // Act
    const deleted = await call('DELETE', api(`/logged-models/${doomed}`), { model_id: doomed });
    const again = await call('DELETE', api(`/logged-models/${doomed}`));
    const got = await call('GET', api(`/logged-models/${doomed}`));
    const tagged = await call('PATCH', api(`/logged-models/${doomed}/tags`), {
      tags: [{ key: 'k', value: 'v' }],
    });
    const found = await call('POST', api('/logged-models/search'), { experiment_ids: [experimentId] });
    const missing = await call('DELETE', api('/logged-models/m-0000'));
    const malformed = await call('DELETE', api('/logged-models/not-an-id'));
    // Assess
    expectReplyMatchesRoute('MlflowDeleteLoggedModel', deleted);
    expect(again).toMatchObject({ status: 200, body: {} });
    for (const gone of [got, tagged, missing]) {
      expect(gone).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    }
    expect(malformed).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(found.body.models.map((m: { info: { model_id: string } }) => m.info.model_id)).toEqual([kept]);
  });
});
