/**
 * Concurrent invocations of one local function share its worker thread, as concurrent requests
 * share an execution environment on Lambda Managed Instances; each invocation's log lines must
 * still carry its own API request id as `correlation_id`. The function is built as the platform's
 * are (router, Powertools logger) and runs in a real local worker; its stderr is read back.
 */
import type { HttpEvent } from '../../lambdas/shared/http';
import { FunctionWorker } from '../../local/lambda-runtime/function-worker';

const worker = new FunctionWorker({
  logicalId: 'Correlated',
  entry: 'test/helpers/correlated-handler.ts',
  environment: () => ({ PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'WARN' }),
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Correlated',
});
afterAll(() => worker.terminate());

const request = (requestId: string, ms: number) =>
  ({
    version: '2.0',
    routeKey: 'POST /waits/{ms}',
    rawPath: `/waits/${ms}`,
    pathParameters: { ms: String(ms) },
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId, routeKey: 'POST /waits/{ms}' },
  }) as unknown as HttpEvent;

/** The JSON log lines the worker writes (Powertools puts warnings on stderr) while `act` runs. */
async function linesDuring(
  act: () => Promise<unknown>,
  expected: number,
): Promise<Array<Record<string, unknown>>> {
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    text += String(chunk);
    return true;
  });
  const parsed = () =>
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  try {
    await act();
    // The worker's output reaches this thread asynchronously, after its answers.
    for (let i = 0; i < 100 && parsed().length < expected; i++) await new Promise((r) => setTimeout(r, 20));
    return parsed();
  } finally {
    spy.mockRestore();
  }
}

describe('correlation ids of concurrent local invocations', () => {
  it("puts each request's own id in every line it logs, however the requests interleave", async () => {
    // Prepare: the first request waits longest, so the others set their ids while it waits
    const waits = [300, 20, 150, 60, 0, 220];
    const ids = waits.map((_, i) => `req-${i}`);
    // The worker's first start (its init), its lines kept out of the test's output.
    await linesDuring(() => worker.invoke(request('warm-up', 1)), 2);

    // Act
    let answers: unknown[] = [];
    const lines = await linesDuring(async () => {
      answers = await Promise.all(waits.map((ms, i) => worker.invoke(request(ids[i], ms))));
    }, 2 * waits.length);

    // Assess
    expect(answers.map((a) => JSON.parse((a as { body: string }).body).correlationId)).toEqual(ids);
    // The warm-up's lines (1 ms) may arrive late; they are not the concurrent ones.
    const logged = lines.filter((l) => waits.includes(l.ms as number));
    expect(logged).toHaveLength(2 * waits.length);
    for (const line of logged) {
      expect([line.message, line.ms, line.correlation_id]).toEqual([
        line.message,
        line.ms,
        ids[waits.indexOf(line.ms as number)],
      ]);
    }
  }, 60_000);
});
