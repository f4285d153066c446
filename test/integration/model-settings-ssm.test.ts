/**
 * The SSM reader of per-model settings (monitored models, retraining configs), Powertools'
 * provider and the SDK's SSM client included, against the local Parameter Store: one model read by
 * name, a model without a parameter answered as unconfigured, the cache, and a broken value refused
 * rather than read as an unconfigured model.
 */
import type * as z from 'zod';
import { MonitoredModelSetting } from '../../contracts/monitoring';
import { modelParameterName } from '../../contracts/parameters';
import { RetrainingConfig } from '../../contracts/pipeline';
import { SsmModelSettings } from '../../lambdas/shared/ssm-model-settings';
import type { LocalParameter } from '../../local/ssm/server';
import { useLocalSsm } from '../helpers/local-ssm';

const PATH = '/cdk-mlops/test/monitored-models';
const model = (name: string) =>
  MonitoredModelSetting.parse({ modelName: name, endpointName: `mlops-${name}` });
const MODELS = Array.from({ length: 23 }, (_, i) => `model-${i}`);
const parameter = (name: string, value = JSON.stringify(model(name)), path = PATH): LocalParameter => ({
  Name: modelParameterName(path, name),
  Type: 'String',
  Value: value,
});

const startSsm = useLocalSsm();
async function reader<T>(parameters: LocalParameter[], schema: z.ZodType<T>, maxAgeSeconds?: number) {
  const { ssm, client } = await startSsm(parameters);
  return { ssm, settings: new SsmModelSettings({ client, path: PATH, schema, maxAgeSeconds }) };
}

describe('SsmModelSettings', () => {
  it("reads each model's own parameter, whatever the number of models", async () => {
    // Prepare: another path's parameter of the same name is not this path's
    const { settings } = await reader(
      [...MODELS.map((m) => parameter(m)), parameter('other', '{}', '/cdk-mlops/other/monitored-models')],
      MonitoredModelSetting,
    );
    // Act
    const found = await Promise.all(MODELS.map((m) => settings.get(m)));
    // Assess
    expect(found).toEqual(MODELS.map(model));
    expect(await settings.get('other')).toBeUndefined();
  });

  it('answers a model without a parameter, or named like an Object member, with undefined', async () => {
    const { settings } = await reader([parameter('churn')], MonitoredModelSetting);
    expect(await settings.get('fraud')).toBeUndefined();
    expect(await settings.get('constructor')).toBeUndefined();
    expect(await settings.get('churn')).toEqual(model('churn'));
  });

  it('reads a model once per max age, and only the models asked for', async () => {
    // Prepare
    const { ssm, settings } = await reader(
      MODELS.map((m) => parameter(m)),
      MonitoredModelSetting,
    );
    // Act
    for (const m of ['model-1', 'model-2', 'model-1', 'model-2', 'model-1']) await settings.get(m);
    // Assess
    expect(ssm.calls).toEqual({ GetParameter: 2 });
  });

  it('reads again once the max age has passed', async () => {
    const { ssm, settings } = await reader([parameter('churn')], MonitoredModelSetting, 0);
    await settings.get('churn');
    await settings.get('churn');
    expect(ssm.calls).toEqual({ GetParameter: 2 });
  });

  it('applies the schema: a retraining config comes back with its defaults', async () => {
    // Prepare: the parameter as the stack writes it (parsed, defaults filled)
    const config = RetrainingConfig.parse({
      modelName: 'churn',
      trainingData: { uri: 's3://bucket/churn.csv', label: 'y' },
    });
    const { settings } = await reader([parameter('churn', JSON.stringify(config))], RetrainingConfig);
    // Act / Assess
    expect(await settings.get('churn')).toEqual(config);
  });

  it('fails on a value that is not JSON, or not the settings, instead of reporting an unconfigured model', async () => {
    const { settings } = await reader(
      [parameter('churn', 'not json'), parameter('fraud', JSON.stringify({ modelName: 'fraud' }))],
      MonitoredModelSetting,
    );
    await expect(settings.get('churn')).rejects.toThrow();
    await expect(settings.get('fraud')).rejects.toThrow(/endpointName/);
  });
});
