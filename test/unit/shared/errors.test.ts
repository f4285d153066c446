import { CreateModelRequest } from '../../../contracts/registry';
import {
  ConflictError,
  NotFoundError,
  toErrorBody,
  UnprocessableError,
} from '../../../lambdas/shared/errors';
import { decodePageToken, encodePageToken, parseWith } from '../../../lambdas/shared/http';

describe('toErrorBody', () => {
  it.each([
    [new NotFoundError('MODEL_NOT_FOUND', 'model churn does not exist'), 404],
    [new ConflictError('VERSION_CONFLICT', 'churn already has version 7'), 409],
    [new UnprocessableError('GOVERNANCE_CHECKS_FAILED', 'nope', { details: { failed: [] } }), 422],
  ])('renders %s with its status, code and message', (err, status) => {
    // Act
    const out = toErrorBody(err);
    // Assess
    expect(out.status).toBe(status);
    expect(out.body.error.code).toBe(err.code);
    expect(out.body.error.message).toBe(err.message);
  });

  it('keeps details when given and omits the key when not', () => {
    expect(
      toErrorBody(new UnprocessableError('GOVERNANCE_CHECKS_FAILED', 'x', { details: { a: 1 } })).body.error
        .details,
    ).toEqual({
      a: 1,
    });
    expect('details' in toErrorBody(new ConflictError('VERSION_CONFLICT', 'x')).body.error).toBe(false);
  });

  it.each([
    ['a timeout after the retries', Object.assign(new Error('requestTimeout'), { name: 'TimeoutError' })],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    ['throttling', Object.assign(new Error('slow down'), { name: 'ThrottlingException' })],
    [
      'S3 Vectors throttling (a 429)',
      Object.assign(new Error('slow down'), {
        name: 'TooManyRequestsException',
        $metadata: { httpStatusCode: 429 },
      }),
    ],
    ['a 5xx from the service', Object.assign(new Error('oops'), { $metadata: { httpStatusCode: 500 } })],
    [
      'one wrapped as a cause',
      new Error('persistence', { cause: Object.assign(new Error('t'), { name: 'TimeoutError' }) }),
    ],
  ])('renders a dependency failure (%s) as 503 DEPENDENCY_UNAVAILABLE with a retry delay', (_, err) => {
    // Act
    const out = toErrorBody(err);
    // Assess
    expect(out.status).toBe(503);
    expect(out.body.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(out.retryAfterSeconds).toBe(1);
  });

  it('fails a condition or a bug as what it is, not as a dependency failure', () => {
    // Assess
    expect(
      toErrorBody(
        Object.assign(new Error('x'), {
          name: 'ConditionalCheckFailedException',
          $metadata: { httpStatusCode: 400 },
        }),
      ).status,
    ).toBe(500);
    expect(toErrorBody(new ConflictError('VERSION_CONFLICT', 'x')).retryAfterSeconds).toBeUndefined();
  });

  it('renders an unknown error as 500 INTERNAL without leaking its message', () => {
    // Act
    const out = toErrorBody(new Error('ResourceNotFoundException: table mlops-registry-dev not found'));
    // Assess
    expect(out).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
  });
});

describe('parseWith', () => {
  it('names every bad field in a 400', () => {
    // Act
    let caught: unknown;
    try {
      parseWith(CreateModelRequest, { name: '-bad', tags: { k: 5 } }, 'body');
    } catch (err) {
      caught = err;
    }
    // Assess
    const body = toErrorBody(caught);
    expect(body.status).toBe(400);
    expect(body.body.error.code).toBe('INVALID_REQUEST');
    expect((body.body.error.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
      'body.name',
      'body.tags.k',
    ]);
  });

  it('refuses unknown fields', () => {
    expect(() => parseWith(CreateModelRequest, { name: 'churn', colour: 'red' }, 'body')).toThrow(/colour/);
  });
});

describe('page tokens', () => {
  it('round-trips a key and refuses a forged token', () => {
    const key = { pk: 'MODEL#churn', sk: 'VERSION#0000000003' };
    expect(decodePageToken(encodePageToken(key))).toEqual(key);
    expect(() => decodePageToken('not-a-token')).toThrow(/nextToken/);
  });
});
