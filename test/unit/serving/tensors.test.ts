import { validateInferenceRequest } from '../../../lambdas/serving/domain/tensors';
import { PlatformError } from '../../../lambdas/shared/errors';

const problemsOf = (body: unknown) => {
  try {
    validateInferenceRequest(body);
  } catch (err) {
    if (err instanceof PlatformError)
      return { status: err.status, code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected a 400');
};

describe('validateInferenceRequest', () => {
  it('accepts a well-formed request and flattens nested data row-major', () => {
    // Act
    const request = validateInferenceRequest({
      id: 'r1',
      inputs: [
        {
          name: 'features',
          shape: [2, 2],
          datatype: 'FP32',
          data: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
    });

    // Assess
    expect(request.inputs[0].data).toEqual([1, 2, 3, 4]);
    expect(request.id).toBe('r1');
  });

  it.each([
    [
      'a data length that does not match the shape',
      { name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3] },
      'inputs[0].data: has 3 elements but shape [2, 3] needs 6',
    ],
    [
      'an unknown datatype',
      { name: 'x', shape: [1], datatype: 'FLOAT', data: [1] },
      'inputs[0].datatype: must be one of',
    ],
    [
      'a string in an FP32 tensor',
      { name: 'x', shape: [2], datatype: 'FP32', data: [1, 'a'] },
      'inputs[0].data[1]: must be a finite number for FP32',
    ],
    [
      'a fraction in an INT64 tensor',
      { name: 'x', shape: [1], datatype: 'INT64', data: [1.5] },
      'inputs[0].data[0]: must be an integer',
    ],
    [
      'an out-of-range UINT8',
      { name: 'x', shape: [1], datatype: 'UINT8', data: [256] },
      'inputs[0].data[0]: must be an integer in 0..255',
    ],
    [
      'a number in a BOOL tensor',
      { name: 'x', shape: [1], datatype: 'BOOL', data: [1] },
      'inputs[0].data[0]: must be a boolean',
    ],
    [
      'a negative dimension',
      { name: 'x', shape: [-1, 2], datatype: 'FP32', data: [1, 2] },
      'inputs[0].shape[0]: must be a non-negative integer',
    ],
    [
      'a missing name',
      { shape: [1], datatype: 'FP32', data: [1] },
      'inputs[0].name: must be a non-empty string',
    ],
  ])('fails with a 400 naming %s', (_what, tensor, message) => {
    // Act
    const problem = problemsOf({ inputs: [tensor] });

    // Assess
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('INVALID_TENSOR');
    expect(problem.message).toContain(message);
  });

  it('fails listing every bad tensor, not just the first', () => {
    // Act
    const problem = problemsOf({
      inputs: [
        { name: 'a', shape: [2], datatype: 'FP32', data: [1] },
        { name: 'b', shape: [1], datatype: 'INT32', data: ['x'] },
      ],
    });

    // Assess
    expect((problem.details as Array<{ field: string }>).map((d) => d.field)).toEqual([
      'inputs[0].data',
      'inputs[1].data[0]',
    ]);
  });

  it.each([
    ['no inputs', {}, 'inputs: is required'],
    ['an empty inputs array', { inputs: [] }, 'inputs: must be a non-empty array'],
    [
      'duplicate input names',
      {
        inputs: [
          { name: 'a', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'a', shape: [1], datatype: 'FP32', data: [2] },
        ],
      },
      'duplicates input "a"',
    ],
    [
      'a bad routing key',
      { parameters: { routing_key: 7 }, inputs: [{ name: 'a', shape: [1], datatype: 'FP32', data: [1] }] },
      'parameters.routing_key',
    ],
    [
      'ragged entity columns',
      { parameters: { entities: { a: [1, 2], b: [1] } } },
      'every join key needs the same number of values',
    ],
    ['a body that is not an object', [1, 2], 'the body must be a JSON object'],
  ])('fails with a 400 for %s', (_what, body, message) => {
    // Act
    const problem = problemsOf(body);

    // Assess
    expect(problem.status).toBe(400);
    expect(problem.message).toContain(message);
  });

  it('accepts entities without inputs (enrichment)', () => {
    // Act
    const request = validateInferenceRequest({
      parameters: { entities: { patient_id: [1, 2] }, features: ['bc:mean_radius'] },
    });

    // Assess
    expect(request.inputs).toEqual([]);
  });
});
