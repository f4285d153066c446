/**
 * Background prediction traffic, as the model's callers would send it: OIP v2 requests of a few
 * patients each to `POST /v2/models/{name}/infer`, from a switchable population. The endpoint
 * captures them (monitoring's input) and its variants' metrics feed the rollout alarms, so a
 * canary is judged on real requests.
 */
import type { PlatformClient } from '../client';
import type { Patient } from './dataset';

export interface TrafficStats {
  readonly sent: number;
  readonly failed: number;
  /** Answers by `version/variant`. */
  readonly answered: Record<string, number>;
}

export interface Traffic {
  /** Sends from these patients from now on. */
  use(population: readonly Patient[]): void;
  stats(): TrafficStats;
  /** Counts from now on (the previous counts are returned). */
  reset(): TrafficStats;
  stop(): Promise<void>;
}

const ROWS_PER_REQUEST = 5;
const PAUSE_MS = 40;

export function startTraffic(
  api: PlatformClient,
  modelName: string,
  population: readonly Patient[],
  workers = 2,
): Traffic {
  let current = population;
  let running = true;
  let next = 0;
  let stats = { sent: 0, failed: 0, answered: {} as Record<string, number> };
  const loop = async () => {
    while (running) {
      const batch = Array.from({ length: ROWS_PER_REQUEST }, () => current[next++ % current.length]);
      const res = await api
        .POST('/v2/models/{name}/infer', {
          params: { path: { name: modelName } },
          body: {
            inputs: [
              {
                name: 'features',
                shape: [batch.length, batch[0].measurements.length],
                datatype: 'FP32',
                data: batch.flatMap((p) => p.measurements),
              },
            ],
          },
        })
        .catch(() => ({ data: undefined }));
      stats.sent++;
      if (res.data) {
        const key = `v${res.data.model_version}/${res.data.parameters?.variant}`;
        stats.answered[key] = (stats.answered[key] ?? 0) + 1;
      } else {
        stats.failed++;
      }
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    use: (p) => {
      current = p;
    },
    stats: () => stats,
    reset: () => {
      const before = stats;
      stats = { sent: 0, failed: 0, answered: {} };
      return before;
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** `120 requests (v1/champion 96, v2/challenger 24), 0 failed`. */
export function describeTraffic(s: TrafficStats): string {
  const by = Object.entries(s.answered)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `${s.sent} requests (${by || 'none answered'}), ${s.failed} failed`;
}
