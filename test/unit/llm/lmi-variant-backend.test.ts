import { createHash } from 'node:crypto';
import type { LmiRolloutTarget } from '../../../contracts/deployment';
import type { RolloutState, VariantBackend } from '../../../lambdas/deployment';
import {
  LmiVariantBackend,
  lmiRolloutNaming,
  lmiVariantModelName,
} from '../../../lambdas/llm/domain/lmi-variant-backend';

const ENDPOINT = 'mlops-dev-llm-chat';
const LMI: LmiRolloutTarget = {
  sageMakerEndpointName: ENDPOINT,
  initialEndpointConfigName: `${ENDPOINT}-4e5f6a7b`,
  candidatePackageUrls: { 'llama-3-8b': 's3://artifacts/llm/llama.tar.gz' },
};
const STATE = {
  deploymentId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  candidateModel: 'llama-3-8b',
} as RolloutState;

describe("an LMI endpoint rollout's SageMaker names", () => {
  it("names a candidate's model after the endpoint and the candidate id's sha256", () => {
    // Act
    const name = lmiVariantModelName(ENDPOINT, 'llama-3-8b');
    // Assess
    const hex = createHash('sha256').update('llama-3-8b').digest('hex').slice(0, 8);
    expect(name).toBe(`${ENDPOINT}-${hex}`);
    expect(lmiRolloutNaming(LMI).challengerModel(STATE)).toBe(name);
  });

  it('fails a name past SageMaker 63 characters', () => {
    expect(() => lmiVariantModelName('e'.repeat(55), 'llama-3-8b')).toThrow('longer than 63');
  });

  it("deletes what a rollout made, never the stack's model or config of the same shape", () => {
    // Prepare
    const naming = lmiRolloutNaming(LMI);
    // Act
    const canary = naming.endpointConfig(STATE, 'c');
    const promoted = naming.endpointConfig(STATE, 'p');
    // Assess
    expect([canary, promoted]).toEqual([`${ENDPOINT}-c-1b4e28ba2fa1`, `${ENDPOINT}-p-1b4e28ba2fa1`]);
    for (const made of [canary, promoted, lmiVariantModelName(ENDPOINT, 'llama-3-8b')])
      expect(naming.madeByRollout(made)).toBe(true);
    // The stack names its model and config `<endpoint>-<8 hex>`, `c` or not.
    for (const stack of [
      LMI.initialEndpointConfigName,
      `${ENDPOINT}-c1234abc`,
      `${ENDPOINT}-0a1b2c3d`,
      undefined,
    ])
      expect(naming.madeByRollout(stack)).toBe(false);
  });
});

describe("an LMI endpoint rollout's promotion", () => {
  /** A side that records the calls made of it, in order across both sides. */
  const recording = (side: string, calls: string[]) =>
    new Proxy({} as VariantBackend, {
      get: (_, method: string) => async () => {
        calls.push(`${side}.${method}`);
        return {};
      },
    });

  it("names the candidate as served before the champion variant is moved onto the candidate's model", async () => {
    // Prepare: the last step sent every call to the challenger, so from here on either variant
    // answers with the candidate.
    const calls: string[] = [];
    const backend = new LmiVariantBackend(recording('records', calls), recording('sagemaker', calls), LMI);
    // Act
    await backend.promote(STATE);
    await backend.championTakesAll(STATE);
    // Assess
    expect(calls).toEqual([
      'records.promote',
      'sagemaker.promote',
      'sagemaker.championTakesAll',
      'records.promote',
      'records.championTakesAll',
    ]);
  });
});
