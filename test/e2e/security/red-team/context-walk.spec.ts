import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Column, DataSource, Entity, EntityManager, PrimaryGeneratedColumn, Repository } from 'typeorm';
import {
  Expose,
  LocalDirectoryStorageDriver,
  Plugin,
  PluginGateway,
  PluginManager,
  PluginModule,
  PluginRegistry,
  ServiceRegistry,
  SharedDataService,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp } from '../../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../../support/test-databases.js';

/**
 * SPEC §16: the context exposes no host object. A plugin that walks everything reachable from
 * its `ctx` (own and inherited keys, getters included, Map and Set entries) after using every
 * member finds neither the DataSource nor any other host object: those are kept in private
 * fields (`#field`), which no reflection reaches.
 */

@Entity('notes')
class Note {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') text!: string;
}

@Plugin({ name: 'helper', version: '1.0.0' })
class HelperPlugin {
  @Expose()
  ping(): string {
    return 'pong';
  }
}

let walkerContext: PluginContext | undefined;

@Plugin({
  name: 'walker',
  version: '1.0.0',
  dependencies: ['helper'],
  entities: [Note],
  allowedTables: ['notes'],
  allowedTopics: ['ticks'],
  allowedBuckets: ['files'],
})
class WalkerPlugin {
  /** Every member used once, so each lazily built part of the context exists when it is walked. */
  async onPluginInit(ctx: PluginContext): Promise<void> {
    walkerContext = ctx;
    await ctx.database.getRepository(Note).save({ text: 'mine' });
    await ctx.database.executeQuery('SELECT text FROM notes');
    await ctx.topics.subscribe('ticks', () => undefined);
    await ctx.topics.send('ticks', [{ value: 1 }]);
    await ctx.buckets.upload('a.txt', 'a', 'text/plain', 'files');
    await ctx.sharedData.set('walker', 'k', 1);
    ctx.eventBus.on('walker:event', () => undefined);
    ctx.http.registerRoutes((router) => router.get('/x', (_req, res) => res.send('x')));
    ctx.tasks.schedule('t', { everyMs: 60_000, scope: 'local' }, () => undefined);
    ctx.getDependency('helper');
    ctx.getDependencies();
    void ctx.logger;
    void ctx.config;
  }
}

/** Everything reachable from `root` by reading properties: own and inherited keys (getters run), Map and Set entries. */
function reachableFrom(root: unknown, maxDepth: number): Set<object> {
  const seen = new Set<object>();
  let layer: unknown[] = [root];
  for (let depth = 0; depth <= maxDepth && layer.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of layer) {
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
      seen.add(value);
      next.push(...childrenOf(value));
    }
    layer = next;
  }
  return seen;
}

function childrenOf(object: object): unknown[] {
  const children: unknown[] = [Object.getPrototypeOf(object)];
  const keys = new Set<PropertyKey>();
  for (let holder: object | null = object; holder !== null && holder !== Object.prototype && holder !== Function.prototype; holder = Object.getPrototypeOf(holder)) {
    for (const key of Reflect.ownKeys(holder)) keys.add(key);
  }
  for (const key of keys) {
    try {
      children.push(Reflect.get(object, key, object));
    } catch {
      // A getter that throws (an unavailable member) reaches nothing.
    }
  }
  if (object instanceof Map) for (const [key, value] of object) children.push(key, value);
  if (object instanceof Set) for (const value of object) children.push(value);
  return children;
}

describe('walking ctx reaches no host object', () => {
  let database: TestDatabase;
  let storageRoot: string;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    storageRoot = await mkdtemp(join(tmpdir(), 'context-walk-'));
    walkerContext = undefined;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database.drop();
    await rm(storageRoot, { recursive: true, force: true });
  });

  it('finds no DataSource, EntityManager, QueryRunner, repository, emitter, ModuleRef, Express app or library service', async () => {
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [HelperPlugin, WalkerPlugin], storageDriver: new LocalDirectoryStorageDriver(storageRoot) }),
    ]);
    const hostInstances = new Set<unknown>(
      [PluginRegistry, PluginManager, PluginGateway, ServiceRegistry, SharedDataService, ModuleRef, ModulesContainer, HttpAdapterHost, DataSource, EventEmitter2].map((token) =>
        app!.get(token as never, { strict: false }),
      ),
    );
    hostInstances.add(app.getHttpAdapter().getInstance());
    hostInstances.add(app.getHttpServer());

    const reached = reachableFrom(walkerContext, 12);
    // The walk does reach what the plugin is meant to see: its metadata and its own members.
    expect(reached.has(walkerContext!.plugin)).toBe(true);
    expect(reached.has(walkerContext!.database)).toBe(true);

    const hostObjects = [...reached].filter(
      (object) =>
        hostInstances.has(object) ||
        object instanceof DataSource ||
        object instanceof EntityManager ||
        object instanceof Repository ||
        object instanceof EventEmitter2 ||
        object instanceof ModuleRef ||
        object instanceof ModulesContainer ||
        /QueryRunner$/.test((object as { constructor?: { name?: unknown } }).constructor?.name as string),
    );
    expect(hostObjects.map((object) => (object as { constructor?: { name?: string } }).constructor?.name ?? typeof object)).toEqual([]);
  });
});
