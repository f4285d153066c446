/**
 * MLflow's search grammar, on the examples of MLflow's own search documentation
 * (docs "Search Runs" and the `search_runs` docstring): conjunctions of comparisons on metrics,
 * params, tags and attributes, quoted keys, LIKE/ILIKE/IN, and the errors MLflow gives for the rest.
 */
import { parseFilter, parseOrderBy } from '../../../lambdas/tracking/domain/filter';
import type { RunRecord } from '../../../lambdas/tracking/domain/records';
import { like, searchRuns } from '../../../lambdas/tracking/domain/run-search';

describe('parseFilter', () => {
  it.each([
    [
      "metrics.rmse < 1 and params.model_class = 'LogisticRegression'",
      [
        { entity: 'metric', key: 'rmse', comparator: '<', value: 1 },
        { entity: 'param', key: 'model_class', comparator: '=', value: 'LogisticRegression' },
      ],
    ],
    [
      'metrics.accuracy > 0.72 AND metrics.loss <= 0.15',
      [
        { entity: 'metric', key: 'accuracy', comparator: '>', value: 0.72 },
        { entity: 'metric', key: 'loss', comparator: '<=', value: 0.15 },
      ],
    ],
    ['params.model = "CNN"', [{ entity: 'param', key: 'model', comparator: '=', value: 'CNN' }]],
    [
      'tags."mlflow.source.type" = "LOCAL"',
      [{ entity: 'tag', key: 'mlflow.source.type', comparator: '=', value: 'LOCAL' }],
    ],
    [
      'tags.mlflow.source.git.commit != "abc"',
      [{ entity: 'tag', key: 'mlflow.source.git.commit', comparator: '!=', value: 'abc' }],
    ],
    [
      "attributes.status = 'FINISHED'",
      [{ entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' }],
    ],
    [
      "attributes.run_name LIKE 'my-run%'",
      [{ entity: 'attribute', key: 'run_name', comparator: 'LIKE', value: 'my-run%' }],
    ],
    [
      "params.optimizer ILIKE '%adam%'",
      [{ entity: 'param', key: 'optimizer', comparator: 'ILIKE', value: '%adam%' }],
    ],
    [
      "attributes.run_id IN ('a1', 'b2')",
      [{ entity: 'attribute', key: 'run_id', comparator: 'IN', value: ['a1', 'b2'] }],
    ],
    [
      "run.run_id NOT IN ('a1')",
      [{ entity: 'attribute', key: 'run_id', comparator: 'NOT IN', value: ['a1'] }],
    ],
    ['metrics.`f1 score` > 0.9', [{ entity: 'metric', key: 'f1 score', comparator: '>', value: 0.9 }]],
    ['metric.`val loss`>=-1e-3', [{ entity: 'metric', key: 'val loss', comparator: '>=', value: -0.001 }]],
    [
      'attributes.start_time >= 1664067852747',
      [{ entity: 'attribute', key: 'start_time', comparator: '>=', value: 1664067852747 }],
    ],
    ['tags.team IS NULL', [{ entity: 'tag', key: 'team', comparator: 'IS NULL' }]],
    ['tags.team IS NOT NULL', [{ entity: 'tag', key: 'team', comparator: 'IS NOT NULL' }]],
    ['', []],
  ])('parses %s', (filter, expected) => {
    // Act
    const parsed = parseFilter(filter);
    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ["metrics.rmse < 1 or params.x = 'y'", /has no OR/],
    ['foo.bar = 1', /Invalid entity type 'foo'/],
    ['metrics.rmse', /expected a comparator/],
    ["params.x = 'unterminated", /unterminated quote/],
    ['metrics.rmse < 1 and', /expected an identifier/],
    ['params.x LIKE 3', /LIKE needs a quoted string/],
    ['params.x IN (1, 2)', /IN lists hold quoted strings/],
    ['metrics.x ~ 1', /unexpected character '~'/],
  ])('fails %s', (filter, message) => {
    // Act / Assess
    expect(() => parseFilter(filter)).toThrow(message);
  });
});

describe('parseOrderBy', () => {
  it('parses entity, key and direction, ascending by default', () => {
    // Act
    const clauses = parseOrderBy(['metrics.rmse DESC', 'params.`batch size`', 'attributes.start_time asc']);
    // Assess
    expect(clauses).toEqual([
      { entity: 'metric', key: 'rmse', ascending: false },
      { entity: 'param', key: 'batch size', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
    ]);
  });

  it('fails a clause with more than a direction after the key', () => {
    expect(() => parseOrderBy(['metrics.rmse DESC extra'])).toThrow(/expected <identifier> \[ASC\|DESC\]/);
  });
});

const run = (id: string, over: Partial<RunRecord> = {}): RunRecord => ({
  runId: id,
  experimentId: '1',
  runName: `run-${id}`,
  userId: 'alice',
  status: 'FINISHED',
  startTime: 1000,
  artifactUri: `s3://b/mlflow/1/${id}/artifacts`,
  lifecycleStage: 'active',
  params: {},
  tags: {},
  metrics: {},
  rev: 1,
  ...over,
});
const m = (value: number) => ({ value, timestamp: 1, step: 0 });

describe('searchRuns', () => {
  const runs = [
    run('a', { metrics: { rmse: m(0.5) }, params: { model: 'tree' }, startTime: 3 }),
    run('b', { metrics: { rmse: m(0.9) }, params: { model: 'LogisticRegression' }, startTime: 2 }),
    run('c', { metrics: { rmse: m(Number.NaN) }, params: { model: 'tree' }, startTime: 1 }),
    run('d', { params: { model: 'tree' }, tags: { team: 'x' }, startTime: 4 }),
    run('e', { metrics: { rmse: m(0.1) }, lifecycleStage: 'deleted', startTime: 5 }),
  ];

  it('filters on metrics and params; a run without the metric never matches', () => {
    // Act
    const page = searchRuns(runs, { filter: "metrics.rmse < 1 and params.model = 'tree'", maxResults: 10 });
    // Assess
    expect(page.items.map((r) => r.runId)).toEqual(['a']);
  });

  it('orders by a metric with missing values and NaN last, ties by start_time DESC', () => {
    // Act
    const asc = searchRuns(runs, { orderBy: ['metrics.rmse ASC'], maxResults: 10 });
    const desc = searchRuns(runs, { orderBy: ['metrics.rmse DESC'], maxResults: 10 });
    // Assess
    expect(asc.items.map((r) => r.runId)).toEqual(['a', 'b', 'c', 'd']);
    expect(desc.items.map((r) => r.runId)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('pages with an opaque token until the last page, which has none', () => {
    // Act
    const first = searchRuns(runs, { maxResults: 3 });
    const second = searchRuns(runs, { maxResults: 3, pageToken: first.nextPageToken });
    // Assess
    expect(first.items.map((r) => r.runId)).toEqual(['d', 'a', 'b']);
    expect(second.items.map((r) => r.runId)).toEqual(['c']);
    expect(second.nextPageToken).toBeUndefined();
  });

  it('ends a page early at its byte budget, keeping at least one run, and pages on from there', () => {
    // Prepare
    const size = JSON.stringify(runs[0]).length;
    // Act
    const first = searchRuns(runs, { maxResults: 10, maxBytes: size * 2.5 });
    const second = searchRuns(runs, { maxResults: 10, maxBytes: size * 2.5, pageToken: first.nextPageToken });
    const tiny = searchRuns(runs, { maxResults: 10, maxBytes: 1 });
    // Assess
    expect(first.items.map((r) => r.runId)).toEqual(['d', 'a']);
    expect(second.items.map((r) => r.runId)).toEqual(['b', 'c']);
    expect(tiny.items).toHaveLength(1);
    expect(tiny.nextPageToken).toBeDefined();
  });

  it('covers deleted runs only when the view type asks for them', () => {
    expect(searchRuns(runs, { viewType: 'DELETED_ONLY', maxResults: 10 }).items.map((r) => r.runId)).toEqual([
      'e',
    ]);
    expect(searchRuns(runs, { viewType: 'ALL', maxResults: 10 }).items).toHaveLength(5);
  });

  it('matches LIKE case-sensitively and ILIKE not, IS NULL on absent tags', () => {
    expect(searchRuns(runs, { filter: "params.model LIKE 'Log%'", maxResults: 10 }).items).toHaveLength(1);
    expect(searchRuns(runs, { filter: "params.model LIKE 'log%'", maxResults: 10 }).items).toHaveLength(0);
    expect(searchRuns(runs, { filter: "params.model ILIKE 'log%'", maxResults: 10 }).items).toHaveLength(1);
    expect(
      searchRuns(runs, { filter: 'tags.team IS NULL', maxResults: 10 }).items.map((r) => r.runId),
    ).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ["metrics.rmse < '1'", /Expected numeric value/],
    ['params.model = 1', /Expected a quoted string value/],
    ['metrics.rmse LIKE 1', /LIKE needs a quoted string/],
    ["attributes.colour = 'red'", /Invalid attribute key 'colour'/],
    ['metrics.rmse IS NULL', /only supported for tags and params/],
  ])('fails %s', (filter, message) => {
    expect(() => searchRuns(runs, { filter, maxResults: 10 })).toThrow(message);
  });

  it('fails a page token it did not issue', () => {
    expect(() => searchRuns(runs, { maxResults: 1, pageToken: 'garbage!' })).toThrow(/page_token/);
  });
});

describe('like', () => {
  it.each([
    ['my-run-1', 'my-run%', false, true],
    ['my-run-1', 'my_run_1', false, true],
    ['my-run-1', 'MY-RUN%', false, false],
    ['my-run-1', 'MY-RUN%', true, true],
    ['abc', '%b%', false, true],
    ['abc', 'a%c%', false, true],
    ['abc', '_b', false, false],
    ['a.c', 'a.c', false, true],
    ['abc', 'a.c', false, false],
    ['', '%', false, true],
  ])('%s LIKE %s (ignore case %s) is %s', (value, pattern, ignoreCase, expected) => {
    expect(like(value, pattern, ignoreCase)).toBe(expected);
  });

  it('matches a pattern of 2000 wildcards against a long value without backtracking blow-up', () => {
    // Prepare: a regular expression of this shape would take exponential time
    const pattern = `${'%a'.repeat(1000)}%b`;
    const value = 'a'.repeat(5000);
    // Act: a blow-up would run into the test's timeout
    const matched = like(value, pattern, false);
    // Assess
    expect(matched).toBe(false);
  });
});
