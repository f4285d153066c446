/**
 * The README's walk-through, against the platform started as a user starts it (`npm start`'s
 * entry point in a child process), over signed HTTP.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_BUCKET } from '../../local/function-environment';
import { localS3ClientConfig } from '../../local/stand-ins';
import { runCli } from '../helpers/cli-process';
import { type PlatformProcess, startPlatformProcess } from '../helpers/platform-process';
import { type SignedClient, signedClient } from '../helpers/signed-client';

const credentials = {
  accessKeyId: 'AKIALOCALE2ETEST0001',
  secretAccessKey: 'e2e-secret-e2e-secret-e2e-secret-e2e-sec',
};

type Running = PlatformProcess;

const startPlatform = (dataDir: string) => startPlatformProcess({ dataDir, credentials });
const stopPlatform = (running: Running) => running.stop();

/** `mlops <args>` as a user runs it against the local platform's API. */
const mlops = (url: string, ...args: string[]) => runCli(url, credentials, args);

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('local platform, end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlops-e2e-'));
  let platform: Running;
  let api: SignedClient;

  beforeAll(async () => {
    platform = await startPlatform(dataDir);
    api = signedClient(platform.url, credentials);
  }, 90_000);

  afterAll(async () => {
    if (platform) await stopPlatform(platform);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses an unsigned request and a badly signed one with 403', async () => {
    const unsigned = await fetch(`${platform.url}/models`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const wrongSecret = signedClient(platform.url, { ...credentials, secretAccessKey: 'not-the-secret' });
    expect((await wrongSecret.call('GET', '/models')).status).toBe(403);
  });

  it("runs the README's example: create, register, upload, verify, alias, promote", async () => {
    // Create a model
    const model = await api.call('POST', '/models', { name: 'churn', description: 'Customer churn' });
    expect(model.status).toBe(201);

    // Register a version: the reply carries a presigned upload for a content-addressed key
    const bytes = Buffer.from('pretend this is model.onnx');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const reg = await api.call('POST', '/models/churn/versions', {
      metrics: { accuracy: 0.91 },
      artifact: { sha256, sizeBytes: bytes.length },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.version).toMatchObject({ version: 1, status: 'PENDING_UPLOAD' });

    // Upload with the presigned request, then have the registry verify the stored bytes
    const { url, method, headers } = reg.body.upload;
    const put = await fetch(url, { method, headers, body: bytes });
    expect(put.status).toBe(200);
    const verified = await api.call('POST', '/models/churn/versions/1/verify');
    expect(verified.body.status).toBe('READY');

    // Point the champion alias at it
    const alias = await api.call('PUT', '/models/churn/aliases/champion', { version: 1 });
    expect(alias.status).toBe(200);

    // Promotion without governance evidence is refused, listing every failed check
    const refused = await api.call('POST', '/models/churn/versions/1/stage', { stage: 'Production' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.failed.map((c: { check: string }) => c.check)).toEqual([
      'fairness:demographicParityDifference',
      'modelCard',
      'securityScan',
      'loadTest',
    ]);

    // Record the evidence, then promotion passes
    await api.call('PATCH', '/models/churn/versions/1', {
      governance: {
        modelCardUrl: 'https://example.com/cards/churn-1',
        securityScan: 'PASSED',
        loadTest: 'PASSED',
        demographicParityDifference: 0.04,
      },
    });
    const promoted = await api.call('POST', '/models/churn/versions/1/stage', { stage: 'Production' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.stage).toBe('Production');

    // The download round-trips the bytes
    const artifact = await api.call('GET', '/models/churn/versions/1/artifact');
    const download = await fetch(artifact.body.download.url);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    // Every state change went on the bus, from the audit stream
    const expected = [
      'ModelCreated',
      'ModelVersionRegistered',
      'ModelVersionReady',
      'ModelAliasSet',
      'ModelVersionUpdated',
      'ModelVersionStageChanged',
    ];
    let types: string[] = [];
    // Generous: the outbox is asynchronous, and CI machines can be slow.
    for (let i = 0; i < 300 && types.length < expected.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      types = (await api.call('GET', '/_local/events')).body.items.map(
        (e: { 'detail-type': string }) => e['detail-type'],
      );
    }
    expect(types).toEqual(expected);
  });

  it('the mlops CLI registers, aliases and lists, signing with the default credential chain', async () => {
    // Prepare
    const file = join(dataDir, 'cli-model.onnx');
    writeFileSync(file, 'pretend this is another model.onnx');
    // Act
    const created = await mlops(platform.url, 'models', 'create', 'cli-churn', '-d', 'from the CLI');
    const registered = await mlops(
      platform.url,
      '-o',
      'json',
      'versions',
      'register',
      'cli-churn',
      '-f',
      file,
      '-m',
      'accuracy=0.9',
    );
    const aliased = await mlops(platform.url, 'aliases', 'set', 'cli-churn', 'champion', '1');
    const listed = await mlops(platform.url, '-o', 'json', 'versions', 'list', 'cli-churn');
    const refused = await mlops(platform.url, 'aliases', 'set', 'cli-churn', 'champion', '7');
    const usage = await mlops(platform.url, 'versions', 'get', 'cli-churn', 'one');
    // Assess
    expect(created.code).toBe(0);
    expect(registered).toMatchObject({ code: 0 });
    expect(JSON.parse(registered.stdout)).toMatchObject({ version: 1, status: 'READY' });
    expect(aliased.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ version: 1, status: 'READY' })]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/404|not/i);
    expect(usage.code).toBe(2);
    const alias = await api.call('GET', '/models/cli-churn/aliases/champion');
    expect(alias.body.version).toBe(1);
  }, 60_000);

  it('the mlops CLI plans and applies feature views, pushes a CSV and reads it back, then erases an entity', async () => {
    // Prepare
    const view = {
      name: 'cli_drivers',
      entities: [{ name: 'driver_id', valueType: 'int64' }],
      features: [
        { name: 'trips', dtype: 'int64', min: 0 },
        { name: 'city', dtype: 'string' },
      ],
    };
    const file = (name: string, body: unknown) => {
      const path = join(dataDir, name);
      writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
      return path;
    };
    const v1 = file('views-v1.json', { featureViews: [view] });
    const v2 = file('views-v2.json', [
      { ...view, features: [...view.features, { name: 'rating', dtype: 'float64' }] },
    ]);
    const broken = file('views-v3.json', [{ ...view, features: [{ name: 'trips', dtype: 'float64' }] }]);
    const csv = file(
      'drivers.csv',
      'driver_id,trips,city,event_timestamp\n1001,12,02134,2026-12-01T10:00:00Z\n1002,3,Lyon,2026-12-01T10:00:00Z\n',
    );
    // Act
    const unattended = await mlops(platform.url, 'features', 'apply', v1);
    const created = await mlops(platform.url, '-o', 'json', 'features', 'apply', v1, '--yes');
    const evolved = await mlops(platform.url, 'features', 'apply', v2, '--yes');
    const refused = await mlops(platform.url, 'features', 'apply', broken, '--yes');
    const pushed = await mlops(platform.url, '-o', 'json', 'features', 'push', 'cli_drivers', '-f', csv);
    const fresh = await mlops(platform.url, '-o', 'json', 'features', 'freshness', 'cli_drivers');
    const bad = file(
      'bad.csv',
      'driver_id,trips,event_timestamp\n1003,1,2026-12-01T10:00:00Z\n1004,-1,2026-12-01T10:00:00Z\n',
    );
    const badPush = await mlops(platform.url, 'features', 'push', 'cli_drivers', '-f', bad);
    const read = await mlops(
      platform.url,
      '-o',
      'json',
      'features',
      'get',
      'cli_drivers:trips',
      'cli_drivers:city',
      '-e',
      'driver_id=1001,1002',
    );
    const listed = await mlops(platform.url, '-o', 'json', 'features', 'list');
    const erased = await mlops(
      platform.url,
      '-o',
      'json',
      'privacy',
      'erase',
      '-e',
      'driver_id=1001',
      '--reason',
      'ticket-7',
      '--watch',
      '--interval',
      '0.2',
    );
    const after = await mlops(
      platform.url,
      'features',
      'get',
      'cli_drivers:trips',
      '-e',
      'driver_id=1001,1002',
    );
    // Assess
    expect(unattended.code).toBe(2);
    expect(unattended.stderr).toContain('Plan: 1 to create, 0 to evolve, 0 incompatible, 0 unchanged');
    expect(unattended.stderr).toMatch(/stdin is not a terminal \(pass --yes/);
    expect(JSON.parse(created.stdout)).toEqual([{ name: 'cli_drivers', action: 'create', version: 1 }]);
    expect(evolved).toMatchObject({ code: 0 });
    expect(evolved.stderr).toContain('~ cli_drivers  evolve v1 -> v2\n      optional feature rating added');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('feature trips would change dtype int64 -> float64');
    expect(refused.stderr).toContain('feature rating would be removed');
    expect(pushed.stderr).toContain('pushed 2/2 rows (100%)');
    expect(JSON.parse(pushed.stdout)).toMatchObject({
      featureView: 'cli_drivers',
      rows: 2,
      onlineWritten: 2,
    });
    expect(JSON.parse(fresh.stdout)).toEqual([
      expect.objectContaining({ featureView: 'cli_drivers', kind: 'batch', status: 'PRESENT' }),
    ]);
    expect(badPush.code).toBe(1);
    expect(badPush.stderr).toMatch(/\(VALIDATION_FAILED, HTTP 422\)\n {2}row 1 trips: /);
    expect(JSON.parse(read.stdout).results.map((r: { values: unknown[] }) => r.values)).toEqual([
      [1001, 1002],
      [12, 3],
      ['02134', 'Lyon'],
    ]);
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'cli_drivers', version: 2 })]),
    );
    expect(JSON.parse(erased.stdout)).toMatchObject({ status: 'COMPLETED' });
    expect(erased.stderr).toMatch(/COMPLETED/);
    expect(after.stdout.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(/^1001 +\(NOT_FOUND\)$/),
      expect.stringMatching(/^1002 +3$/),
    ]);
  }, 90_000);

  it('the mlops CLI checks drift on files and writes the HTML report; refusals print the platform code', async () => {
    // Prepare
    const reference = [
      'tenure,plan',
      ...Array.from({ length: 200 }, (_, i) => `${i % 40},${i % 3 ? 'basic' : 'premium'}`),
    ];
    const current = ['tenure,plan', ...Array.from({ length: 200 }, (_, i) => `${(i % 50) + 30},premium`)];
    writeFileSync(join(dataDir, 'reference.csv'), reference.join('\n'));
    writeFileSync(join(dataDir, 'current.csv'), current.join('\n'));
    const html = join(dataDir, 'drift.html');
    // Act
    const check = await mlops(
      platform.url,
      'drift',
      'check',
      'cli-churn',
      '--reference',
      join(dataDir, 'reference.csv'),
      '--current',
      join(dataDir, 'current.csv'),
      '--fail-on-drift',
    );
    const report = await mlops(platform.url, 'drift', 'report', 'cli-churn', '--out', html);
    const listed = await mlops(platform.url, '-o', 'json', 'drift', 'list', 'cli-churn');
    const noExperiment = await mlops(platform.url, 'experiments', 'results', 'nope');
    const noExperiments = await mlops(
      platform.url,
      '-o',
      'json',
      'experiments',
      'list',
      '--model',
      'cli-churn',
    );
    const noJob = await mlops(platform.url, 'batch', 'get', '00000000-0000-4000-8000-000000000000');
    const approvals = await mlops(platform.url, '-o', 'json', 'approvals', 'list', 'cli-churn');
    // Assess
    expect(check.code).toBe(4);
    expect(check.stderr).toMatch(/DRIFTED, 2\/2 features/);
    expect(check.stdout).toMatch(/^FEATURE +TYPE +TEST +SCORE +THRESHOLD +DRIFTED\n/);
    expect(report).toMatchObject({ code: 0, stdout: `${html}\n` });
    expect(readFileSync(html, 'utf8')).toContain('<h1>Drift report: cli-churn');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ kind: 'on-demand', drifted: true }),
    ]);
    expect(noExperiment.code).toBe(1);
    expect([noExperiments.code, JSON.parse(noExperiments.stdout)]).toEqual([0, []]);
    expect(noExperiment.stderr).toMatch(/^mlops: .+ \(EXPERIMENT_NOT_FOUND, HTTP 404\)\n$/);
    expect(noJob.code).toBe(1);
    expect(noJob.stderr).toMatch(/\(BATCH_PREDICTION_NOT_FOUND, HTTP 404\)/);
    expect(JSON.parse(approvals.stdout)).toEqual([]);
  }, 60_000);

  it("runs the README's LLMOps walk-through on the stand-in model: prompt, evaluation, production, call, usage", async () => {
    // Act
    await api.call('POST', '/llm/prompts', { name: 'capitals' });
    await api.call('POST', '/llm/prompts/capitals/versions', {
      template: 'What is the capital of {{country}}?',
      variables: ['country'],
    });
    const early = await api.call('PUT', '/llm/prompts/capitals/aliases/production', { version: 1 });
    const run = await api.call('POST', '/llm/evaluations', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      rows: [
        { variables: { country: 'France' }, expected: 'Paris' },
        { variables: { country: 'Peru' }, expected: 'Lima' },
      ],
      scorers: [{ type: 'contains' }],
    });
    const production = await api.call('PUT', '/llm/prompts/capitals/aliases/production', { version: 1 });
    const chat = await api.call('POST', '/llm/chat/completions', {
      model: 'chat',
      prompt: { ref: 'capitals@production', variables: { country: 'Italy' } },
    });
    const day = new Date().toISOString().slice(0, 10);
    const usage = await api.call('GET', `/llm/usage?from=${day}&to=${day}&groupBy=promptVersion`);
    // Assess
    expect(early.status).toBe(422);
    expect(run.body.aggregate).toEqual({ contains: 1 });
    expect(production.status).toBe(200);
    expect(chat.body.choices[0].message.content).toBe('is Rome.');
    expect(chat.body.usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.body.groups).toMatchObject([{ key: { promptVersion: 'capitals/1' }, calls: 3 }]);
    expect(usage.body.total.costMicroUsd).toBe(
      [
        ...run.body.rows.map((r: { costMicroUsd: number }) => r.costMicroUsd),
        chat.body.mlops.costMicroUsd,
      ].reduce((a: number, b: number) => a + b),
    );
  });

  it('serves the LMI endpoint `lmi` from its start: a local SageMaker endpoint streaming the model trained from its artifact', async () => {
    // Act
    const chat = await api.call('POST', '/llm/chat/completions', {
      model: 'lmi',
      messages: [{ role: 'user', content: 'What is the capital of Italy?' }],
    });
    // Assess: the repo's corpus answers (the candidate's would add "the old city built on seven hills")
    expect(chat.status).toBe(200);
    // The local SageMaker's model answered (named as the stack names it), not the Bedrock stand-in.
    expect(chat.body.model).toMatch(/llm-lmi/);
    expect(chat.body.choices[0].message.content).toBe('is Rome.');
    expect(chat.body.usage.completion_tokens).toBeGreaterThan(0);
    expect(chat.body.mlops.costMicroUsd).toBeGreaterThan(0);
  });

  it("retrieves from a collection with local mode's stand-ins for S3 Vectors and Titan: the LLM table and hashed n-grams", async () => {
    // Act
    const collection = await api.call('POST', '/llm/collections', { name: 'e2e-geo' });
    await api.call('POST', '/llm/collections/e2e-geo/documents', {
      id: 'peru',
      text: 'Lima is the capital of Peru.',
    });
    await api.call('POST', '/llm/collections/e2e-geo/documents', {
      id: 'chile',
      text: 'Santiago is in Chile.',
    });
    const found = await api.call('POST', '/llm/collections/e2e-geo/retrieve', {
      query: 'capital of Peru',
      k: 1,
    });
    // Assess: the template names a vector bucket; local mode removes it, which selects the stand-ins.
    expect(collection.body.embedding).toBe('hashed-word-1-2-gram-256');
    expect(found.body.chunks).toEqual([expect.objectContaining({ source: 'peru', chunk: 0 })]);
  });

  it('scores a 60-row dataset in the background: the evaluation worker runs through the local asynchronous invoke', async () => {
    // Prepare: the dataset in the platform bucket, as `aws s3 cp` would put it
    const { s3: s3Url } = JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8'));
    const s3 = new S3Client(localS3ClientConfig(s3Url));
    const key = 'artifacts/llm-datasets/sixty.jsonl';
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({ variables: { country: `Land${i}` }, expected: 'Rome' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: lines.join('\n') }));
    s3.destroy();
    // Act
    const started = await api.call('POST', '/llm/evaluation-runs', {
      prompt: 'capitals/1',
      endpoint: 'chat',
      dataset: { key },
      scorers: [{ type: 'contains' }],
    });
    let run = started.body;
    for (let i = 0; i < 300 && run.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await api.call('GET', `/llm/evaluation-runs/${started.body.runId}`)).body;
    }
    const rows = await api.call('GET', `/llm/evaluation-runs/${started.body.runId}/rows?limit=100`);
    // Assess
    expect(started.status).toBe(202);
    expect(run).toMatchObject({ status: 'SUCCEEDED', aggregate: { contains: expect.any(Number) } });
    expect(rows.body.items).toHaveLength(60);
  }, 90_000);

  it('the mlops CLI registers, renders and calls a prompt, reads usage, and finds tracked runs', async () => {
    // Prepare
    const template = join(dataDir, 'capital.txt');
    writeFileSync(template, 'What is the capital of {{country}}?');
    const run = await api.call('POST', '/api/2.0/mlflow/runs/create', { run_name: 'cli-run' });
    const runId = run.body.run.info.run_id;
    await api.call('POST', '/api/2.0/mlflow/runs/log-metric', {
      run_id: runId,
      key: 'rmse',
      value: 0.5,
      timestamp: 1,
    });
    // Act
    const created = await mlops(platform.url, 'prompts', 'create', 'cli-capitals', '-d', 'capitals');
    const registered = await mlops(
      platform.url,
      '-o',
      'json',
      'prompts',
      'register',
      'cli-capitals',
      '-f',
      template,
      '-m',
      'first',
    );
    const rendered = await mlops(
      platform.url,
      '-o',
      'json',
      'prompts',
      'render',
      'cli-capitals/1',
      '--var',
      'country=Peru',
    );
    const chat = await mlops(
      platform.url,
      'llm',
      'chat',
      'chat',
      '-p',
      'cli-capitals/1',
      '--var',
      'country=Italy',
    );
    const usage = await mlops(platform.url, '-o', 'json', 'llm', 'usage', '--group-by', 'promptVersion');
    const runs = await mlops(platform.url, 'runs', 'search', '--filter', 'metrics.rmse < 1');
    const got = await mlops(platform.url, '-o', 'json', 'runs', 'get', runId);
    // Assess
    expect(created.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({ version: 1, variables: ['country'] });
    expect(JSON.parse(rendered.stdout).messages).toEqual([
      { role: 'user', content: 'What is the capital of Peru?' },
    ]);
    expect(chat).toMatchObject({ code: 0, stdout: 'is Rome.\n' });
    expect(JSON.parse(usage.stdout).groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { promptVersion: 'cli-capitals/1' }, calls: 1 }),
      ]),
    );
    expect(runs.stdout).toMatch(new RegExp(`\\n${runId} +cli-run +RUNNING +0 .+ rmse=0.5\\n`));
    expect(JSON.parse(got.stdout).run.data.metrics).toEqual([
      expect.objectContaining({ key: 'rmse', value: 0.5 }),
    ]);
  }, 60_000);

  // A restart on a loaded machine (synth, a JVM) takes as long as the first start: its own 90 s and more.
  it('keeps its data across a restart, and Ctrl-C leaves no child process', async () => {
    // Prepare
    const pids = [...platform.output().matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    // Act
    await stopPlatform(platform);
    platform = await startPlatform(dataDir);
    api = signedClient(platform.url, credentials);
    // Assess
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    const version = await api.call('GET', '/models/churn/versions/1');
    expect(version.body).toMatchObject({ status: 'READY', stage: 'Production' });
    const alias = await api.call('GET', '/models/churn/aliases/champion');
    expect(alias.body.version).toBe(1);
    // The LMI endpoint existed already: restored, not created again.
    const chat = await api.call('POST', '/llm/chat/completions', {
      model: 'lmi',
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    expect(chat.body.choices[0].message.content).toBe('is Paris.');
  }, 120_000);

  it("runs the README's approvals walk-through: request, two approvals, promoted, the approvers told with links", async () => {
    // Prepare: the second printed credential pair, as npm start keeps it
    const approverKeys = JSON.parse(readFileSync(join(dataDir, 'approver-credentials.json'), 'utf8'));
    const asApprover = signedClient(platform.url, approverKeys);
    // Act
    const policy = await api.call('PATCH', '/models/churn', {
      governance: {
        approval: {
          approvers: ['arn:aws:iam::000000000000:user/local', 'arn:aws:iam::000000000000:user/approver'],
          quorum: 2,
          authorMayApprove: true,
        },
      },
    });
    const bytes = Buffer.from('pretend this is model.onnx, retrained');
    const reg = await api.call('POST', '/models/churn/versions', {
      metrics: { accuracy: 0.93 },
      governance: {
        modelCardUrl: 'https://example.com/cards/churn-2',
        securityScan: 'PASSED',
        loadTest: 'PASSED',
        demographicParityDifference: 0.03,
      },
      artifact: { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length },
    });
    const { url, method, headers } = reg.body.upload;
    await fetch(url, { method, headers, body: bytes });
    const verified = await api.call('POST', '/models/churn/versions/2/verify');
    const ask = await api.call('POST', '/models/churn/versions/2/stage', {
      stage: 'Production',
      archiveExistingVersions: true,
    });
    const id = ask.body.approval?.id as string;
    const first = await asApprover.call('POST', `/models/churn/approvals/${id}/decisions`, {
      decision: 'approve',
      comment: 'risk ok',
    });
    const second = await api.call('POST', `/models/churn/approvals/${id}/decisions`, {
      decision: 'approve',
      comment: 'eng ok',
    });
    const v2 = await api.call('GET', '/models/churn/versions/2');
    const v1 = await api.call('GET', '/models/churn/versions/1');
    // The notifications come through the outbox and the rules: asynchronous.
    let told: string[] = [];
    for (let i = 0; i < 300 && told.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const alerts = await api.call('GET', '/_local/alerts?state=NOTIFICATION');
      told = alerts.body.items.map((a: { reason: string }) => a.reason);
    }
    // Assess
    expect([policy.status, reg.status, verified.body.status]).toEqual([200, 201, 'READY']);
    expect(ask.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'OPEN',
      decisions: [{ principal: approverKeys.principalArn }],
    });
    expect(second.body.status).toBe('APPROVED');
    expect(v2.body.stage).toBe('Production');
    expect(v1.body.stage).toBe('Archived');
    expect(told).toHaveLength(3);
    const requestUrl = `${platform.url}/models/churn/approvals/${id}`;
    expect(told.filter((t) => t.includes(`decide at POST ${requestUrl}/decisions`))).toHaveLength(1);
    expect(told.filter((t) => t.includes(`see GET ${requestUrl};`))).toHaveLength(2);
    expect(told.every((t) => t.includes(`${platform.url}/console/#/models/churn/versions/2`))).toBe(true);
  });
});
