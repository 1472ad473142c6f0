/** `ctx.buckets`: the plugin's allowed buckets, under their real (prefixed or mapped) names. */
export interface ScopedBuckets {
  upload(key: string, body: string | Buffer, contentType: string, bucket: string): Promise<void>;
  download(key: string, bucket: string): Promise<Buffer>;
  delete(key: string, bucket: string): Promise<void>;
  /** keys in the bucket (starting with `prefix`), sorted */
  list(bucket: string, prefix?: string): Promise<string[]>;
}
