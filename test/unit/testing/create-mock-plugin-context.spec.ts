import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import {
  BucketAccessDeniedError,
  InjectPluginContext,
  InvalidTaskScheduleError,
  TaskAlreadyScheduledError,
  MethodNotExposedError,
  TopicAccessDeniedError,
  UndeclaredDependencyError,
  type PluginContext,
  type ReceivedTopicMessage,
} from 'nestjs-plugins';
import { createMockPluginContext, MockMemberMissingError, RecordingLogger } from 'nestjs-plugins/testing';

/** A provider as a plugin would write it: everything it does goes through its context. */
@Injectable()
class Greeter {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  async greet(userId: string): Promise<string> {
    const score = (await this.ctx.call('user-utils', 'getScore', userId)) as number;
    this.ctx.logger.log(`greeting ${userId}`);
    this.ctx.eventBus.emit('greeting:sent', { userId, score });
    return `hello ${userId} (${score})`;
  }
}

describe('createMockPluginContext', () => {
  it('serves a provider unit test: dependencies answer calls, logs and emitted events are recorded', async () => {
    const ctx = createMockPluginContext({ plugin: { name: 'greeter' }, dependencies: { 'user-utils': { getScore: async () => 3 } } });

    await expect(new Greeter(ctx).greet('ada')).resolves.toBe('hello ada (3)');
    expect(ctx.logs.messages('log')).toEqual(['greeting ada']);
    expect(ctx.events.emitted).toEqual([{ event: 'greeting:sent', values: [{ userId: 'ada', score: 3 }] }]);
    expect(ctx.events.payloadsOf('greeting:sent')).toEqual([{ userId: 'ada', score: 3 }]);
  });

  it('has defaults for a context nobody configured', () => {
    const ctx = createMockPluginContext();
    expect(ctx.plugin).toEqual({ name: 'test-plugin', version: '0.0.0' });
    expect(ctx.config).toEqual({});
    expect(ctx.valid).toBe(true);
    expect(ctx.logger).toBe(ctx.logs);
    expect(ctx.eventBus).toBe(ctx.events);
  });

  it('throws UndeclaredDependencyError for names it was not given, MethodNotExposedError for unknown methods', () => {
    const ctx = createMockPluginContext({ plugin: { name: 'greeter' }, dependencies: { scores: { top: () => 1 } } });
    expect(() => ctx.call('tracker', 'track')).toThrow(new UndeclaredDependencyError('greeter', 'tracker'));
    expect(() => ctx.getDependency('tracker')).toThrow('Plugin "greeter" did not declare a dependency on "tracker"');
    expect(() => ctx.call('scores', 'nope')).toThrow(MethodNotExposedError);
    expect(ctx.getDependency('scores')?.top()).toBe(1);
    expect([...ctx.getDependencies().keys()]).toEqual(['scores']);
  });

  it('has an event bus honouring on, once, off and wildcards', () => {
    const ctx = createMockPluginContext();
    const seen: string[] = [];
    const any = (payload: string) => seen.push(`any:${payload}`);
    ctx.eventBus.on('data:*', any);
    ctx.eventBus.once('data:saved', (payload: string) => seen.push(`once:${payload}`));
    ctx.eventBus.emit('data:saved', 'a');
    ctx.eventBus.emit('data:saved', 'b');
    ctx.eventBus.off('data:*', any);
    ctx.eventBus.emit('data:saved', 'c');
    // EventEmitter2 calls exact-name listeners before wildcard ones, so only the set per emit is stable.
    expect(seen.sort()).toEqual(['any:a', 'any:b', 'once:a']);
    expect(ctx.events.emitted.map((entry) => entry.values[0])).toEqual(['a', 'b', 'c']);
  });

  it('keeps topics and buckets in memory behind the allow-lists of its metadata', async () => {
    const ctx = createMockPluginContext({ plugin: { name: 'orders', allowedTopics: ['placed'], allowedBuckets: ['invoices'] } });
    const received: ReceivedTopicMessage[] = [];
    const unsubscribe = await ctx.topics.subscribe('placed', (message) => received.push(message));
    await ctx.topics.send('placed', [{ value: 1 }]);
    await unsubscribe();
    await ctx.topics.send('placed', [{ value: 2 }]);
    expect(received).toEqual([{ topic: 'placed', value: 1 }]);
    await expect(ctx.topics.send('other', [])).rejects.toThrow(TopicAccessDeniedError);

    await ctx.buckets.upload('a.txt', 'A', 'text/plain', 'invoices');
    await expect(ctx.buckets.download('a.txt', 'invoices')).resolves.toEqual(Buffer.from('A'));
    expect(ctx.storage.bucketNames()).toEqual(['orders_invoices']);
    await expect(ctx.buckets.list('photos')).rejects.toThrow(BucketAccessDeniedError);
  });

  it('throws a clear error for database, sharedData and http unless given', () => {
    const ctx = createMockPluginContext({ plugin: { name: 'greeter' } });
    expect(() => ctx.database).toThrow(new MockMemberMissingError('greeter', 'database'));
    expect(() => ctx.sharedData).toThrow('Mock context of plugin "greeter" has no sharedData: pass one to createMockPluginContext({ sharedData })');
    expect(() => ctx.http).toThrow(MockMemberMissingError);
    expect(new MockMemberMissingError('greeter', 'http').code).toBe('PLUGIN_MOCK_MEMBER_MISSING');
  });

  it('lets every member given win over its default', async () => {
    const logger = new RecordingLogger();
    const database = { executeQuery: async () => [{ n: 1 }] } as unknown as PluginContext['database'];
    const call = () => 'stubbed';
    const ctx = createMockPluginContext<{ greeting: string }>({ logger, database, call: call as never, config: { greeting: 'hi' }, valid: false });

    expect(ctx.logger).toBe(logger);
    expect(ctx.database).toBe(database);
    expect((ctx.call as (...args: unknown[]) => unknown)('anything', 'x')).toBe('stubbed');
    expect(ctx.config.greeting).toBe('hi');
    expect(ctx.valid).toBe(false);
  });

  it('records scheduled tasks and runs one only when the test asks, with the checks of an application', async () => {
    const ctx = createMockPluginContext({ plugin: { name: 'rates' } });
    const runs: boolean[] = [];
    const cancel = ctx.tasks.schedule('refresh', { everyMs: 60_000, scope: 'global' }, ({ signal }) => {
      runs.push(signal.aborted);
      return 'refreshed';
    });

    expect(ctx.scheduledTasks.scheduled).toEqual([{ id: 'refresh', options: { everyMs: 60_000, scope: 'global' } }]);
    expect(runs).toEqual([]);
    await expect(ctx.scheduledTasks.run('refresh')).resolves.toBe('refreshed');
    expect(runs).toEqual([false]);
    expect(() => ctx.tasks.schedule('refresh', { everyMs: 1, scope: 'local' }, () => undefined)).toThrow(TaskAlreadyScheduledError);
    expect(() => ctx.tasks.schedule('bad', { everyMs: 0, scope: 'everywhere' as 'local' }, () => undefined)).toThrow(InvalidTaskScheduleError);

    await cancel();
    expect(ctx.scheduledTasks.scheduled).toEqual([]);
    await expect(ctx.scheduledTasks.run('refresh')).rejects.toThrow('Task "refresh" of plugin "rates" is not scheduled');
  });
});
