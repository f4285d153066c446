/**
 * The Step Functions tasks of a fanned-out drift check: `shardHandler` summarises one capture file
 * (one Distributed Map iteration), `mergeHandler` merges every shard summary of the run and
 * publishes the report. Both return small JSON: summaries travel through S3, not the state
 * (Step Functions caps state at 256 KiB).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html
 */
import * as z from 'zod';
import { lazySchema } from '../../contracts/lazy-schema';
import type { MonitoringDeps } from './domain/ports';
import { mergeShards, summarizeShard } from './domain/scheduled-checks';

const ShardEvent = lazySchema(() =>
  z.object({
    runId: z.string().min(1),
    modelName: z.string().min(1),
    key: z.string().min(1),
    index: z.number().int().min(0),
  }),
);
const MergeEvent = lazySchema(() =>
  z.object({
    runId: z.string().min(1),
    modelName: z.string().min(1),
    bucket: z.string().min(1),
    manifestKey: z.string().min(1),
    files: z.number().int().min(0),
    firstKey: z.string().optional(),
    lastKey: z.string().optional(),
  }),
);

export const makeShardHandler = (deps: MonitoringDeps) => async (event: unknown) =>
  summarizeShard(deps, ShardEvent.parse(event));

export const makeMergeHandler = (deps: MonitoringDeps) => async (event: unknown) => {
  const report = await mergeShards(deps, MergeEvent.parse(event));
  return {
    reportId: report.reportId,
    modelName: report.modelName,
    drifted: report.dataset?.drifted ?? false,
    driftShare: report.dataset?.driftShare,
    location: report.location,
  };
};
