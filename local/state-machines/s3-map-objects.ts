/**
 * The S3 objects a Distributed Map reads and writes locally (its ItemReader's object, streamed, or
 * listed prefix, its ResultWriter files), on an S3 client pointed at the stand-in.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { MapObjects } from './distributed-map';

export function s3MapObjects(s3: Pick<S3Client, 'send'>): MapObjects {
  return {
    get: async (bucket, key) =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString(),
    stream: async function* (bucket, key) {
      const body = (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
      body.setEncoding('utf8');
      for await (const chunk of body) yield chunk as string;
    },
    put: async (bucket, key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    list: async (bucket, prefix) => {
      const objects: Array<{ Key: string; Size: number }> = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) objects.push({ Key: o.Key!, Size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
  };
}
