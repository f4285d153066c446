/** Sending a file with a presigned request the platform answered (a model artifact, a batch input). */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CliFailure } from './context';
import { EXIT } from './exit-codes';
import type { Output } from './output';

/** Streams the file with the presigned request's signed headers, reporting progress on stderr. */
export async function presignedUpload(
  file: string,
  sizeBytes: number,
  request: { method: string; url: string; headers: Record<string, string> },
  out: Output,
): Promise<void> {
  let sent = 0;
  let shown = -1;
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of createReadStream(file)) {
        sent += (chunk as Buffer).length;
        const percent = Math.floor((sent / sizeBytes) * 100);
        if (percent >= shown + 10 || sent === sizeBytes) {
          shown = percent;
          out.note(`upload ${percent}% (${sent}/${sizeBytes} bytes)`);
        }
        yield chunk;
      }
    })(),
  );
  const response = await fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, 'content-length': String(sizeBytes) },
    body: Readable.toWeb(counted) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!response.ok)
    throw new CliFailure(
      `upload answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      EXIT.UNAVAILABLE,
    );
}
