/**
 * The local API server writes API Gateway's metrics into the local CloudWatch, so the platform
 * template's own API alarms (5XX rate, p99 latency) evaluate and the platform dashboard's API
 * graphs draw locally. Real pieces: the synthesized platform template (its alarms, dashboard and
 * stage), the local API server over HTTP with SigV4, the local CloudWatch. The function behind the
 * route is a stand-in that can be made to fail or to be slow: what is under test is the gateway's
 * measurement. A clock moved by hand puts requests in successive 5-minute periods.
 */
import { ROUTES } from '../../contracts/routes';
import { apiMetricsRecorder, httpApiStage } from '../../local/api-metrics';
import { LocalApiServer } from '../../local/api-server';
import { type CfnTemplate, synthesizePlatformTemplate } from '../../local/cdk-template';
import {
  dashboardsFromTemplate,
  type LocalDashboard,
  widgetLines,
} from '../../local/cloudwatch/dashboard-page';
import { alarmsFromTemplate, LocalCloudWatch } from '../../local/cloudwatch/server';
import { localContext } from '../../local/context-args';
import { signedClient } from '../../local/signed-client';

const credential = {
  accessKeyId: 'AKIALOCALAPIMETRICS1',
  secretAccessKey: 'api-metrics-secret-api-metrics-secret-api',
  principalArn: 'arn:aws:iam::000000000000:user/local',
};
const FIVE_MINUTES = 300_000;
/** The p99 alarm tuned down (as `mlops:alerts` allows) so a 250 ms answer crosses it. */
const LATENCY_THRESHOLD_MS = 100;

let template: CfnTemplate;
let platformDashboard: LocalDashboard;

beforeAll(() => {
  template = synthesizePlatformTemplate({
    ...localContext([]),
    'mlops:alerts': { alarms: { apiLatencyP99: { threshold: LATENCY_THRESHOLD_MS } } },
  });
  platformDashboard = dashboardsFromTemplate(template).find((d) => d.name === 'mlops-dev-platform')!;
}, 120_000);

/** A local gateway in front of a stand-in function, recording into a fresh local CloudWatch. */
async function gateway(record = true) {
  let clock = Date.now();
  const cloudWatch = new LocalCloudWatch({ alarms: alarmsFromTemplate(template), now: () => clock });
  const stage = httpApiStage(template);
  if (!stage) throw new Error('the platform template has no $default stage');
  const server = new LocalApiServer({
    credentials: [credential],
    ...(record ? { onRequest: apiMetricsRecorder(stage, cloudWatch.metrics, { now: () => clock }) } : {}),
    invoke: async (_route, event) => {
      const name = event.pathParameters?.name;
      if (name === 'slow') await new Promise((r) => setTimeout(r, 250));
      return name === 'broken'
        ? { statusCode: 500, body: JSON.stringify({ error: { code: 'INTERNAL', message: 'boom' } }) }
        : { statusCode: 200, body: JSON.stringify({ name }) };
    },
    extraRoutes: async (_req, url) =>
      url.pathname === '/_local/events' ? { status: 200, body: { items: [] } } : undefined,
  });
  const url = await server.listen(0);
  const api = signedClient(url, credential);
  return {
    api,
    url,
    cloudWatch,
    stage,
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
    close: () => server.close(),
    /** The state of the template's alarm whose logical id starts with `prefix`. */
    state: (prefix: string) => {
      const name = alarmsFromTemplate(template).find((a) => a.AlarmName.startsWith(prefix))?.AlarmName;
      if (!name) throw new Error(`no alarm ${prefix}`);
      return cloudWatch.describeAlarms({ AlarmNames: [name] }).MetricAlarms[0].StateValue;
    },
  };
}

/** Requests of one period: `broken` answers 500, `slow` takes 250 ms, the rest are quick 200s. */
async function traffic(api: ReturnType<typeof signedClient>, names: readonly string[]) {
  const statuses = [];
  for (const name of names) statuses.push((await api.call('GET', `/models/${name}`)).status);
  return statuses;
}

describe('API Gateway metrics of the local API server', () => {
  it('finds the template stage the alarms name: its API id and detailed metrics', () => {
    // Assess
    const alarm = alarmsFromTemplate(template).find((a) => a.AlarmName.startsWith('ApiHttpApiLatencyP99'));
    expect(httpApiStage(template)).toEqual({
      apiId: alarm?.Dimensions?.find((d) => d.Name === 'ApiId')?.Value,
      stageName: '$default',
      detailedMetrics: true,
    });
  });

  it("raises the template's 5XX-rate and p99-latency alarms from the requests it answered", async () => {
    // Prepare
    const g = await gateway();
    try {
      // Act: two periods, each with failures and a slow answer
      expect(await traffic(g.api, ['churn', 'broken', 'slow', 'churn'])).toEqual([200, 500, 200, 200]);
      g.advance(FIVE_MINUTES);
      expect(await traffic(g.api, ['broken', 'slow', 'churn'])).toEqual([500, 200, 200]);

      // Assess: 2 of 3 periods breach each alarm (their DatapointsToAlarm)
      expect(g.state('ApiHttpApiServerErrorRateAlarm')).toBe('ALARM');
      expect(g.state('ApiHttpApiLatencyP99Alarm')).toBe('ALARM');
    } finally {
      await g.close();
    }
  });

  it('keeps them OK when one period of three breaches, and never fires on unrecorded traffic', async () => {
    // Prepare
    const quiet = await gateway();
    const unrecorded = await gateway(false);
    try {
      // Act: one quick, successful period and one bad one; the unrecorded gateway gets two bad ones
      await traffic(quiet.api, ['churn', 'churn']);
      quiet.advance(FIVE_MINUTES);
      await traffic(quiet.api, ['broken', 'slow', 'churn']);
      for (let period = 0; period < 2; period++) {
        await traffic(unrecorded.api, ['broken', 'slow', 'churn']);
        unrecorded.advance(FIVE_MINUTES);
      }
      // Assess: 1 of 3 is not the alarms' 2; without metrics (missing data is not breaching) no alarm
      for (const g of [quiet, unrecorded]) {
        expect([g.state('ApiHttpApiServerErrorRateAlarm'), g.state('ApiHttpApiLatencyP99Alarm')]).toEqual([
          'OK',
          'OK',
        ]);
      }
    } finally {
      await quiet.close();
      await unrecorded.close();
    }
  });

  it("fills the platform dashboard's API graphs, the route's own included", async () => {
    // Prepare
    const g = await gateway();
    try {
      await traffic(g.api, ['churn', 'broken']);
      // Refused (unsigned) and unknown requests count too, as on AWS; local-only routes do not.
      expect((await fetch(`${g.url}/models/churn`)).status).toBe(403);
      expect((await g.api.call('GET', '/no-such-route')).status).toBe(404);
      expect((await g.api.call('GET', '/_local/events')).status).toBe(200);
      const options = { now: g.now() + 1, windowMs: FIVE_MINUTES, slots: 1 };
      const lines = (title: string) => {
        const widget = platformDashboard.widgets.find((w) => w.properties.title === title);
        if (!widget) throw new Error(`no widget ${title}`);
        return widgetLines(widget, g.cloudWatch.metrics, options).filter((l) => l.values[0] !== undefined);
      };

      // Act
      const requests = lines('API requests and errors');
      const route = ROUTES.find((r) => r.method === 'GET' && r.path === '/models/{name}')!;
      const perRoute = lines(`${route.function}: p99 latency per route (ms; right: integration latency)`);

      // Assess
      expect(requests.map((l) => [l.label.split(' ')[0], l.values[0]])).toEqual([
        ['Count', 4],
        ['4xx', 2],
        ['5xx', 1],
      ]);
      expect(lines('API latency (ms)').map((l) => l.label)).toEqual([
        expect.stringContaining('Latency'),
        expect.stringContaining('Latency'),
      ]);
      expect(perRoute.map((l) => l.label)).toEqual([
        'GET /models/{name} Latency p99',
        'GET /models/{name} IntegrationLatency p99',
      ]);
    } finally {
      await g.close();
    }
  });
});
