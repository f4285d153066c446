/**
 * Retrieval's vector store on AWS: an Amazon S3 Vectors bucket, encrypted with the platform key,
 * holding one cosine index of float32 vectors sized for the embedding model.
 *
 * One index with a `collection` metadata filter, not an index per collection: collections are made
 * at run time through the API, so an index per collection would need the function to create and
 * delete indexes (`s3vectors:CreateIndex` on the whole bucket) outside the stack; one index the
 * stack owns keeps every grant on one index ARN, and each query filters on its collection.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-metadata-filtering.html
 */
import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import type { EmbeddingConfig } from '../../contracts/llm';
import { NON_FILTERABLE_VECTOR_METADATA } from '../../contracts/llm-rag';

/** Properties of `LlmVectorStore`. */
export interface LlmVectorStoreProps {
  /** Encrypts the vectors and their metadata (SSE-KMS). */
  readonly encryptionKey: kms.IKey;
  /** The embedding model: the index's dimension, and its name. */
  readonly embeddings: EmbeddingConfig;
  readonly envName: string;
  readonly removalPolicy: RemovalPolicy;
}

export class LlmVectorStore extends Construct {
  public readonly vectorBucket: s3vectors.CfnVectorBucket;
  public readonly index: s3vectors.CfnIndex;
  /** The vector bucket's name (fixed: the functions name it in every call). */
  public readonly vectorBucketName: string;
  /**
   * The index's name: the embedding model and size, so that another model or size is a new index
   * (CloudFormation replaces it) rather than vectors of two models mixed in one.
   */
  public readonly indexName: string;

  constructor(scope: Construct, id: string, props: LlmVectorStoreProps) {
    super(scope, id);
    this.vectorBucketName = `mlops-${props.envName}-llm-vectors`;
    const model = props.embeddings.model.replace(/[^a-z0-9.-]/g, '-');
    this.indexName = `${model.slice(0, 56)}-${props.embeddings.dimensions}`;
    this.vectorBucket = new s3vectors.CfnVectorBucket(this, 'Bucket', {
      vectorBucketName: this.vectorBucketName,
      encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: props.encryptionKey.keyArn },
    });
    this.vectorBucket.applyRemovalPolicy(props.removalPolicy);
    this.index = new s3vectors.CfnIndex(this, 'Index', {
      // By its ARN, so the index depends on the bucket.
      vectorBucketArn: this.vectorBucket.attrVectorBucketArn,
      indexName: this.indexName,
      dataType: 'float32',
      dimension: props.embeddings.dimensions,
      distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: [...NON_FILTERABLE_VECTOR_METADATA] },
    });
    this.index.applyRemovalPolicy(props.removalPolicy);
    // S3 Vectors indexes in the background with the bucket's key, as its own service principal,
    // for this account's vector bucket only.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-data-encryption.html
    const keyStack = Stack.of(props.encryptionKey);
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3VectorsIndexing',
        principals: [new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': keyStack.account },
          ArnLike: {
            'aws:SourceArn': keyStack.formatArn({
              service: 's3vectors',
              resource: 'bucket',
              resourceName: this.vectorBucketName,
            }),
          },
        },
      }),
    );
  }

  /**
   * Lets `grantee` query the index: QueryVectors, and GetVectors, which a query with a metadata
   * filter or returning metadata needs too.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_S3VectorBuckets_QueryVectors.html
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 's3vectors:QueryVectors', 's3vectors:GetVectors');
  }

  /** Lets `grantee` query the index and put and delete its vectors. */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grant(
      grantee,
      's3vectors:QueryVectors',
      's3vectors:GetVectors',
      's3vectors:PutVectors',
      's3vectors:DeleteVectors',
    );
  }

  private grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.index.attrIndexArn] });
  }
}
