/**
 * The console's models pages against an API of 10,000 versions, through the typed client with a
 * fake fetch: the model page asks for one page of versions, of the list routes' largest limit, and
 * renders that page with the link to the next; nothing else of the 10,000 is read. Time is not
 * measured: the request count is what keeps the page fast.
 */

import type * as z from 'zod';
import { consoleClient, PAGE_SIZE } from '../../../console/src/api';
import { modelPage, versionPage } from '../../../console/src/pages/models';
import { REGISTRY_ROUTES } from '../../../contracts/registry-routes';

/** The version list's query schema, as the route declares it. */
const ListVersionsQuery = REGISTRY_ROUTES.find((r) => r.id === 'ListVersions')!.query as z.ZodType<{
  limit: number;
  nextToken?: string;
}>;

const TOTAL = 10_000;
const MODEL = 'churn';

function version(n: number) {
  return {
    modelName: MODEL,
    version: n,
    description: '',
    status: 'READY',
    stage: n === TOTAL ? 'Production' : 'None',
    metrics: { accuracy: 0.8 + (n % 100) / 1000 },
    params: {},
    tags: {},
    lineage: n > 1 ? { parentVersion: n - 1, datasetUri: `s3://data/${n}.parquet` } : {},
    governance: {},
    artifact: {
      bucket: 'b',
      key: `k/${n}`,
      sha256: 'a'.repeat(64),
      sizeBytes: 10,
      contentType: 'application/octet-stream',
    },
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    createdBy: 'arn:aws:iam::000000000000:user/local',
  };
}

/** An API holding 10,000 versions of one model, newest first, paged as the registry pages. */
function fakeApi() {
  const requests: URL[] = [];
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(url);
    const path = url.pathname;
    if (path === `/models/${MODEL}`)
      return json({
        name: MODEL,
        description: 'churn model',
        tags: {},
        latestVersion: TOTAL,
        productionVersions: 1,
        status: 'ACTIVE',
        createdAt: '2026-12-01T00:00:00.000Z',
        updatedAt: '2026-12-01T00:00:00.000Z',
        createdBy: 'me',
      });
    if (path === `/models/${MODEL}/aliases`)
      return json({ items: [{ modelName: MODEL, alias: 'champion', version: TOTAL, updatedAt: 'x' }] });
    if (path === `/models/${MODEL}/audit`) return json({ items: [] });
    if (path === `/models/${MODEL}/versions`) {
      const query = ListVersionsQuery.parse(Object.fromEntries(url.searchParams));
      const start = query.nextToken ? Number(query.nextToken) : 0;
      const numbers = Array.from({ length: TOTAL }, (_, i) => TOTAL - i).slice(start, start + query.limit);
      const end = start + numbers.length;
      return json({ items: numbers.map(version), ...(end < TOTAL ? { nextToken: String(end) } : {}) });
    }
    const one = new RegExp(`^/models/${MODEL}/versions/(\\d+)$`).exec(path);
    if (one) return json(version(Number(one[1])));
    return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: path } }), { status: 404 });
  };
  return { client: consoleClient('http://api.test', fetch), requests };
}

const versionRequests = (requests: URL[]) =>
  requests.filter((u) => u.pathname === `/models/${MODEL}/versions`);

describe('the model page over 10,000 versions', () => {
  it('asks for one page of versions, of the API limit, and renders it with a link to the next', async () => {
    // Prepare
    const api = fakeApi();
    // Act
    const page = await modelPage({
      client: api.client,
      params: { name: MODEL },
      query: new URLSearchParams(),
    });
    // Assess
    const asked = versionRequests(api.requests);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.searchParams.get('limit')).toBe(String(PAGE_SIZE));
    expect(asked[0]!.searchParams.has('nextToken')).toBe(false);
    // The page size is the route's largest limit: one more is refused by its schema.
    expect(ListVersionsQuery.safeParse({ limit: PAGE_SIZE }).success).toBe(true);
    expect(ListVersionsQuery.safeParse({ limit: PAGE_SIZE + 1 }).success).toBe(false);
    expect(api.requests).toHaveLength(4);
    expect(page.text.match(/<tr class="version">/g)).toHaveLength(PAGE_SIZE);
    expect(page.text).toContain(`href="#/models/${MODEL}/versions/${TOTAL}"`);
    expect(page.text).toContain(`href="#/models/${MODEL}?token=${PAGE_SIZE}"`);
  });

  it('opens a later page with its token, in one request', async () => {
    // Prepare
    const api = fakeApi();
    // Act
    const page = await modelPage({
      client: api.client,
      params: { name: MODEL },
      query: new URLSearchParams({ token: '9900' }),
    });
    // Assess
    const asked = versionRequests(api.requests);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.searchParams.get('nextToken')).toBe('9900');
    expect(page.text.match(/<tr class="version">/g)).toHaveLength(PAGE_SIZE);
    expect(page.text).toContain('>v1</a>');
    expect(page.text).not.toContain('Next page');
    expect(page.text).toContain('First page');
  });

  it('draws the lineage of a version from a bounded number of parents', async () => {
    // Prepare
    const api = fakeApi();
    // Act
    const page = await versionPage({
      client: api.client,
      params: { name: MODEL, version: String(TOTAL) },
      query: new URLSearchParams(),
    });
    // Assess: the version and four parents, not the 9,999 it descends from
    expect(api.requests).toHaveLength(5);
    expect(page.text).toContain('<svg class="chart lineage"');
    expect(page.text).toContain(`s3://data/${TOTAL}.parquet`);
    expect(page.text).toContain(`v${TOTAL - 4} None`);
  });
});
