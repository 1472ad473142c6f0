import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { compiledFixture, compiledLibrary, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

/**
 * SPEC §13: one plugin file, unchanged, inline, in a worker thread and in a child process; every
 * member of its context crosses the boundary, and the host says who calls.
 */
describe.each(['inline', 'thread', 'process'] as const)('an isolated plugin in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: INestApplication;
  let baseUrl: string;
  let bucketDirectory: string;

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    const { PeerPlugin } = await import(compiledFixture('peer/peer.plugin.js'));
    const { CallerPlugin } = await import(compiledFixture('peer/caller.plugin.js'));
    bucketDirectory = await mkdtemp(join(tmpdir(), 'isolation-buckets-'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true }),
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({
          plugins: [PeerPlugin, CallerPlugin],
          pluginsDir: compiledFixture('echo'),
          isolation: { 'iso-echo': mode },
          storageDriver: new lib.LocalDirectoryStorageDriver(bucketDirectory),
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await rm(bucketDirectory, { recursive: true, force: true });
  });

  const registry = () => app.get(lib.PluginRegistry);
  /** Inline answers may be plain values; isolated ones are always promises. */
  const call = (name: string, method: string, ...args: unknown[]): Promise<any> => Promise.resolve((registry() as any).call(name, method, ...args));

  it('answers exposed methods through the registry and a typed handle', async () => {
    await expect(call('iso-echo', 'add', 2, 3)).resolves.toBe(5);
    await expect(call('iso-echo', 'echo', { nested: [1, 'two'] })).resolves.toEqual({ nested: [1, 'two'] });
    await expect(Promise.resolve((registry().get('iso-echo') as any).add(4, 5))).resolves.toBe(9);
    expect(registry().list().find((info) => info.name === 'iso-echo')?.state).toBe('active');
  });

  it('carries ctx.call both ways, with the caller named by the host', async () => {
    await expect(call('iso-echo', 'callPeer', 4)).resolves.toEqual({ value: 8, callerPluginId: 'iso-echo' });
    await expect(call('iso-caller', 'askEcho')).resolves.toEqual({ callerPluginId: 'iso-caller', tenantId: undefined });
    await expect(lib.PluginCallContext.run({ tenantId: 'acme' }, () => call('iso-echo', 'whoCalls'))).resolves.toEqual({ tenantId: 'acme' });
  });

  it('gives its ctx.logger lines the plugin, tenant and caller, as inline', async () => {
    const { pluginLogBook } = await import(compiledLibrary('observability/logs/plugin-log-book.js'));
    await lib.PluginCallContext.run({ tenantId: 'acme' }, () => call('iso-caller', 'askEchoToLog', `logged in ${mode}`));
    const line = pluginLogBook.of('iso-echo').lines.find((entry: { message: string }) => entry.message === `logged in ${mode}`);
    expect(line).toMatchObject({ plugin: 'iso-echo', level: 'log', tenant: 'acme', caller: 'iso-caller' });
    // Outside any call the line names no caller.
    await call('iso-echo', 'logLine', `uncalled in ${mode}`);
    expect(pluginLogBook.of('iso-echo').lines.find((entry: { message: string }) => entry.message === `uncalled in ${mode}`)).not.toHaveProperty('caller');
  });

  it('keeps the class, code and message of errors', async () => {
    const failure = await (call('iso-echo', 'callUndeclared') as Promise<unknown>).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(lib.UndeclaredDependencyError);
    expect(failure).toMatchObject({ code: 'PLUGIN_UNDECLARED_DEPENDENCY', message: 'Plugin "iso-echo" did not declare a dependency on "iso-nobody"' });
  });

  it('hears the host’s events (wildcards, @OnPluginEvent) and emits its own to the host', async () => {
    const emitter = app.get(EventEmitter2);
    const heardByHost: unknown[] = [];
    emitter.on('guest:hello', (payload: unknown) => heardByHost.push(payload));
    emitter.emit('host:one', { n: 1 });
    emitter.emit('host:decorated', { n: 2 });
    await call('iso-echo', 'emit', 'guest:hello', { from: 'echo' });
    await waitUntil(async () => ((await call('iso-echo', 'heard')) as any).decorated.length === 1 && heardByHost.length === 1, 'events both ways');
    const heard = (await call('iso-echo', 'heard')) as any;
    expect(heard.events).toEqual(expect.arrayContaining([{ n: 1 }]));
    expect(heard.decorated).toEqual([{ n: 2 }]);
    expect(heardByHost).toEqual([{ from: 'echo' }]);
  });

  it('uses its table through the injected repository and raw SQL, checked by the host', async () => {
    await call('iso-echo', 'addNote', 'first');
    await call('iso-echo', 'addNote', 'second');
    await expect(call('iso-echo', 'noteTexts')).resolves.toEqual(['first', 'second']);
    await expect(call('iso-echo', 'readForeignTable')).rejects.toBeInstanceOf(lib.TableAccessDeniedError);
  });

  it('publishes and receives on its topic', async () => {
    await call('iso-echo', 'publish', 'extra');
    await waitUntil(async () => ((await call('iso-echo', 'heard')) as any).news.includes('extra'), 'the topic message');
  });

  it('uploads, downloads and lists in its bucket', async () => {
    await expect(call('iso-echo', 'bucketRoundTrip', 'a.txt', 'hello bucket')).resolves.toEqual({ text: 'hello bucket', keys: ['a.txt'] });
  });

  it('writes shared data as its own owner', async () => {
    await expect(call('iso-echo', 'shareAndRead', `key-${mode}`, { v: 1 })).resolves.toEqual({ v: 1 });
    await expect(app.get(lib.SharedDataService).list('iso', { ownerId: 'iso-echo' })).resolves.toContain(`key-${mode}`);
  });

  it('serves its ctx.http routes under /plugins/<name>/', async () => {
    const response = await fetch(`${baseUrl.replace('[::1]', '127.0.0.1')}/plugins/iso-echo/hello/bob?x=1`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ hello: 'bob', query: '1' });
  });
});
