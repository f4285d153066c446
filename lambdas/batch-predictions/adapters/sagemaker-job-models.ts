/**
 * The transform engine's per-job models in SageMaker. DeleteModel of a model that does not exist
 * answers ValidationException "Could not find model"; that is no change, not a failure.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeleteModel.html
 */
import { DeleteModelCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { JobModels } from '../domain/ports';

export class SageMakerJobModels implements JobModels {
  constructor(private readonly client: SageMakerClient) {}

  async delete(modelName: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteModelCommand({ ModelName: modelName }));
      return true;
    } catch (err) {
      const e = err as Error;
      if (e.name === 'ValidationException' && /could not find model/i.test(e.message)) return false;
      throw err;
    }
  }
}
