import 'reflect-metadata';
import type { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { firstValueFrom, skip, take, toArray } from 'rxjs';
import { PLUGIN_ERROR_EVENT, PLUGIN_EVENT_EMITTER, PLUGIN_LOADED_EVENT, PLUGIN_RESTARTING_EVENT, PLUGIN_UNLOADED_EVENT } from '../../../../lib/constants.js';
import { PluginCrashedError } from '../../../../lib/errors/index.js';
import type { ConsolePluginDetailsReader } from '../../../../lib/gateway-module/console/console-plugin-details.reader.js';
import { ConsolePluginFeed, type ConsolePluginEvent } from '../../../../lib/gateway-module/console/console-plugin-feed.js';
import type { HostPaths } from '../../../../lib/gateway-module/host-paths.js';
import type { PluginRegistry } from '../../../../lib/registry/plugin.registry.js';

describe('ConsolePluginFeed', () => {
  const emitter = new EventEmitter2();
  const registry = { list: () => [], graph: () => '{"nodes":[],"edges":[]}' } as unknown as PluginRegistry;
  const moduleRef = { get: (token: unknown) => (token === PLUGIN_EVENT_EMITTER ? emitter : undefined) } as unknown as ModuleRef;
  const paths = { hide: (text: string) => text.replaceAll('/srv/app/', '') } as HostPaths;
  let feed: ConsolePluginFeed;

  beforeEach(() => {
    feed = new ConsolePluginFeed({ detailsOf: () => undefined } as unknown as ConsolePluginDetailsReader, registry, moduleRef, paths);
    feed.onModuleInit();
  });
  afterEach(() => feed.onModuleDestroy());

  /** The next `count` events after the snapshot. */
  const events = (count: number): Promise<ConsolePluginEvent[]> =>
    firstValueFrom(feed.stream().pipe(skip(1), take(count), toArray())).then((messages) => messages.map((message) => message.data as ConsolePluginEvent));

  it('tells a load right after an unload of the same plugin as "reloaded", and another plugin\'s load as "loaded"', async () => {
    const next = events(3);
    emitter.emit(PLUGIN_UNLOADED_EVENT, { name: 'ledger' });
    emitter.emit(PLUGIN_LOADED_EVENT, { name: 'ledger' });
    emitter.emit(PLUGIN_LOADED_EVENT, { name: 'stamps' });
    expect((await next).map(({ type, plugin }) => `${plugin} ${type}`)).toEqual(['ledger unloaded', 'ledger reloaded', 'stamps loaded']);
  });

  it('tells a crash as "crashed" with its reason, host paths out', async () => {
    const next = events(2);
    emitter.emit(PLUGIN_ERROR_EVENT, { error: new PluginCrashedError('meter', 'Error: no device at /srv/app/dev/meter'), metadata: { name: 'meter' } });
    emitter.emit(PLUGIN_ERROR_EVENT, { error: new Error('bad config'), metadata: { name: 'ledger' } });
    expect((await next).map(({ type, plugin, message }) => ({ type, plugin, message }))).toEqual([
      { type: 'crashed', plugin: 'meter', message: 'Error: no device at dev/meter' },
      { type: 'error', plugin: 'ledger', message: 'bad config' },
    ]);
  });

  it('tells a crash that is restarted as "restarting", with its reason (host paths out) and which restart it is', async () => {
    const next = events(1);
    const restart = { attempt: 2, maxRestarts: 3, reason: 'exited with code 1: Error: no device at /srv/app/dev/meter' };
    emitter.emit(PLUGIN_RESTARTING_EVENT, { error: new PluginCrashedError('meter', restart.reason), metadata: { name: 'meter' }, restart });
    expect((await next).map(({ type, plugin, message }) => ({ type, plugin, message }))).toEqual([
      { type: 'restarting', plugin: 'meter', message: 'crashed: exited with code 1: Error: no device at dev/meter (restart 2 of 3)' },
    ]);
  });
});
