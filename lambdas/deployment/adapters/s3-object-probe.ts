/** Whether an `s3://` object exists (HeadObject; a 404 is `false`, anything else throws). */
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export class S3ObjectProbe {
  constructor(private readonly s3: S3Client) {}

  async exists(url: string): Promise<boolean> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
    if (!match) throw new Error(`not an s3:// URL: ${url}`);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: match[1], Key: match[2] }));
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }
}
