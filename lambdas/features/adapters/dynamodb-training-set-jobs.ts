/**
 * Training-set jobs: the job record in DynamoDB (status moves by conditional update, so two
 * workers cannot both run a job) and the request in S3, since inline entity rows can exceed
 * DynamoDB's 400 KB item limit.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TrainingSetJob, TrainingSetJobStatus } from '../../../contracts/features';
import { featureKeys } from '../../../contracts/tables';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import type { StoredTrainingSetRequest, TrainingSetJobStore } from '../domain/ports';
import { TRAINING_PREFIX } from './offline-layout';

export interface DynamoDbTrainingSetJobsProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  readonly s3: S3Client;
  readonly bucket: string;
}

export class DynamoDbTrainingSetJobs implements TrainingSetJobStore {
  constructor(private readonly props: DynamoDbTrainingSetJobsProps) {}

  private requestKey(jobId: string) {
    return `${TRAINING_PREFIX}${jobId}/request.json`;
  }

  async createJob(job: TrainingSetJob, request: StoredTrainingSetRequest): Promise<void> {
    // The request first: a job record always has its request to run.
    await this.props.s3.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        Key: this.requestKey(job.jobId),
        Body: JSON.stringify(request),
        ContentType: 'application/json',
      }),
    );
    await this.props.client.send(
      new PutCommand({
        TableName: this.props.table,
        Item: { ...featureKeys.job(job.jobId), ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getJob(jobId: string): Promise<TrainingSetJob | undefined> {
    const out = await this.props.client.send(
      new GetCommand({ TableName: this.props.table, Key: featureKeys.job(jobId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...job } = out.Item;
    return job as TrainingSetJob;
  }

  async getRequest(jobId: string): Promise<StoredTrainingSetRequest | undefined> {
    try {
      const out = await this.props.s3.send(
        new GetObjectCommand({ Bucket: this.props.bucket, Key: this.requestKey(jobId) }),
      );
      return JSON.parse(await out.Body!.transformToString());
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  /** Every job id with a stored request (the S3 listing of `features/training/<jobId>/request.json`). */
  async listJobIds(): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.props.s3.send(
        new ListObjectsV2Command({
          Bucket: this.props.bucket,
          Prefix: TRAINING_PREFIX,
          ContinuationToken: token,
        }),
      );
      for (const o of out.Contents ?? []) {
        const m = o.Key && /^[^/]+\/[^/]+\/([0-9a-f-]{36})\/request\.json$/.exec(o.Key);
        if (m) ids.push(m[1]);
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return ids;
  }

  /** Adds an erasure to the job's `erasureIds` (once: a re-run adds nothing). */
  async flagErasure(jobId: string, erasureId: string): Promise<void> {
    try {
      await this.props.client.send(
        new UpdateCommand({
          TableName: this.props.table,
          Key: featureKeys.job(jobId),
          UpdateExpression: 'SET erasureIds = list_append(if_not_exists(erasureIds, :empty), :id)',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(erasureIds, :idValue)',
          ExpressionAttributeValues: { ':empty': [], ':id': [erasureId], ':idValue': erasureId },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async transitionJob(
    jobId: string,
    from: TrainingSetJobStatus,
    to: TrainingSetJobStatus,
    fields: Partial<Pick<TrainingSetJob, 'outputUri' | 'rowCount' | 'error'>> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': from, ':to': to, ':at': new Date().toISOString() };
    let update = 'SET #status = :to, updatedAt = :at';
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      update += `, #${name} = :${name}`;
    }
    try {
      await this.props.client.send(
        new UpdateCommand({
          TableName: this.props.table,
          Key: featureKeys.job(jobId),
          UpdateExpression: update,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
