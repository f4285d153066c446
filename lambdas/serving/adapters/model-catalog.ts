/**
 * ModelCatalog over the stack's deployment targets (one SSM parameter per configured endpoint),
 * the registry's champion alias and the version's ONNX artifact in S3. A version's graph is read
 * once per container: artifacts are content-addressed, so a version's never changes.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ModelCatalog, ModelSignature } from '../domain/discovery';
import { describeOnnx } from '../domain/model-package';

/** The registry reads this needs (the registry's `RegistryReader` provides them). */
export interface CatalogRegistry {
  aliasVersion(modelName: string, alias: string): Promise<number | undefined>;
  getVersion(
    modelName: string,
    version: number,
  ): Promise<{ readonly artifact: { readonly key: string } } | undefined>;
}

export interface RegistryModelCatalogProps {
  /** The configured endpoint of a model (its deployment target), `undefined` when none. */
  readonly targets: { get(modelName: string): Promise<{ readonly endpointName: string } | undefined> };
  readonly registry: CatalogRegistry;
  readonly s3: S3Client;
  readonly artifactsBucket: string;
}

export class RegistryModelCatalog implements ModelCatalog {
  private readonly signatures = new Map<string, Promise<ModelSignature>>();

  constructor(private readonly props: RegistryModelCatalogProps) {}

  async endpointOf(modelName: string): Promise<string | undefined> {
    return (await this.props.targets.get(modelName))?.endpointName;
  }

  championVersion(modelName: string): Promise<number | undefined> {
    return this.props.registry.aliasVersion(modelName, 'champion');
  }

  signature(modelName: string, version: number): Promise<ModelSignature> {
    const key = `${modelName}\u0000${version}`;
    let found = this.signatures.get(key);
    if (!found) {
      found = this.read(modelName, version);
      // A failed read is not kept: the next request tries again.
      found.catch(() => this.signatures.delete(key));
      this.signatures.set(key, found);
    }
    return found;
  }

  private async read(modelName: string, version: number): Promise<ModelSignature> {
    const registered = await this.props.registry.getVersion(modelName, version);
    if (!registered)
      throw new Error(`${modelName} version ${version} is the champion but not in the registry`);
    const object = await this.props.s3.send(
      new GetObjectCommand({ Bucket: this.props.artifactsBucket, Key: registered.artifact.key }),
    );
    return describeOnnx(await object.Body!.transformToByteArray());
  }
}
