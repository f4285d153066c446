/**
 * Data capture as SageMaker writes it: sampled request/response pairs as JSON Lines under
 * `<DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/`, JSON and CSV payloads as text when
 * their content types are declared in CaptureContentTypeHeader, everything else base64.
 * Records are buffered and written one file per variant per flush, as SageMaker batches them.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CapturedPayload, type DataCaptureRecord, dataCaptureKey } from '../../contracts/serving';
import type { DataCaptureConfig } from './state';

export interface CaptureEvent {
  readonly endpoint: string;
  readonly variant: string;
  readonly config: DataCaptureConfig;
  readonly request: { contentType: string; body: Buffer };
  readonly response: { contentType: string; body: Buffer };
  readonly inferenceId?: string;
  readonly at: Date;
}

function payload(
  mode: 'INPUT' | 'OUTPUT',
  contentType: string,
  body: Buffer,
  config: DataCaptureConfig,
): CapturedPayload {
  const base = contentType.split(';')[0].trim();
  const header = config.CaptureContentTypeHeader;
  if (header?.JsonContentTypes?.includes(base))
    return { observedContentType: contentType, mode, data: body.toString('utf8'), encoding: 'JSON' };
  if (header?.CsvContentTypes?.includes(base))
    return { observedContentType: contentType, mode, data: body.toString('utf8'), encoding: 'CSV' };
  return { observedContentType: contentType, mode, data: body.toString('base64'), encoding: 'BASE64' };
}

/** Builds one capture line from an invocation. */
export function captureRecord(e: CaptureEvent): DataCaptureRecord {
  const modes = new Set(e.config.CaptureOptions.map((o) => o.CaptureMode));
  return {
    captureData: {
      ...(modes.has('Input')
        ? { endpointInput: payload('INPUT', e.request.contentType, e.request.body, e.config) }
        : {}),
      ...(modes.has('Output')
        ? { endpointOutput: payload('OUTPUT', e.response.contentType, e.response.body, e.config) }
        : {}),
    },
    eventMetadata: {
      eventId: randomUUID(),
      inferenceTime: e.at.toISOString(),
      ...(e.inferenceId ? { inferenceId: e.inferenceId } : {}),
    },
    eventVersion: '0',
  };
}

export class DataCaptureWriter {
  private buffers = new Map<
    string,
    { bucket: string; prefix: string; endpoint: string; variant: string; first: Date; lines: string[] }
  >();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    flushIntervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  add(e: CaptureEvent): void {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(e.config.DestinationS3Uri);
    if (!m) return;
    const id = `${e.config.DestinationS3Uri}|${e.endpoint}|${e.variant}`;
    let buffer = this.buffers.get(id);
    if (!buffer) {
      buffer = {
        bucket: m[1],
        prefix: m[2],
        endpoint: e.endpoint,
        variant: e.variant,
        first: e.at,
        lines: [],
      };
      this.buffers.set(id, buffer);
    }
    buffer.lines.push(JSON.stringify(captureRecord(e)));
  }

  /** Writes every buffered record to S3; resolves when the files are stored. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const buffers = [...this.buffers.values()];
      this.buffers.clear();
      for (const b of buffers) {
        const key = dataCaptureKey(b.prefix, b.endpoint, b.variant, b.first, randomUUID());
        try {
          await this.s3.send(
            new PutObjectCommand({
              Bucket: b.bucket,
              Key: key,
              Body: `${b.lines.join('\n')}\n`,
              ContentType: 'application/jsonl',
            }),
          );
        } catch (err) {
          console.warn(
            `local SageMaker: data capture to s3://${b.bucket}/${key} failed: ${(err as Error).message}`,
          );
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
