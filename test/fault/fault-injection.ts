/**
 * Faults at the adapter seams: an SDK middleware, added to a real client, that fails a share of
 * its calls as the service or the network would (throttling, a 500, slowness, a response lost
 * after the request was applied), chosen by a seeded RNG so a run can be repeated. It sits below
 * the SDK's retry middleware, so the SDK retries what it would retry in AWS.
 */
import type { DeserializeMiddleware, InitializeMiddleware, MiddlewareStack } from '@smithy/types';

/** mulberry32: a small, fast, seedable PRNG; enough to make a fault schedule repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type FaultKind = 'throttled' | 'serverError' | 'slow' | 'lostResponse' | 'answerLostAfterRetries';

export interface FaultStats {
  calls: number;
  injected: Record<FaultKind, number>;
}

export const newFaultStats = (): FaultStats => ({
  calls: 0,
  injected: { throttled: 0, serverError: 0, slow: 0, lostResponse: 0, answerLostAfterRetries: 0 },
});

const LOSABLE = new Set([
  'TransactWriteItemsCommand',
  'GetItemCommand',
  'QueryCommand',
  'PutObjectCommand',
  'GetObjectCommand',
  'HeadObjectCommand',
]);

const serviceError = (name: string, status: number, fault: 'client' | 'server') =>
  Object.assign(new Error(`injected ${name}`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status, attempts: 1 },
  });

/**
 * Adds the fault middleware to `client`; returns a function that removes it.
 * @param rate share of calls that get a fault (0.2 = 20%)
 */
export function injectFaults<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  options: { rate: number; random: () => number; stats: FaultStats; name: string },
): () => void {
  const { rate, random, stats } = options;
  const middleware: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    stats.calls++;
    if (random() >= rate) return next(args);
    const pick = random();
    if (pick < 0.35) {
      stats.injected.throttled++;
      throw serviceError('ThrottlingException', 400, 'client');
    }
    if (pick < 0.65) {
      stats.injected.serverError++;
      throw serviceError('InternalServerError', 500, 'server');
    }
    if (pick < 0.9) {
      stats.injected.slow++;
      await new Promise((r) => setTimeout(r, 100 + random() * 600));
      return next(args);
    }
    // The request reaches the service and is applied; its answer never comes back. Only where a
    // resend is safe or detected: transactions (DynamoDB's ClientRequestToken, the idempotency
    // record), reads and object writes; a lost answer to a conditional PutItem (Powertools' lock)
    // would be a 409 the platform does not claim to avoid.
    if (!LOSABLE.has(String((context as { commandName?: string }).commandName))) {
      stats.injected.serverError++;
      throw serviceError('InternalServerError', 500, 'server');
    }
    stats.injected.lostResponse++;
    await next(args);
    throw Object.assign(new Error('injected: socket hang up after the request was sent'), {
      code: 'ECONNRESET',
    });
  };
  // Above the retries: a committed transaction whose answer the platform never gets (what a crash
  // or a network cut after the commit does), so the request fails with a 503 and the client's
  // keyed retry must find the effect already there.
  const outer: InitializeMiddleware<I, O> = (next, context) => async (args) => {
    const command = String((context as { commandName?: string }).commandName);
    if (command !== 'TransactWriteItemsCommand' || random() >= rate / 4) return next(args);
    await next(args);
    stats.injected.answerLostAfterRetries++;
    throw Object.assign(new Error('injected: the answer of a committed transaction was lost'), {
      name: 'TimeoutError',
    });
  };
  client.middlewareStack.add(middleware, { step: 'deserialize', name: options.name, priority: 'low' });
  client.middlewareStack.add(outer, {
    step: 'initialize',
    name: `${options.name}Outer`,
    priority: 'high',
  });
  return () => {
    client.middlewareStack.remove(options.name);
    client.middlewareStack.remove(`${options.name}Outer`);
  };
}
