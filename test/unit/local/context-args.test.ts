import { parsePlatformConfig } from '../../../contracts/config';
import { EMBEDDING_NAME } from '../../../lambdas/llm/domain/embeddings';
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

  it("prices the local stand-in embedding in a context's own mlops:llm that prices it not, as the demo does", () => {
    // Prepare
    const own = {
      model: EMBEDDING_NAME,
      effectiveFrom: '2026-01-01',
      tiers: [{ aboveInputTokens: 0, input: 1, output: 0 }],
    };
    // Act
    const unpriced = withDemoModel({ 'mlops:envName': 'dev', 'mlops:llm': '{"cacheTtlSeconds":0}' });
    const priced = withDemoModel({ 'mlops:llm': { prices: [own] } });
    // Assess
    expect(unpriced['mlops:llm']).toEqual({
      cacheTtlSeconds: 0,
      prices: [
        {
          model: EMBEDDING_NAME,
          effectiveFrom: '2024-04-30',
          tiers: [{ aboveInputTokens: 0, input: 20_000, output: 0 }],
        },
      ],
    });
    expect(priced['mlops:llm']).toEqual({ prices: [own] });
    expect(parsePlatformConfig(unpriced).llm.prices).toHaveLength(1);
  });
});
