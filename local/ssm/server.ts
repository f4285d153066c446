/**
 * The local SSM Parameter Store: GetParameter, GetParameters and GetParametersByPath over the AWS
 * JSON 1.1 protocol (`X-Amz-Target: AmazonSSM.<Operation>`), which `@aws-sdk/client-ssm` speaks,
 * so the handlers' clients only change endpoint. The parameters are the template's
 * `AWS::SSM::Parameter` resources with their intrinsics resolved, as CloudFormation writes them
 * on deploy; they are read-only (the platform never writes parameters at run time).
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CfnTemplate } from '../cdk-template';
import { localResourceNames } from '../function-environment';
import { LOCAL_ACCOUNT, LOCAL_REGION, resolveIntrinsics } from '../state-machines/intrinsics';

const TARGET_PREFIX = 'AmazonSSM.';
/** GetParametersByPath's page size limit. */
const MAX_PAGE = 10;

export interface LocalParameter {
  readonly Name: string;
  readonly Type: 'String' | 'StringList';
  readonly Value: string;
}

/** A failure the SDK maps onto its modelled exception by `__type` (e.g. `ParameterNotFound`). */
class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The template's String and StringList parameters, values resolved with the local physical names
 * of tables and buckets, as the functions' environments are: a rollout target naming an artifact
 * by `s3://<bucket>/...` must name the bucket local mode serves.
 */
export function parametersFromTemplate(template: CfnTemplate): LocalParameter[] {
  const names = localResourceNames(template);
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::SSM::Parameter')
    .map(([id, r]) => {
      const props = resolveIntrinsics(r.Properties ?? {}, template, names) as Record<string, unknown>;
      if (typeof props.Name !== 'string')
        throw new Error(`parameter ${id} has no Name; local mode needs one`);
      return {
        Name: props.Name,
        Type: props.Type === 'StringList' ? 'StringList' : 'String',
        Value: String(props.Value),
      };
    });
}

export class LocalSsm {
  private readonly parameters = new Map<string, LocalParameter>();
  private readonly modified = Date.now() / 1000;
  private server?: Server;
  /** Requests served, by operation: lets tests see what a cache saved. */
  readonly calls: Record<string, number> = {};

  constructor(parameters: readonly LocalParameter[] = []) {
    for (const p of parameters) this.parameters.set(p.Name, p);
  }

  private describe(p: LocalParameter) {
    return {
      ...p,
      Version: 1,
      LastModifiedDate: this.modified,
      ARN: `arn:aws:ssm:${LOCAL_REGION}:${LOCAL_ACCOUNT}:parameter/${p.Name.replace(/^\//, '')}`,
      DataType: 'text',
    };
  }

  getParameter(input: { Name: string }) {
    const found = this.parameters.get(input.Name);
    if (!found) throw new SsmError('ParameterNotFound', `parameter ${input.Name} not found`);
    return { Parameter: this.describe(found) };
  }

  getParameters(input: { Names: string[] }) {
    const names = input.Names ?? [];
    return {
      Parameters: names.flatMap((n) => {
        const p = this.parameters.get(n);
        return p ? [this.describe(p)] : [];
      }),
      InvalidParameters: names.filter((n) => !this.parameters.has(n)),
    };
  }

  /** One level below `Path` unless `Recursive`; pages of at most 10, as SSM pages them. */
  getParametersByPath(input: { Path: string; Recursive?: boolean; MaxResults?: number; NextToken?: string }) {
    if (!input.Path?.startsWith('/')) throw new SsmError('ValidationException', 'Path must start with /');
    const prefix = input.Path.endsWith('/') ? input.Path : `${input.Path}/`;
    const matching = [...this.parameters.values()]
      .filter(
        (p) => p.Name.startsWith(prefix) && (input.Recursive || !p.Name.slice(prefix.length).includes('/')),
      )
      .sort((a, b) => a.Name.localeCompare(b.Name));
    const size = Math.min(input.MaxResults ?? MAX_PAGE, MAX_PAGE);
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0) throw new SsmError('InvalidNextToken', 'invalid NextToken');
    const end = start + size;
    return {
      Parameters: matching.slice(start, end).map((p) => this.describe(p)),
      ...(end < matching.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }

  /** Serves the JSON 1.1 API; resolves to the endpoint URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(body));
        };
        const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        try {
          const input = text ? JSON.parse(text) : {};
          if (operation === 'GetParameter') return reply(200, this.getParameter(input));
          if (operation === 'GetParameters') return reply(200, this.getParameters(input));
          if (operation === 'GetParametersByPath') return reply(200, this.getParametersByPath(input));
          throw new SsmError('InvalidAction', `${operation || 'this action'} is not supported locally`);
        } catch (err) {
          const type = err instanceof SsmError ? err.type : 'ValidationException';
          return reply(400, { __type: type, message: (err as Error).message });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
