import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module, type DynamicModule, type INestApplication, type INestApplicationContext, type LoggerService, type LogLevel, type ModuleMetadata, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { PluginContexts } from '../context/plugin-contexts.js';
import type { PluginContext } from '../interfaces/plugin-context.interface.js';
import type { PluginSources } from '../host/plugin-sources.js';
import type { PluginModuleOptions } from '../module/plugin-module-options.js';
import { PluginModule } from '../module/plugin.module.js';
import { PluginRegistry } from '../registry/plugin.registry.js';
import { InProcessTopicTransport } from '../resources/topics/in-process.topic-transport.js';
import { PluginManager } from '../runtime/plugin.manager.js';
import { InMemoryStorageDriver } from './in-memory.storage-driver.js';

/** Every PluginModule option, plus what the test application itself is made of. */
export interface PluginTestingOptions extends PluginModuleOptions, Omit<PluginSources, 'plugins'> {
  /** The plugins under test, in registration order. */
  plugins: Type<unknown>[];
  /** Further modules of the test application (host services a plugin injects, `@OnEvent` listeners, …). */
  imports?: ModuleMetadata['imports'];
  /** Host providers of the test application. */
  providers?: ModuleMetadata['providers'];
  /**
   * `true` (default): an in-memory SQLite database (`better-sqlite3`, `:memory:`) through
   * `TypeOrmModule.forRoot`, synchronized, so plugin tables exist. `false`: no TypeORM at all,
   * for plugins without tables (then `@nestjs/typeorm` and `better-sqlite3` need not be installed).
   */
  database?: boolean;
  /** Nest's logger for the test application; silent by default. */
  logger?: LoggerService | LogLevel[] | false;
  /**
   * `true`: a Nest application on Express listening on an ephemeral port of 127.0.0.1, so
   * plugins may register `ctx.http` routes and serve their controllers, which tests call at
   * `url` (or through `httpServer` with supertest). `false` (default): an application context without HTTP.
   */
  http?: boolean;
}

/** A booted plugin host for one test: close it in `afterEach`/`afterAll`. */
export interface PluginTestingModule {
  readonly app: INestApplicationContext;
  readonly registry: PluginRegistry;
  readonly manager: PluginManager;
  /** Where `ctx.buckets` keeps objects (unless `storageDriver` was given), under real bucket names. */
  readonly storage: InMemoryStorageDriver;
  /** Carries `ctx.topics` messages (unless `topicTransport` was given), under real topic names. */
  readonly topics: InProcessTopicTransport;
  /** A provider of the application or of any plugin module (not only exported ones): `get(UserUtilsPlugin)`. */
  get<T>(token: Type<T> | string | symbol): T;
  /** The real PluginContext of a plugin that was started, by its class. */
  context(pluginClass: Type<unknown>): PluginContext;
  /** Stops the plugins (`onPluginDestroy`) and the application, and closes the database. */
  close(): Promise<void>;
}

/** The kit of `http: true`: the application listens on loopback. */
export interface PluginHttpTestingModule extends PluginTestingModule {
  readonly app: INestApplication;
  /** Where the application listens: `http://127.0.0.1:<port>`, for `fetch(`${kit.url}/plugins/x/route`)`. */
  readonly url: string;
  /** The Node HTTP server, for supertest: `request(kit.httpServer).get('/plugins/x/route')`. */
  readonly httpServer: Server;
}

@Module({})
class PluginTestingRootModule {}

/**
 * Boots a Nest application context (no HTTP server; with `http: true`, an application listening
 * on loopback) with the given plugins on PluginModule, an in-memory SQLite database, in-process
 * topics and in-memory buckets. Boot failures reject (they never end the process), so
 * `rejects.toThrow(...)` works on them.
 */
export function createPluginTestingModule(options: PluginTestingOptions & { http: true }): Promise<PluginHttpTestingModule>;
export function createPluginTestingModule(options: PluginTestingOptions): Promise<PluginTestingModule>;
export async function createPluginTestingModule(options: PluginTestingOptions): Promise<PluginTestingModule | PluginHttpTestingModule> {
  const { plugins, imports = [], providers = [], database = true, logger = false, http = false, pluginsDir, packages, packagesRoot, trustedPlugins, ...moduleOptions } = options;
  const storage = new InMemoryStorageDriver();
  const topics = new InProcessTopicTransport();
  const root: DynamicModule = {
    module: PluginTestingRootModule,
    imports: [
      ...(database ? [await inMemoryDatabase()] : []),
      EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
      PluginModule.forRoot({
        storageDriver: storage,
        topicTransport: topics,
        ...moduleOptions,
        plugins,
        pluginsDir,
        packages,
        packagesRoot,
        trustedPlugins,
      }),
      ...imports,
    ],
    providers,
  };
  const { app, url, httpServer } = http ? await listening(root, logger) : { app: await applicationContext(root, logger) };
  return {
    app,
    url,
    httpServer,
    registry: app.get(PluginRegistry),
    manager: app.get(PluginManager),
    storage,
    topics,
    get: <T>(token: Type<T> | string | symbol) => app.get<T>(token, { strict: false }),
    context: (pluginClass) => app.get(PluginContexts).contextFor(pluginClass),
    close: () => app.close(),
  };
}

function applicationContext(root: DynamicModule, logger: PluginTestingOptions['logger']): Promise<INestApplicationContext> {
  // createApplicationContext also runs init(), so plugins are started when it resolves.
  return NestFactory.createApplicationContext(root, { logger, abortOnError: false });
}

/** listen() runs init(): plugins are started once it resolves. A failed start closes what was opened (database, plugins started). */
async function listening(root: DynamicModule, logger: PluginTestingOptions['logger']): Promise<{ app: INestApplication; url: string; httpServer: Server }> {
  const app = await NestFactory.create(root, { logger, abortOnError: false });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, httpServer: app.getHttpServer() as Server };
}

/** Loaded only when wanted, so plugins without tables can be tested without TypeORM installed. */
async function inMemoryDatabase(): Promise<DynamicModule> {
  const { TypeOrmModule } = await import('@nestjs/typeorm');
  return TypeOrmModule.forRoot({ type: 'better-sqlite3', database: ':memory:', synchronize: true });
}
