import { EXECUTION_STATUS_CHANGE } from '../../../contracts/pipeline';
import type { JobModels } from '../../../lambdas/batch-predictions/domain/ports';
import {
  deleteStoppedRunModel,
  type ExecutionStatusChange,
  isExecutionStatusChange,
} from '../../../lambdas/batch-predictions/domain/stopped-run';

/** Models that exist by name; deletes are recorded. */
function models(existing: string[]): JobModels & { deleted: string[] } {
  const names = new Set(existing);
  const deleted: string[] = [];
  return {
    deleted,
    delete: async (name) => {
      deleted.push(name);
      return names.delete(name);
    },
  };
}

const event = (status: string, input?: unknown, name = 'job-1-2'): ExecutionStatusChange => ({
  'detail-type': EXECUTION_STATUS_CHANGE,
  source: 'aws.states',
  detail: { name, status, ...(input === undefined ? {} : { input: JSON.stringify(input) }) },
});

describe('deleteStoppedRunModel', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])("deletes a %s transform run's model", async (status) => {
    // Prepare
    const sagemaker = models(['mlops-batch-job-1-2']);
    // Act
    const result = await deleteStoppedRunModel(
      sagemaker,
      event(status, { job: { jobId: 'job-1', attempt: 2, engine: 'transform' } }),
    );
    // Assess
    expect(result).toEqual({ deleted: true, modelName: 'mlops-batch-job-1-2' });
  });

  it('names the model from the execution when the event carries no input', async () => {
    const sagemaker = models(['mlops-batch-job-1-2']);
    expect(await deleteStoppedRunModel(sagemaker, event('ABORTED'))).toEqual({
      deleted: true,
      modelName: 'mlops-batch-job-1-2',
    });
  });

  it('is no change for a model already deleted (a redelivered event, or the run deleted it)', async () => {
    const sagemaker = models([]);
    const input = { job: { jobId: 'job-1', attempt: 2, engine: 'transform' } };
    expect(await deleteStoppedRunModel(sagemaker, event('FAILED', input))).toEqual({
      deleted: false,
      modelName: 'mlops-batch-job-1-2',
    });
  });

  it('leaves succeeded runs and map runs alone', async () => {
    const sagemaker = models(['mlops-batch-job-1-2']);
    const map = { job: { jobId: 'job-1', attempt: 2, engine: 'map' } };
    expect(await deleteStoppedRunModel(sagemaker, event('SUCCEEDED', map))).toEqual({
      skipped: 'status SUCCEEDED',
    });
    expect(await deleteStoppedRunModel(sagemaker, event('ABORTED', map))).toEqual({ skipped: 'engine map' });
    expect(sagemaker.deleted).toEqual([]);
  });

  it('tells a status change from a step of the state machine', () => {
    expect(isExecutionStatusChange(event('ABORTED'))).toBe(true);
    expect(isExecutionStatusChange({ action: 'fail', job: {} })).toBe(false);
    expect(isExecutionStatusChange(null)).toBe(false);
  });
});
