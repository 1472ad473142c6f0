import { S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = fileURLToPath(new URL('./s3rver-process.cjs', import.meta.url));

/**
 * A real S3-compatible server (s3rver) on a free port of 127.0.0.1, storing into a fresh
 * temporary directory. It runs in a child process; `s3rver-process.cjs` says why.
 */
export class LocalS3 {
  private constructor(
    private readonly server: ChildProcess,
    private readonly directory: string,
    readonly endpoint: string,
  ) {}

  /** `buckets` exist from the start (s3rver's `configureBuckets`); any other bucket must be created. */
  static async start(buckets: string[] = []): Promise<LocalS3> {
    const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
    const server = spawn(process.execPath, ['--openssl-legacy-provider', SERVER_SCRIPT, JSON.stringify({ directory, buckets })], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(server, 'exit').then(([code]) => {
      throw new Error(`s3rver exited with code ${code} before listening`);
    });
    const [line] = await Promise.race([once(createInterface({ input: server.stdout! }), 'line'), exited]);
    const { port } = JSON.parse(line as string) as { port: number };
    return new LocalS3(server, directory, `http://127.0.0.1:${port}`);
  }

  /** A client as a host would configure one for an S3-compatible server (s3rver's fixed credentials). */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  }

  async stop(): Promise<void> {
    const exited = once(this.server, 'exit');
    this.server.stdin!.end();
    await exited;
    await rm(this.directory, { recursive: true, force: true });
  }
}
