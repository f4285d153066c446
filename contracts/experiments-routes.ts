/**
 * The experiments routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import {
  ConcludeExperimentRequest,
  CreateExperimentRequest,
  ExperimentName,
  ListExperimentsQuery,
  OutcomeBatch,
  StopExperimentRequest,
} from './experiments';
import { lazySchema } from './lazy-schema';
import type { RouteDeclaration } from './route-declaration';

const params = lazySchema(() => z.object({ name: ExperimentName }));

export const EXPERIMENTS_ROUTES = [
  {
    id: 'CreateExperiment',
    method: 'POST',
    path: '/experiments',
    function: 'experiments',
    summary:
      'Create an A/B experiment between two versions of a model (DRAFT); the reply holds the sample size per arm',
    body: CreateExperimentRequest,
    response: { status: 201 },
  },
  {
    id: 'ListExperiments',
    method: 'GET',
    path: '/experiments',
    function: 'experiments',
    summary: 'List experiments, by status then name; filter by status and model',
    query: ListExperimentsQuery,
    response: { status: 200 },
  },
  {
    id: 'GetExperiment',
    method: 'GET',
    path: '/experiments/{name}',
    function: 'experiments',
    summary: 'An experiment: definition, status, sample size, reason and winner',
    params,
    response: { status: 200 },
  },
  {
    id: 'StartExperiment',
    method: 'POST',
    path: '/experiments/{name}/start',
    function: 'experiments',
    summary:
      "Start a DRAFT experiment: units are assigned to arms on the model's endpoint; 409 while a rollout or another experiment runs there",
    params,
    body: false,
    response: { status: 200 },
  },
  {
    id: 'StopExperiment',
    method: 'POST',
    path: '/experiments/{name}/stop',
    function: 'experiments',
    summary: 'Stop a running experiment: all traffic back to control, the reason recorded',
    params,
    body: StopExperimentRequest,
    response: { status: 200 },
  },
  {
    id: 'ConcludeExperiment',
    method: 'POST',
    path: '/experiments/{name}/conclude',
    function: 'experiments',
    summary:
      'Conclude with a winner: a treatment winner is promoted through the rollout, control keeps the champion; a model that asks for sign-off answers with the approval request the rollout waits on',
    params,
    body: ConcludeExperimentRequest,
    response: { status: 200 },
    // A model with an approval policy: concluded, the winner's rollout waits for sign-off.
    accepted: { status: 202 },
  },
  {
    id: 'RecordOutcomes',
    method: 'POST',
    path: '/experiments/{name}/outcomes',
    function: 'experiments',
    summary:
      'Record outcomes (unit, metric, value, time, event id) of a running experiment; idempotent per event id',
    params,
    body: OutcomeBatch,
    response: { status: 200 },
  },
  {
    id: 'GetExperimentResults',
    method: 'GET',
    path: '/experiments/{name}/results',
    function: 'experiments',
    summary:
      'Results: per arm n, mean or rate and interval; effects with intervals; raw and adjusted p-values; SRM; verdict',
    params,
    response: { status: 200 },
  },
  {
    id: 'GetExperimentReport',
    method: 'GET',
    path: '/experiments/{name}/report',
    function: 'experiments',
    summary:
      'Results as an HTML page (inline SVG, no scripts): the effect and its interval over time, units per arm',
    params,
    response: { status: 200, contentType: 'text/html; charset=utf-8' },
  },
] as const satisfies readonly RouteDeclaration[];
