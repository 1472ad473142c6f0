// `nestjs-plugins/s3`: buckets in S3 or an S3-compatible store. Its own entry because it needs `@aws-sdk/client-s3` (an optional peer).
export { S3StorageDriver, type S3StorageDriverOptions } from '../resources/buckets/s3.storage-driver.js';
