/**
 * The retraining routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import { PageQuery } from './pages';
import { RunId, StartRunRequest } from './pipeline';
import type { RouteDeclaration } from './routes';

const ModelPath = lazySchema(() => z.object({ name: ModelName }));
const RunPath = lazySchema(() => z.object({ name: ModelName, runId: RunId }));

export const PIPELINE_ROUTES = [
  {
    id: 'StartRetrainingRun',
    method: 'POST',
    path: '/models/{name}/retraining-runs',
    function: 'pipeline',
    summary: 'Start a retraining run now (reason manual); 202 with the run, or the suppression',
    params: ModelPath,
    // The body is optional: no body is a run with an empty note.
    body: lazySchema(() => StartRunRequest.prefault({})),
    response: { status: 202 },
  },
  {
    id: 'ListRetrainingRuns',
    method: 'GET',
    path: '/models/{name}/retraining-runs',
    function: 'pipeline',
    summary: "A model's retraining runs, newest first",
    params: ModelPath,
    query: PageQuery,
    response: { status: 200 },
  },
  {
    id: 'GetRetrainingRun',
    method: 'GET',
    path: '/models/{name}/retraining-runs/{runId}',
    function: 'pipeline',
    summary: 'A retraining run: phase, outcome and reason, metrics, registered version',
    params: RunPath,
    response: { status: 200 },
  },
  {
    id: 'StopRetrainingRun',
    method: 'POST',
    path: '/models/{name}/retraining-runs/{runId}/stop',
    function: 'pipeline',
    summary:
      'Stop a running run (StopExecution, audited); 202, the same for a run already stopped, 409 RETRAINING_RUN_FINISHED for one that ended otherwise',
    params: RunPath,
    body: false,
    response: { status: 202 },
  },
] as const satisfies readonly RouteDeclaration[];
