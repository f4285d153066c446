/**
 * Application Auto Scaling behind the `EndpointScaling` port, in memory: its registrations by
 * `<endpoint>/<variant>`, and the calls in order.
 */
import type { EndpointScaling, VariantScaling } from '../../lambdas/deployment/domain/ports';

/** The serving defaults: 1 to 4 instances, 100 invocations per instance, 300 s in, 60 s out. */
export const TEST_SCALING: VariantScaling = {
  minCapacity: 1,
  maxCapacity: 4,
  targetInvocationsPerInstance: 100,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
};

export class FakeScaling implements EndpointScaling {
  readonly registered = new Map<string, VariantScaling>();
  readonly calls: string[] = [];

  async apply(endpoint: string, variant: string, scaling: VariantScaling): Promise<void> {
    this.registered.set(`${endpoint}/${variant}`, scaling);
    this.calls.push(`apply ${endpoint}/${variant}`);
  }

  async remove(endpoint: string, variant: string): Promise<void> {
    this.registered.delete(`${endpoint}/${variant}`);
    this.calls.push(`remove ${endpoint}/${variant}`);
  }
}
