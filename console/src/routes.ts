/** The console's pages by hash path (`#/models/churn`), and the sections of its navigation. */
import type { Render } from './page';
import { batchPage } from './pages/batch';
import { deploymentPage, deploymentsPage, endpointsPage } from './pages/deployments';
import { experimentPage, experimentsPage } from './pages/experiments';
import { featureViewPage, featureViewsPage } from './pages/features';
import { llmEndpointsPage } from './pages/llm-endpoints';
import { modelPage, modelsPage, versionPage } from './pages/models';
import { monitoringPage, reportPage } from './pages/monitoring';
import { promptPage, promptsPage } from './pages/prompts';
import { runsPage, trackingExperimentsPage } from './pages/runs';

export const SECTIONS = [
  ['models', 'Models'],
  ['deployments', 'Deployments'],
  ['endpoints', 'Endpoints'],
  ['monitoring', 'Monitoring'],
  ['feature-views', 'Feature views'],
  ['experiments', 'Experiments'],
  ['runs', 'Tracking runs'],
  ['batch', 'Batch jobs'],
  ['prompts', 'Prompts'],
  ['llm-endpoints', 'LLM endpoints'],
] as const;

const TABLE: ReadonlyArray<readonly [string, Render]> = [
  ['models', modelsPage],
  ['models/:name', modelPage],
  ['models/:name/versions/:version', versionPage],
  ['deployments', deploymentsPage],
  ['deployments/:name', deploymentsPage],
  ['deployments/:name/:deploymentId', deploymentPage],
  ['endpoints', endpointsPage],
  ['monitoring', monitoringPage],
  ['monitoring/:name', monitoringPage],
  ['monitoring/:name/reports/:reportId', reportPage],
  ['feature-views', featureViewsPage],
  ['feature-views/:name', featureViewPage],
  ['experiments', experimentsPage],
  ['experiments/:name', experimentsPage],
  ['experiment/:name', experimentPage],
  ['runs', trackingExperimentsPage],
  ['runs/:experimentId', runsPage],
  ['batch', batchPage],
  ['batch/:name', batchPage],
  ['prompts', promptsPage],
  ['prompts/:name', promptPage],
  ['llm-endpoints', llmEndpointsPage],
];

export interface RouteMatch {
  readonly render: Render;
  /** The navigation section the page belongs to (`experiment/x` is under `experiments`). */
  readonly section: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
}

/** The page for a location hash (`#/models/churn?token=...`); an empty hash is the models list. */
export function matchHash(hash: string): RouteMatch | undefined {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) segments.push('models');
  for (const [pattern, render] of TABLE) {
    const parts = pattern.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = parts.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segments[i]!);
        return true;
      }
      return part === segments[i];
    });
    if (matched) {
      const section = parts[0] === 'experiment' ? 'experiments' : parts[0]!;
      return { render, section, params, query: new URLSearchParams(search) };
    }
  }
  return undefined;
}
