/**
 * An in-memory SageMaker control plane behind the rollout's `EndpointControl` port, with
 * SageMaker's semantics where the rollout depends on them: UpdateEndpoint moves the endpoint to
 * Updating and, a few polls later, to InService on the new config; a failed update leaves it
 * InService on the PREVIOUS config with a FailureReason; weights change at once; a second update
 * while Updating is refused; weights of a variant the endpoint does not have are refused. A model
 * named in `failingModels` fails to deploy.
 * Used where the local SageMaker (local/sagemaker) would need real model packages.
 */
import type {
  EndpointConfigSpec,
  EndpointControl,
  EndpointState,
} from '../../lambdas/deployment/domain/ports';

interface Endpoint {
  status: EndpointState['status'];
  config: string;
  pending?: { config: string; polls: number };
  weights: Record<string, number>;
  failureReason?: string;
}

export class FakeSageMaker implements EndpointControl {
  readonly models = new Map<string, { dataUrl: string; template?: string }>();
  readonly configs = new Map<string, EndpointConfigSpec>();
  readonly endpoints = new Map<string, Endpoint>();
  /** Models whose containers never pass the health check. */
  readonly failingModels = new Set<string>();
  /**
   * Variant autoscaling, when a test wires it: as on SageMaker, an update that removes a variant
   * still registered as a scalable target (`<endpoint>/<variant>`) is refused.
   */
  scaling?: { readonly registered: ReadonlyMap<string, unknown> };
  /** Called after every weight change, e.g. to send the metrics a variant produces. */
  onWeights: (endpoint: string, weights: Record<string, number>) => Promise<void> | void = () => undefined;

  /** An InService endpoint at rest: the champion alone, on `modelName`. */
  seed(endpointName: string, modelName: string, configName: string): void {
    this.models.set(modelName, { dataUrl: `s3://bucket/${modelName}.tar.gz` });
    this.configs.set(configName, {
      name: configName,
      rest: { DataCaptureConfig: { InitialSamplingPercentage: 20 } },
      variants: [
        {
          variantName: 'champion',
          modelName,
          weight: 100,
          rest: { InstanceType: 'ml.g5.xlarge', InitialInstanceCount: 1 },
        },
      ],
    });
    this.endpoints.set(endpointName, {
      status: 'InService',
      config: configName,
      weights: { champion: 100 },
    });
  }

  async describeEndpoint(name: string): Promise<EndpointState | undefined> {
    const e = this.endpoints.get(name);
    if (!e) return undefined;
    if (e.pending && --e.pending.polls <= 0) {
      const config = this.configs.get(e.pending.config)!;
      const broken = config.variants.find((v) => this.failingModels.has(v.modelName));
      if (broken) {
        e.failureReason = `model ${broken.modelName} failed its health check`;
      } else {
        e.config = e.pending.config;
        e.weights = Object.fromEntries(config.variants.map((v) => [v.variantName, v.weight]));
        delete e.failureReason;
      }
      // A failed creation is Failed; a failed update stays InService on the previous config.
      e.status = e.config ? 'InService' : 'Failed';
      delete e.pending;
    }
    return {
      status: e.status,
      endpointConfigName: e.config,
      weights: { ...e.weights },
      ...(e.failureReason ? { failureReason: e.failureReason } : {}),
    };
  }

  async describeEndpointConfig(name: string): Promise<EndpointConfigSpec> {
    const c = this.configs.get(name);
    if (!c) throw new Error(`Could not find endpoint configuration "${name}".`);
    return structuredClone(c);
  }

  async findEndpointConfig(name: string): Promise<EndpointConfigSpec | undefined> {
    const c = this.configs.get(name);
    return c && structuredClone(c);
  }

  async createModelLike(template: string, name: string, dataUrl: string): Promise<void> {
    if (!this.models.has(template)) throw new Error(`Could not find model "${template}".`);
    if (!this.models.has(name)) this.models.set(name, { dataUrl, template });
  }

  async createEndpointConfig(config: EndpointConfigSpec): Promise<void> {
    for (const v of config.variants) {
      if (!this.models.has(v.modelName)) throw new Error(`Could not find model "${v.modelName}".`);
    }
    if (!this.configs.has(config.name)) this.configs.set(config.name, structuredClone(config));
  }

  async updateEndpoint(name: string, config: string): Promise<void> {
    const e = this.endpoints.get(name)!;
    if (e.status !== 'InService') throw new Error(`Cannot update in-progress endpoint "${name}".`);
    if (!this.configs.has(config)) throw new Error(`Could not find endpoint configuration "${config}".`);
    const kept = new Set(this.configs.get(config)!.variants.map((v) => v.variantName));
    const scaled = Object.keys(e.weights).find(
      (v) => !kept.has(v) && this.scaling?.registered.has(`${name}/${v}`),
    );
    if (scaled)
      throw new Error(`The variant ${scaled} is a target for automatic scaling; deregister it first.`);
    e.status = 'Updating';
    e.pending = { config, polls: 2 };
  }

  async createEndpoint(name: string, config: string): Promise<void> {
    if (this.endpoints.has(name)) throw new Error(`Cannot create already existing endpoint "${name}".`);
    this.endpoints.set(name, { status: 'Creating', config: '', pending: { config, polls: 2 }, weights: {} });
  }

  async deleteEndpoint(name: string): Promise<void> {
    this.endpoints.delete(name);
  }

  async setWeights(name: string, weights: Record<string, number>): Promise<void> {
    const e = this.endpoints.get(name)!;
    if (e.status !== 'InService') throw new Error(`Cannot update in-progress endpoint "${name}".`);
    const absent = Object.keys(weights).filter((v) => !(v in e.weights));
    if (absent.length > 0)
      throw new Error(`The variant name(s) [${absent.join(', ')}] is/are not present in the endpoint.`);
    e.weights = { ...e.weights, ...weights };
    await this.onWeights(name, e.weights);
  }

  async deleteModel(name: string): Promise<void> {
    this.models.delete(name);
  }

  async deleteEndpointConfig(name: string): Promise<void> {
    this.configs.delete(name);
  }

  /** The model of each variant an endpoint has now. */
  variantModels(name: string): Record<string, string> {
    const config = this.configs.get(this.endpoints.get(name)!.config)!;
    return Object.fromEntries(config.variants.map((v) => [v.variantName, v.modelName]));
  }
}
