/**
 * The feature store's routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { FeatureViewName } from './feature-names';
import {
  CreateFeatureViewRequest,
  GetOnlineFeaturesRequest,
  ListFeatureViewsQuery,
  MaterializeRequest,
  PushRequest,
  TrainingSetRequest,
  UpdateFeatureViewRequest,
} from './features';
import { lazySchema } from './lazy-schema';
import type { RouteDeclaration } from './routes';

const ViewPath = lazySchema(() => z.object({ name: FeatureViewName }));

export const FEATURES_ROUTES = [
  {
    id: 'CreateFeatureView',
    method: 'POST',
    path: '/feature-views',
    function: 'features',
    summary: 'Create a feature view (409 when the name is taken)',
    body: CreateFeatureViewRequest,
    response: { status: 201 },
  },
  {
    id: 'ListFeatureViews',
    method: 'GET',
    path: '/feature-views',
    function: 'features',
    summary: 'List feature views, paginated',
    query: ListFeatureViewsQuery,
    response: { status: 200 },
  },
  {
    id: 'GetFeatureView',
    method: 'GET',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Get a feature view',
    params: ViewPath,
    response: { status: 200 },
  },
  {
    id: 'UpdateFeatureView',
    method: 'PUT',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Replace the definition; compatible changes add a version, others are a 409',
    params: ViewPath,
    body: UpdateFeatureViewRequest,
    response: { status: 200 },
  },
  {
    id: 'DeleteFeatureView',
    method: 'DELETE',
    path: '/feature-views/{name}',
    function: 'features',
    summary: 'Delete a feature view (its offline files stay)',
    params: ViewPath,
    response: { status: 204 },
  },
  {
    id: 'GetFeatureViewFreshness',
    method: 'GET',
    path: '/feature-views/{name}/freshness',
    function: 'features',
    summary:
      "Age of a view's freshest online data against its max age (batch: newest row vs TTL; stream: watermark lag)",
    params: ViewPath,
    response: { status: 200 },
  },
  {
    id: 'PushFeatures',
    method: 'POST',
    path: '/push',
    function: 'features',
    summary: 'Write a batch of rows online and offline; any bad row refuses the batch (422)',
    body: PushRequest,
    response: { status: 200 },
  },
  {
    id: 'GetOnlineFeatures',
    method: 'POST',
    path: '/get-online-features',
    function: 'features',
    summary: "Latest feature values per entity, in Feast's request and response shape",
    body: GetOnlineFeaturesRequest,
    response: { status: 200 },
  },
  {
    id: 'MaterializeFeatureView',
    method: 'POST',
    path: '/feature-views/{name}/materialize',
    function: 'features',
    summary: 'Offline to online for an event-time range (idempotent)',
    params: ViewPath,
    body: MaterializeRequest,
    response: { status: 200 },
  },
  {
    id: 'CreateTrainingSet',
    method: 'POST',
    path: '/training-sets',
    function: 'features',
    summary: 'Start a point-in-time-correct training set job; returns its id',
    body: TrainingSetRequest,
    response: { status: 202 },
  },
  {
    id: 'GetTrainingSet',
    method: 'GET',
    path: '/training-sets/{jobId}',
    function: 'features',
    summary: 'A training set job: status, and the Parquet location once SUCCEEDED',
    // Any id is accepted here: one this API never issued is a 404 TRAINING_SET_NOT_FOUND.
    params: lazySchema(() => z.object({ jobId: z.string() })),
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
