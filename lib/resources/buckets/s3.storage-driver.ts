import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageDriver } from './storage-driver.interface.js';

type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3StorageDriverOptions {
  /**
   * Create a bucket on the first upload into it. Until then it reads as empty. Without
   * this, provisioning buckets is the host's job and a missing one is an error.
   */
  createBuckets?: boolean;
}

/** Keeps object `<key>` of bucket `<bucket>` as that key in that S3 bucket, with its content type. */
export class S3StorageDriver implements StorageDriver {
  /** The SDK is an optional peer dependency, so it is loaded on first use rather than when the library is imported. */
  private sdk?: Promise<S3Sdk>;

  constructor(
    private readonly client: S3Client,
    private readonly options: S3StorageDriverOptions = {},
  ) {}

  async put(bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
    const { PutObjectCommand } = await this.loadSdk();
    const upload = () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    try {
      await upload();
    } catch (error) {
      if (!this.options.createBuckets || !isS3Error(error, 'NoSuchBucket')) throw error;
      await this.createBucket(bucket);
      await upload();
    }
  }

  async get(bucket: string, key: string): Promise<Buffer | undefined> {
    const { GetObjectCommand } = await this.loadSdk();
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      if (isS3Error(error, 'NoSuchKey') || this.isBucketNotYetCreated(error)) return undefined;
      throw error;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    const { DeleteObjectCommand } = await this.loadSdk();
    try {
      // S3 answers a delete of a missing key with success.
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (!this.isBucketNotYetCreated(error)) throw error;
    }
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const { ListObjectsV2Command } = await this.loadSdk();
    const keys: string[] = [];
    let continuationToken: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: continuationToken }),
        );
        for (const object of page.Contents ?? []) keys.push(object.Key!);
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (continuationToken);
    } catch (error) {
      if (!this.isBucketNotYetCreated(error)) throw error;
    }
    return keys;
  }

  private async createBucket(bucket: string): Promise<void> {
    const { CreateBucketCommand } = await this.loadSdk();
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // Another upload created it first, or it belongs to someone else; the retried upload tells which.
      if (!isS3Error(error, 'BucketAlreadyOwnedByYou') && !isS3Error(error, 'BucketAlreadyExists')) throw error;
    }
  }

  private isBucketNotYetCreated(error: unknown): boolean {
    return this.options.createBuckets === true && isS3Error(error, 'NoSuchBucket');
  }

  private loadSdk(): Promise<S3Sdk> {
    return (this.sdk ??= import('@aws-sdk/client-s3'));
  }
}

/** SDK errors carry the S3 error code as their name; matching on it works whichever copy of the SDK threw. */
function isS3Error(error: unknown, code: string): boolean {
  return (error as { name?: unknown } | undefined)?.name === code;
}
