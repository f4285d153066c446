/**
 * Room to grow in CloudFormation: with every capability on and the config at its maxima, each
 * template the app synthesizes (the platform stack and every nested stack) stays well under
 * CloudFormation's quotas: 500 resources (held here to 400: 20% headroom), 1 MB (CDK uploads
 * templates as assets, so the 51,200-byte inline limit does not apply), 200 parameters and 200
 * outputs (the references between nested stacks).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ENDPOINT_RESOURCES, groupEndpoints } from '../../lib/serving/endpoint-groups';
import { ECS_ENDPOINTS, fullFleetApp, SAGEMAKER_ENDPOINTS, SKIP_BUNDLING } from './helpers';

const MAX_RESOURCES = 400;
const MAX_BYTES = 1024 * 1024;
const MAX_PARAMETERS = 200;
const MAX_OUTPUTS = 200;

interface TemplateSize {
  readonly file: string;
  readonly resources: number;
  readonly parameters: number;
  readonly outputs: number;
  readonly bytes: number;
}

let sizes: TemplateSize[];

beforeAll(() => {
  const outdir = fullFleetApp(SKIP_BUNDLING).synth().directory;
  sizes = readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((file) => {
      const template = JSON.parse(readFileSync(path.join(outdir, file), 'utf8'));
      return {
        file,
        resources: Object.keys(template.Resources ?? {}).length,
        parameters: Object.keys(template.Parameters ?? {}).length,
        outputs: Object.keys(template.Outputs ?? {}).length,
        bytes: statSync(path.join(outdir, file)).size,
      };
    });
}, 300_000);

describe('CloudFormation quotas with a full config', () => {
  it('synthesizes the platform stack and one nested stack per capability and endpoint group', () => {
    const groups = groupEndpoints(
      Array.from({ length: SAGEMAKER_ENDPOINTS + ECS_ENDPOINTS }, (_, i) => ({
        backend: i >= SAGEMAKER_ENDPOINTS ? ('ecs' as const) : ('sagemaker' as const),
      })),
    ).length;
    expect(sizes).toHaveLength(1 + 7 + groups);
    expect(sizes.filter((s) => /Endpoints\d+Stack/.test(s.file))).toHaveLength(groups);
  });

  it.each([
    ['resources', MAX_RESOURCES],
    ['parameters', MAX_PARAMETERS],
    ['outputs', MAX_OUTPUTS],
    ['bytes', MAX_BYTES],
  ] as const)('keeps every template under %s < %d', (key, max) => {
    const over = sizes.filter((s) => s[key] >= max).map((s) => `${s.file}: ${s[key]}`);
    expect(over).toEqual([]);
  });

  it('fails the budget check for all endpoints in one stack', () => {
    // An ungrouped layout: the check above would catch it.
    const oneStack =
      SAGEMAKER_ENDPOINTS * ENDPOINT_RESOURCES.sagemaker + ECS_ENDPOINTS * ENDPOINT_RESOURCES.ecs;
    expect(oneStack).toBeGreaterThan(MAX_RESOURCES);
  });
});
