/**
 * The client's retries, over a scripted `fetch` and a clock that only counts: which answers are
 * sent again, and for how long.
 */
import { signingFetch } from '../../../client/signing-fetch';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const inProgress = () => json(409, { error: { code: 'IDEMPOTENCY_IN_PROGRESS', message: 'in progress' } });

/** A fetch answering from `answers` in turn, and the waits the client slept. */
function scripted(answers: Array<() => Response>) {
  const sent: Request[] = [];
  const waits: number[] = [];
  const fetch = signingFetch({
    region: 'us-east-1',
    credentials,
    baseDelayMs: 1,
    sleep: async (ms) => {
      waits.push(ms);
    },
    fetch: async (request) => {
      sent.push(request);
      return (answers[sent.length - 1] ?? answers[answers.length - 1])();
    },
  });
  return { fetch, sent, waits };
}

const keyedPost = () =>
  new Request('https://api.example.com/models/m/versions', {
    method: 'POST',
    body: '{}',
    headers: { 'idempotency-key': 'k-1' },
  });

it('sends a keyed write answered IDEMPOTENCY_IN_PROGRESS again until it has the first answer', async () => {
  const { fetch, sent, waits } = scripted([
    inProgress,
    inProgress,
    inProgress,
    () => json(201, { version: 1 }),
  ]);
  const response = await fetch(keyedPost());
  expect(response.status).toBe(201);
  expect(sent).toHaveLength(4);
  expect(sent.every((r) => r.headers.get('idempotency-key') === 'k-1')).toBe(true);
  expect(waits).toEqual([1_000, 1_000, 1_000]);
});

it('keeps sending it past the 60 s a crashed request may hold its key, then gives the 409 back', async () => {
  const { fetch, sent, waits } = scripted([inProgress]);
  const response = await fetch(keyedPost());
  expect(response.status).toBe(409);
  expect(waits.reduce((a, b) => a + b, 0)).toBe(70_000);
  expect(sent).toHaveLength(71);
});

it('does not send a write without a key again, nor another 409', async () => {
  const unkeyed = scripted([inProgress]);
  const plain = new Request('https://api.example.com/models', { method: 'POST', body: '{}' });
  expect((await unkeyed.fetch(plain)).status).toBe(409);
  expect(unkeyed.sent).toHaveLength(1);
  const conflict = scripted([() => json(409, { error: { code: 'MODEL_EXISTS', message: 'exists' } })]);
  expect((await conflict.fetch(keyedPost())).status).toBe(409);
  expect(conflict.sent).toHaveLength(1);
});
