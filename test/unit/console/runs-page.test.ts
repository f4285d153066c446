/**
 * The console's runs page against an MLflow experiment of 10,000 runs, through the typed client
 * with a fake fetch: one `runs/search` of one page, the page rendered, the next page's token in the
 * link. MLflow accepts `max_results` up to 50,000; the console asks for the list routes' 100, so a
 * page never carries the whole experiment.
 */
import { consoleClient, PAGE_SIZE } from '../../../console/src/api';
import { runsPage } from '../../../console/src/pages/runs';
import { SearchRunsRequest } from '../../../contracts/tracking';

const TOTAL = 10_000;

function fakeTracking() {
  const searches: Array<Record<string, unknown>> = [];
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/2.0/mlflow/experiments/get')
      return json({ experiment: { experiment_id: '7', name: 'sweep', lifecycle_stage: 'active' } });
    if (url.pathname !== '/api/2.0/mlflow/runs/search') return new Response('{}', { status: 404 });
    const body = SearchRunsRequest.parse(await request.json());
    searches.push(body);
    const start = Number(body.page_token ?? 0);
    const size = body.max_results ?? 1000;
    const runs = Array.from({ length: Math.min(size, TOTAL - start) }, (_, i) => ({
      info: {
        run_id: `r${start + i}`,
        run_uuid: `r${start + i}`,
        run_name: `run-${start + i}`,
        experiment_id: '7',
        user_id: 'me',
        status: 'FINISHED',
        start_time: 1_765_000_000_000 + i,
        artifact_uri: 's3://b/a',
        lifecycle_stage: 'active',
      },
      data: { metrics: [{ key: 'accuracy', value: 0.9, timestamp: 1, step: 0 }], params: [], tags: [] },
      inputs: {},
    }));
    const end = start + runs.length;
    return json({ runs, ...(end < TOTAL ? { next_page_token: String(end) } : {}) });
  };
  return { client: consoleClient('http://api.test', fetch), searches };
}

describe('the runs page over 10,000 runs', () => {
  it('searches one page of runs and renders it with a link to the next', async () => {
    // Prepare
    const api = fakeTracking();
    // Act
    const page = await runsPage({
      client: api.client,
      params: { experimentId: '7' },
      query: new URLSearchParams(),
    });
    // Assess
    expect(api.searches).toEqual([
      { experiment_ids: ['7'], max_results: PAGE_SIZE, order_by: ['attributes.start_time DESC'] },
    ]);
    expect(page.text.match(/>run-\d+</g)).toHaveLength(PAGE_SIZE);
    expect(page.text).toContain(`href="#/runs/7?token=${PAGE_SIZE}"`);
  });
});
