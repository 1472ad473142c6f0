import 'reflect-metadata';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import {
  BucketAccessDeniedError,
  BucketStorageError,
  InvalidObjectKeyError,
  InvalidPluginMetadataError,
  InvalidResourceOverridesError,
  InvalidTopicSubjectError,
  LocalDirectoryStorageDriver,
  Plugin,
  PluginLoadError,
  PluginManager,
  PluginModule,
  TopicAccessDeniedError,
  type PluginContext,
  type ReceivedTopicMessage,
} from 'nestjs-plugins';
import { NatsTopicTransport } from 'nestjs-plugins/nats';
import { bootApp } from '../support/boot-app.js';
import { startNatsServer } from '../../support/nats-server.js';

/**
 * Limits are errors, not crashes (SPEC §11): names a broker or a file system cannot take are
 * refused as invalid metadata or overrides, or with a library error at call time, and no
 * message reveals a host path.
 */

const LONG_TOPIC = 't'.repeat(10_000);
/** For a value whose every conversion to text throws. */
const explode = (): never => {
  throw new Error('no text for you');
};
const contexts = new Map<string, PluginContext>();

function pluginWith(name: string, resources: { allowedTopics?: string[]; allowedBuckets?: string[] }): Function {
  @Plugin({ name, version: '1.0.0', ...resources })
  class LimitsPlugin {
    onPluginInit(ctx: PluginContext): void {
      contexts.set(name, ctx);
    }
  }
  return LimitsPlugin;
}

function contextOf(name: string): PluginContext {
  const ctx = contexts.get(name);
  if (ctx === undefined) throw new Error(`plugin ${name} did not start`);
  return ctx;
}

/** Resolves with the first message, or rejects after 5 s. */
function firstMessage(subscribe: (handler: (message: ReceivedTopicMessage) => void) => Promise<unknown>): Promise<ReceivedTopicMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5_000);
    void subscribe((message) => {
      clearTimeout(timer);
      resolve(message);
    }).catch(reject);
  });
}

describe('topic name limits', () => {
  afterEach(() => contexts.clear());

  it('refuses a declared topic longer than 255 characters as invalid metadata naming the field', async () => {
    const booting = bootApp([PluginModule.forRoot({ plugins: [pluginWith('chatty', { allowedTopics: ['ok', 'x'.repeat(256)] })] as never[] })]);
    await expect(booting).rejects.toThrow(InvalidPluginMetadataError);
    await expect(booting).rejects.toThrow(
      'Invalid metadata for plugin "chatty": allowedTopics must be an array of non-empty strings of at most 255 characters',
    );
  });

  it('accepts a declared topic of exactly 255 characters', async () => {
    const app = await bootApp([PluginModule.forRoot({ plugins: [pluginWith('edge', { allowedTopics: ['x'.repeat(255)] })] as never[] })]);
    await app.close();
  });

  it('refuses long allowed or mapped topic names in overrides, from forRoot and at runtime', async () => {
    const booting = bootApp([
      PluginModule.forRoot({
        plugins: [pluginWith('mapped', { allowedTopics: ['orders'] })] as never[],
        overrides: { mapped: { topicNameMap: { orders: LONG_TOPIC } } },
      }),
    ]);
    await expect(booting).rejects.toThrow(InvalidResourceOverridesError);
    await expect(booting).rejects.toThrow(
      'Invalid resource overrides for plugin "mapped": topicNameMap must map non-empty strings of at most 255 characters to non-empty strings of at most 255 characters',
    );

    const app = await bootApp([PluginModule.forRoot({ plugins: [pluginWith('mapped', { allowedTopics: ['orders'] })] as never[] })]);
    try {
      const manager = app.get(PluginManager);
      expect(() => manager.setResourceOverrides('mapped', { allowedTopics: ['y'.repeat(256)] })).toThrow(
        'Invalid resource overrides for plugin "mapped": allowedTopics must be an array of non-empty strings of at most 255 characters',
      );
      await expect(manager.load(pluginWith('late', { allowedTopics: ['a'] }) as never, { topicNameMap: { a: LONG_TOPIC } })).rejects.toThrow(
        InvalidResourceOverridesError,
      );
    } finally {
      await app.close();
    }
  });

  it('refuses a topic name that is not a string with TopicAccessDeniedError', async () => {
    const app = await bootApp([PluginModule.forRoot({ plugins: [pluginWith('typed', { allowedTopics: ['1'] })] as never[] })]);
    try {
      const topics = contextOf('typed').topics;
      for (const topic of [1, undefined, null, { toString: () => '1' }, Symbol('1'), { toJSON: explode, toString: explode }]) {
        await expect(topics.send(topic as never, [{ value: 1 }])).rejects.toThrow(TopicAccessDeniedError);
        await expect(topics.subscribe(topic as never, () => {})).rejects.toThrow(TopicAccessDeniedError);
      }
    } finally {
      await app.close();
    }
  });
});

// Decided before `describe`, so a machine without NATS shows a skipped suite that says why instead of passing.
const natsServer = await startNatsServer();
const describeWithNats = natsServer === undefined ? describe.skip : describe;

describeWithNats(
  natsServer === undefined ? 'topic limits on a real NATS server (skipped: no NATS_URL and no nats-server binary)' : 'topic limits on a real NATS server',
  () => {
    let connection: NatsConnection;
    let app: INestApplication;

    beforeAll(async () => {
      // One connection shared by every plugin, as a host would have it.
      connection = await connect({ servers: natsServer!.url });
      app = await bootApp([
        PluginModule.forRoot({
          plugins: [pluginWith('listener', { allowedTopics: ['news'] }), pluginWith('p'.repeat(1_100), { allowedTopics: ['news'] })] as never[],
          topicTransport: new NatsTopicTransport(connection),
          overrides: { listener: { topicNameMap: { news: 'shared.news' } } },
        }),
      ]);
    });
    afterAll(async () => {
      await app?.close();
      await connection?.close();
      await natsServer?.stop();
    });

    async function otherPluginsStillHear(): Promise<void> {
      const listener = contextOf('listener').topics;
      const heard = firstMessage((handler) => listener.subscribe('news', handler));
      // Give the subscription its round trip before sending.
      await connection.flush();
      await listener.send('news', [{ value: 'still here' }]);
      expect(await heard).toEqual({ topic: 'news', value: 'still here' });
      expect(connection.isClosed()).toBe(false);
    }

    it('refuses a runtime plugin declaring a 10,000-character topic; the shared connection keeps serving the others', async () => {
      const loading = app.get(PluginManager).load(pluginWith('flooder', { allowedTopics: [LONG_TOPIC] }) as never);
      await expect(loading).rejects.toThrow(PluginLoadError);
      await expect(loading).rejects.toThrow('allowedTopics must be an array of non-empty strings of at most 255 characters');
      await otherPluginsStillHear();
    });

    it('refuses a real subject over 1024 bytes (a long plugin name plus prefix) before it reaches the server', async () => {
      const longNamed = contextOf('p'.repeat(1_100)).topics;
      await expect(longNamed.send('news', [{ value: 1 }])).rejects.toThrow(InvalidTopicSubjectError);
      await expect(longNamed.subscribe('news', () => {})).rejects.toThrow('it is longer than 1024 bytes');
      await otherPluginsStillHear();
    });

    it('keeps the call-time name check ahead of the transport: an undeclared 10,000-character topic is only denied', async () => {
      await expect(contextOf('listener').topics.send(LONG_TOPIC, [{ value: 1 }])).rejects.toThrow(TopicAccessDeniedError);
      await otherPluginsStillHear();
    });
  },
);

describe('bucket limits', () => {
  let root: string;
  let app: INestApplication;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bucket-limits-'));
    app = await bootApp([
      PluginModule.forRoot({
        plugins: [pluginWith('keeper', { allowedBuckets: ['files', 'b'.repeat(300)] })] as never[],
        storageDriver: new LocalDirectoryStorageDriver(root),
      }),
    ]);
  });
  afterEach(async () => {
    await app.close();
    contexts.clear();
    await rm(root, { recursive: true, force: true });
  });

  /** Runs the operation, expects it to fail with `type`, and that the message does not show where the data lives. */
  async function failure<T extends Error>(operation: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
    const error = await operation.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(type);
    const { message, stack } = error as Error;
    expect(message).not.toContain(root);
    expect(message).not.toContain(tmpdir());
    expect(`${(error as Error & { cause?: { message?: string } }).cause?.message ?? ''}`).not.toContain(root);
    expect(stack).toBeDefined();
    return error as T;
  }

  it('refuses a key segment over 255 bytes and a key over 1024 bytes, counted in UTF-8', async () => {
    const buckets = contextOf('keeper').buckets;
    const longSegment = await failure(buckets.upload(`dir/${'s'.repeat(256)}`, 'x', 'text/plain', 'files'), InvalidObjectKeyError);
    expect(longSegment.message).toContain('it has a segment longer than 255 bytes');
    // 128 two-byte characters: 128 characters, 256 bytes.
    await failure(buckets.download('é'.repeat(128), 'files'), InvalidObjectKeyError);
    await failure(buckets.delete(Array.from({ length: 5 }, () => 'k'.repeat(250)).join('/'), 'files'), InvalidObjectKeyError);
    await failure(buckets.list('files', `${'s'.repeat(256)}/`), InvalidObjectKeyError);

    await buckets.upload(`${'s'.repeat(255)}/${'t'.repeat(255)}`, 'fits', 'text/plain', 'files');
    expect((await buckets.download(`${'s'.repeat(255)}/${'t'.repeat(255)}`, 'files')).toString()).toBe('fits');
  });

  it('refuses keys that are not strings with InvalidObjectKeyError, not a TypeError', async () => {
    const buckets = contextOf('keeper').buckets;
    for (const key of [42, undefined, null, { split: () => ['a'] }, ['a'], 10n, Symbol('a'), { toJSON: explode, toString: explode }]) {
      const error = await failure(buckets.upload(key as never, 'x', 'text/plain', 'files'), InvalidObjectKeyError);
      expect(error.message).toMatch(/it is not a string \(got \w+\)$/);
      await failure(buckets.download(key as never, 'files'), InvalidObjectKeyError);
      await failure(buckets.delete(key as never, 'files'), InvalidObjectKeyError);
      if (key !== undefined) await failure(buckets.list('files', key as never), InvalidObjectKeyError);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses bucket names that are not strings with BucketAccessDeniedError', async () => {
    const buckets = contextOf('keeper').buckets;
    for (const bucket of [1, undefined, null, { toString: () => 'files' }, Symbol('files'), { toJSON: explode, toString: explode }]) {
      await failure(buckets.upload('a', 'x', 'text/plain', bucket as never), BucketAccessDeniedError);
      await failure(buckets.list(bucket as never), BucketAccessDeniedError);
    }
  });

  it('turns what the file system throws into BucketStorageError naming the plugin, bucket and key only', async () => {
    const buckets = contextOf('keeper').buckets;
    // Its real directory name, "keeper_bbb…", is longer than a file name may be.
    const tooLong = await failure(buckets.upload('a', 'x', 'text/plain', 'b'.repeat(300)), BucketStorageError);
    expect(tooLong).toMatchObject({ code: 'PLUGIN_BUCKET_STORAGE_FAILED', pluginName: 'keeper', operation: 'upload', key: 'a', storageCode: 'ENAMETOOLONG' });
    expect(tooLong.message).toBe(`Plugin "keeper" could not upload object "a" in bucket "${'b'.repeat(300)}": the storage failed (ENAMETOOLONG)`);
    expect(tooLong.cause).toBeUndefined();
    await failure(buckets.download('a', 'b'.repeat(300)), BucketStorageError);
    await failure(buckets.list('b'.repeat(300)), BucketStorageError);

    // A file where a folder would have to be.
    await buckets.upload('report', 'x', 'text/plain', 'files');
    const blocked = await failure(buckets.upload('report/q1', 'x', 'text/plain', 'files'), BucketStorageError);
    expect(blocked.message).toMatch(/^Plugin "keeper" could not upload object "report\/q1" in bucket "files": the storage failed \(E[A-Z]+\)$/);
  });
});
