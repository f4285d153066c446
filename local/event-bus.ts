/**
 * The local EventBridge: a server speaking the PutEvents wire protocol (AWS JSON 1.1), so the
 * handlers' EventBridge client only changes endpoint. It records every event (in memory and in
 * `events.jsonl` under the data directory) and delivers it to the rules whose pattern matches.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventPattern, matchesPattern } from './event-pattern';
import { readJsonLines } from './state-file';

/** An event as EventBridge delivers it to targets. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: unknown;
  readonly 'event-bus-name': string;
}

export interface LocalRule {
  readonly name: string;
  readonly eventPattern: EventPattern;
  readonly target: (event: BusEvent) => Promise<void>;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: number | string;
}

const EVENT_LOG = {
  what: 'the local event log',
  recovery: 'move it aside to start with an empty event history (nothing else reads it back)',
};

export class LocalEventBus {
  public readonly events: BusEvent[] = [];
  private readonly rules: LocalRule[] = [];
  private server?: Server;

  /** @param logFile where events are appended, and read back at start, so history survives restarts */
  constructor(private readonly logFile?: string) {
    if (logFile) this.events.push(...readJsonLines<BusEvent>(logFile, EVENT_LOG));
  }

  addRule(rule: LocalRule): void {
    this.rules.push(rule);
  }

  /** Puts one event on the bus and runs matching targets (errors are logged, as a failed delivery). */
  async put(entry: PutEventsEntry): Promise<BusEvent> {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: '000000000000',
      time: toIso(entry.Time),
      region: process.env.AWS_REGION ?? 'us-east-1',
      resources: entry.Resources ?? [],
      detail: entry.Detail ? JSON.parse(entry.Detail) : {},
      'event-bus-name': entry.EventBusName ?? 'default',
    };
    this.events.push(event);
    if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify(event)}\n`);
    for (const rule of this.rules) {
      if (!matchesPattern(event, rule.eventPattern)) continue;
      rule.target(event).catch((err) => console.error(`rule ${rule.name} target failed:`, err));
    }
    return event;
  }

  /** Serves PutEvents on a loopback port; resolves to the endpoint URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (target !== 'AWSEvents.PutEvents') {
          res.statusCode = 400;
          res.end(
            JSON.stringify({
              __type: 'UnknownOperationException',
              message: `${target} is not served locally`,
            }),
          );
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          Entries?: PutEventsEntry[];
        };
        const entries = [];
        for (const entry of body.Entries ?? []) entries.push({ EventId: (await this.put(entry)).id });
        res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function toIso(time: number | string | undefined): string {
  if (time === undefined) return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  // The SDK sends epoch seconds; EventBridge reports times to the second.
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
