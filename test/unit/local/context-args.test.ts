import { parsePlatformConfig } from '../../../contracts/config';
import { parseContextArgs, withDemoModel } from '../../../local/context-args';

describe('parseContextArgs', () => {
  it('reads -c and --context pairs, keeping values as strings as the CDK CLI does', () => {
    expect(
      parseContextArgs(['-c', 'mlops:envName=demo', '--context', 'mlops:endpoints=[{"modelName":"m"}]']),
    ).toEqual({
      'mlops:envName': 'demo',
      'mlops:endpoints': '[{"modelName":"m"}]',
    });
  });

  it.each([
    [['--port', '3000'], /unknown argument --port/],
    [['-c'], /needs key=value, got nothing/],
    [['-c', '=x'], /needs key=value/],
  ])('fails %j with a clear message', (argv, message) => {
    expect(() => parseContextArgs(argv)).toThrow(message);
  });
});

describe('withDemoModel', () => {
  const demo = 'demo-diagnosis';
  const models = (list: unknown) => (list as Array<{ modelName: string }>).map((e) => e.modelName);

  it('adds the demo model to the endpoint, monitoring and retraining lists, and the result parses', () => {
    // Act
    const out = withDemoModel({ 'mlops:envName': 'dev', 'mlops:endpoints': '[{"modelName":"churn"}]' });
    // Assess
    expect(models(out['mlops:endpoints'])).toEqual(['churn', demo]);
    expect(models(out['mlops:retraining'])).toEqual([demo]);
    expect(models((out['mlops:monitoring'] as { models: unknown }).models)).toEqual([demo]);
    const config = parsePlatformConfig(out);
    expect(config.endpoints.find((e) => e.modelName === demo)).toMatchObject({ alarmCheckSeconds: 2 });
  });

  it('keeps a model the context declares under the demo name, and leaves bad JSON to the config parser', () => {
    // Act
    const own = withDemoModel({ 'mlops:endpoints': [{ modelName: demo, bakeMinutes: 5 }] });
    const bad = withDemoModel({ 'mlops:envName': 'dev', 'mlops:endpoints': '[{' });
    // Assess
    expect(own['mlops:endpoints']).toEqual([{ modelName: demo, bakeMinutes: 5 }]);
    expect(bad['mlops:endpoints']).toBe('[{');
    expect(() => parsePlatformConfig(bad)).toThrow(/mlops:endpoints/);
  });
});
