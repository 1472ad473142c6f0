import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CanActivate, Controller, Get, Global, Inject, Injectable, Module, UseGuards, type INestApplication } from '@nestjs/common';
import { InjectDataSource, InjectEntityManager, InjectRepository, TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import { Column, DataSource, Entity, EntityManager, PrimaryGeneratedColumn, Repository } from 'typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DiscoveryModule, DiscoveryService, HttpAdapterHost, LazyModuleLoader, ModuleRef, ModulesContainer } from '@nestjs/core';
import {
  InjectPluginContext,
  InjectPluginRepository,
  Plugin,
  type PluginContext,
  PluginLoadError,
  PluginManager,
  PluginGateway,
  PluginModule,
  PluginRegistry,
  ServiceRegistry,
  UnscopedDatabaseAccessError,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

/**
 * Nest's own doors to the database (SPEC §11): a plugin that would reach the host's tables
 * through TypeORM's module or injected DataSource, EntityManager or repositories fails
 * registration before Nest builds any of its providers, unless the host trusts it. Judged by
 * effects: the canary row of the host's table is never read nor changed, and no table appears.
 */

/** The host's own table, with one canary row no plugin may read. */
@Entity('secrets')
class Secret {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') value!: string;
}

@Entity('todos')
class Todo {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') title!: string;
}

@Entity('notes')
class Note {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') text!: string;
}

/** The host shares its repository app-wide, as hosts do: a door a plugin could walk through by name. */
@Global()
@Module({ imports: [TypeOrmModule.forFeature([Secret])], exports: [TypeOrmModule] })
class HostDataModule {}

const CANARY = 'canary-7f3a';
/** What hostile constructors got to read; they push here the moment Nest builds them. */
const stolen: string[] = [];

async function steal(dataSource: DataSource | EntityManager): Promise<void> {
  const rows: { value: string }[] = await dataSource.query(`SELECT value FROM secrets`);
  stolen.push(...rows.map((row) => row.value));
  await dataSource.query(`UPDATE secrets SET value = 'overwritten'`);
}

@Injectable()
class TypedDataSourceThief {
  constructor(dataSource: DataSource) {
    void steal(dataSource);
  }
}
@Plugin({ name: 'typed-thief', version: '1.0.0', providers: [TypedDataSourceThief] })
class TypedThiefPlugin {}

@Injectable()
class InjectDataSourceThief {
  constructor(@InjectDataSource() dataSource: unknown) {
    void steal(dataSource as DataSource);
  }
}
@Plugin({ name: 'decorated-thief', version: '1.0.0', providers: [InjectDataSourceThief] })
class DecoratedThiefPlugin {}

@Injectable()
class EntityManagerThief {
  constructor(@InjectEntityManager() manager: EntityManager) {
    void steal(manager);
  }
}
@Plugin({ name: 'manager-thief', version: '1.0.0', providers: [EntityManagerThief] })
class ManagerThiefPlugin {}

@Injectable()
class RepositoryThief {
  constructor(@InjectRepository(Secret) secrets: Repository<Secret>) {
    void steal(secrets.manager);
  }
}
@Plugin({ name: 'repository-thief', version: '1.0.0', providers: [RepositoryThief] })
class RepositoryThiefPlugin {}

@Injectable()
class StringTokenThief {
  constructor(@Inject(getRepositoryToken(Secret)) secrets: Repository<Secret>) {
    void steal(secrets.manager);
  }
}
@Plugin({ name: 'string-thief', version: '1.0.0', providers: [StringTokenThief] })
class StringThiefPlugin {}

@Injectable()
class PropertyThief {
  @Inject(DataSource) private readonly dataSource!: DataSource;
  onModuleInit(): Promise<void> {
    return steal(this.dataSource);
  }
}
@Plugin({ name: 'property-thief', version: '1.0.0', providers: [PropertyThief] })
class PropertyThiefPlugin {}

@Plugin({
  name: 'factory-thief',
  version: '1.0.0',
  providers: [{ provide: 'LOOT', useFactory: (dataSource: DataSource) => steal(dataSource), inject: [DataSource] }],
})
class FactoryThiefPlugin {}

@Plugin({ name: 'self-thief', version: '1.0.0' })
class SelfThiefPlugin {
  constructor(dataSource: DataSource) {
    void steal(dataSource);
  }
}

/** A module the plugin wrote and imports, global so a shallow check might skip it. */
@Global()
@Module({ providers: [TypedDataSourceThief] })
class SmugglerModule {}
@Plugin({ name: 'module-thief', version: '1.0.0', imports: [SmugglerModule] })
class ModuleThiefPlugin {}

/** A plugin registered nowhere, smuggled in as an import: Nest would build it all the same. */
@Plugin({ name: 'shadow-thief', version: '1.0.0', providers: [TypedDataSourceThief] })
class ShadowThiefPlugin {}
@Plugin({ name: 'shadow-carrier', version: '1.0.0', imports: [ShadowThiefPlugin] })
class ShadowCarrierPlugin {}

@Injectable()
class ThievingGuard implements CanActivate {
  constructor(dataSource: DataSource) {
    void steal(dataSource);
  }
  canActivate(): boolean {
    return true;
  }
}
@Controller()
class GuardedController {
  @Get()
  @UseGuards(ThievingGuard)
  hello(): string {
    return 'hello';
  }
}
@Plugin({ name: 'guard-thief', version: '1.0.0', controllers: [GuardedController] })
class GuardThiefPlugin {}

@Plugin({ name: 'feature-todos', version: '1.0.0', imports: [TypeOrmModule.forFeature([Todo])] })
class FeatureTodosPlugin {}

/** What a plugin is meant to do: its own entity through the library, and its own string tokens. */
@Injectable()
class NoteBook {
  constructor(
    @InjectPluginRepository(Note) readonly notes: Repository<Note>,
    @Inject('CacheRepository') readonly cache: Map<string, string>,
  ) {}
}
@Plugin({
  name: 'note-keeper',
  version: '1.0.0',
  entities: [Note],
  allowedTables: ['notes'],
  providers: [NoteBook, { provide: 'CacheRepository', useValue: new Map() }],
})
class NoteKeeperPlugin {}

/** Grants itself the host's table by rewriting its own overrides, then reads it with its scoped SQL. */
@Plugin({ name: 'override-thief', version: '1.0.0', allowedTables: ['notes'] })
class OverrideThiefPlugin {
  constructor(manager: PluginManager, @InjectPluginContext() ctx: PluginContext) {
    manager.setResourceOverrides('override-thief', { allowedTables: ['notes'], tableNameMap: { notes: 'secrets' } });
    void ctx.database.executeQuery('SELECT value FROM notes').then((rows: { value: string }[]) => stolen.push(...rows.map((row) => row.value)));
  }
}

/** Resolves the DataSource through the container instead of injecting it. */
@Injectable()
class ModuleRefThief {
  constructor(moduleRef: ModuleRef) {
    void steal(moduleRef.get(DataSource, { strict: false }));
  }
}
@Plugin({ name: 'container-thief', version: '1.0.0', providers: [ModuleRefThief] })
class ContainerThiefPlugin {}

/** Nest's reflective doors (SPEC §16): each reaches the DataSource without naming it where the check looks. */
@Injectable()
class Loot {
  constructor(dataSource: DataSource) {
    void steal(dataSource);
  }
}
/** Never imported: only a lazy load builds it, so a static walk of the plugin cannot see its DataSource. */
@Module({ providers: [Loot] })
class LootModule {}

@Injectable()
class LazyLoaderThief {
  constructor(loader: LazyModuleLoader) {
    void loader.load(() => LootModule).then((loaded) => loaded.get(Loot));
  }
}
@Plugin({ name: 'lazy-thief', version: '1.0.0', providers: [LazyLoaderThief] })
class LazyThiefPlugin {}

function dataSourceAmong(instances: Iterable<unknown>): DataSource | undefined {
  for (const instance of instances) if (instance instanceof DataSource) return instance;
  return undefined;
}

/** They look once every provider is built, the DataSource among them. */
@Injectable()
class ModulesContainerThief {
  constructor(private readonly container: ModulesContainer) {}
  onApplicationBootstrap(): Promise<void> | undefined {
    const instances = [...this.container.values()].flatMap((module) => [...module.providers.values()].map((wrapper) => wrapper.instance));
    const dataSource = dataSourceAmong(instances);
    return dataSource && steal(dataSource);
  }
}
@Plugin({ name: 'modules-thief', version: '1.0.0', providers: [ModulesContainerThief] })
class ModulesThiefPlugin {}

@Injectable()
class DiscoveryThief {
  constructor(private readonly discovery: DiscoveryService) {}
  onApplicationBootstrap(): Promise<void> | undefined {
    const dataSource = dataSourceAmong(this.discovery.getProviders().map((wrapper) => wrapper.instance));
    return dataSource && steal(dataSource);
  }
}
@Plugin({ name: 'discovery-thief', version: '1.0.0', imports: [DiscoveryModule], providers: [DiscoveryThief] })
class DiscoveryThiefPlugin {}
/** Without importing DiscoveryModule: Nest would not build it, the check names the service first. */
@Plugin({ name: 'discovery-service-thief', version: '1.0.0', providers: [DiscoveryThief] })
class DiscoveryServiceThiefPlugin {}

/** A service that reaches no table itself: what its constructor receives is the loot. */
function holderOf(token: Function): Function {
  @Injectable()
  class Holder {
    constructor(@Inject(token) held: unknown) {
      if (held !== undefined) stolen.push(token.name);
    }
  }
  return Holder;
}
const thiefOf = (name: string, token: Function): new () => object => {
  @Plugin({ name, version: '1.0.0', providers: [holderOf(token) as never] })
  class Thief {}
  return Thief;
};

/** A trusted plugin that needs the DataSource, and an untrusted one that depends on it. */
@Injectable()
class Auditor {
  constructor(readonly dataSource: DataSource) {}
}
@Plugin({ name: 'auditor', version: '1.0.0', providers: [Auditor], exports: [Auditor] })
class AuditorPlugin {}
@Plugin({ name: 'audit-reader', version: '1.0.0', dependencies: ['auditor'] })
class AuditReaderPlugin {}

describe('Nest database doors', () => {
  let database: TestDatabase;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    stolen.length = 0;
    database = await createTestDatabase('sqlite');
    // The host's table and canary exist before any plugin boots.
    await withHostConnection(async (host) => {
      await host.query(`CREATE TABLE secrets (id INTEGER PRIMARY KEY AUTOINCREMENT, value VARCHAR NOT NULL)`);
      await host.query('INSERT INTO secrets (value) VALUES (?)', [CANARY]);
    });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database.drop();
  });

  function boot(options: Parameters<typeof PluginModule.forRoot>[0], hostImports: unknown[] = []): Promise<INestApplication> {
    return bootApp([
      TypeOrmModule.forRoot({ ...database.connection, entities: [Secret], autoLoadEntities: true, synchronize: true }),
      HostDataModule,
      ...(hostImports as never[]),
      PluginModule.forRoot(options),
    ]);
  }

  /** A connection of the test's own, outside any application. */
  async function withHostConnection<T>(use: (host: DataSource) => Promise<T>): Promise<T> {
    const host = await new DataSource({ ...database.connection, type: 'better-sqlite3' } as never).initialize();
    try {
      return await use(host);
    } finally {
      await host.destroy();
    }
  }

  /** The host's table as a fresh connection sees it, and every table there is. */
  function hostState(): Promise<{ secrets: string[]; tables: string[] }> {
    return withHostConnection(async (host) => {
      const secrets: { value: string }[] = await host.query('SELECT value FROM secrets');
      const tables: { name: string }[] = await host.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
      return { secrets: secrets.map((row) => row.value), tables: tables.map((row) => row.name).sort() };
    });
  }

  /** Gives any asynchronous theft that did start the time to land. */
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

  it.each([
    ['typed-thief', TypedThiefPlugin, 'DataSource'],
    ['decorated-thief', DecoratedThiefPlugin, 'DataSource'],
    ['manager-thief', ManagerThiefPlugin, 'EntityManager'],
    ['repository-thief', RepositoryThiefPlugin, 'SecretRepository'],
    ['string-thief', StringThiefPlugin, 'SecretRepository'],
    ['property-thief', PropertyThiefPlugin, 'DataSource'],
    ['factory-thief', FactoryThiefPlugin, 'DataSource'],
    ['self-thief', SelfThiefPlugin, 'DataSource'],
    ['module-thief', ModuleThiefPlugin, 'DataSource'],
    ['guard-thief', GuardThiefPlugin, 'DataSource'],
    ['shadow-thief', ShadowCarrierPlugin, 'DataSource'],
    ['override-thief', OverrideThiefPlugin, 'PluginManager'],
    ['container-thief', ContainerThiefPlugin, 'ModuleRef'],
    ['lazy-thief', LazyThiefPlugin, 'LazyModuleLoader'],
    ['modules-thief', ModulesThiefPlugin, 'ModulesContainer'],
    ['discovery-thief', DiscoveryThiefPlugin, 'DiscoveryModule'],
    ['discovery-service-thief', DiscoveryServiceThiefPlugin, 'DiscoveryService'],
    ['adapter-thief', thiefOf('adapter-thief', HttpAdapterHost), 'HttpAdapterHost'],
    ['emitter-thief', thiefOf('emitter-thief', EventEmitter2), 'EventEmitter2'],
    ['registry-thief', thiefOf('registry-thief', PluginRegistry), 'PluginRegistry'],
    ['gateway-thief', thiefOf('gateway-thief', PluginGateway), 'PluginGateway'],
    ['services-thief', thiefOf('services-thief', ServiceRegistry), 'ServiceRegistry'],
    ['manager-holder', thiefOf('manager-holder', PluginManager), 'PluginManager'],
  ])('refuses %s at boot before any of its code runs; the canary is neither read nor changed', async (name, pluginClass, door) => {
    const booting = boot({ plugins: [pluginClass] });
    await expect(booting).rejects.toThrow(UnscopedDatabaseAccessError);
    const scopedWay = /DataSource|EntityManager|Repository/.test(door)
      ? 'declare entities in @Plugin({ entities }) and use @InjectPluginRepository'
      : 'use its plugin context (ctx.eventBus, ctx.call, ctx.http, …)';
    await expect(booting).rejects.toThrow(`Plugin "${name}" injects ${door} directly; ${scopedWay}, or list "${name}" in trustedPlugins`);
    await settle();
    expect(stolen).toEqual([]);
    expect((await hostState()).secrets).toEqual([CANARY]);
  });

  it('lets the same LazyModuleLoader thief in when trusted: the module it loads reads the canary (the door is real)', async () => {
    app = await boot({ plugins: [LazyThiefPlugin], trustedPlugins: ['lazy-thief'] });
    await settle();
    expect(stolen).toEqual([CANARY]);
    expect((await hostState()).secrets).toEqual(['overwritten']);
  });

  it('lets the ModulesContainer and DiscoveryService thieves in when trusted: each reaches the DataSource (the doors are real)', async () => {
    app = await boot({ plugins: [ModulesThiefPlugin, DiscoveryThiefPlugin], trustedPlugins: ['modules-thief', 'discovery-thief'] });
    await settle();
    // The first steals the canary and overwrites it; the second reads what the first left.
    expect(stolen.sort()).toEqual([CANARY, 'overwritten']);
  });

  it('refuses TypeOrmModule.forFeature in a plugin: with autoLoadEntities no unprefixed table appears', async () => {
    const booting = boot({ plugins: [FeatureTodosPlugin] });
    await expect(booting).rejects.toThrow(
      'Plugin "feature-todos" injects TypeOrmModule.forFeature directly; declare entities in @Plugin({ entities }) and use @InjectPluginRepository, or list "feature-todos" in trustedPlugins',
    );
    // Boot failed before TypeORM built its DataSource. (forFeature itself adds Todo to
    // @nestjs/typeorm's autoLoadEntities list when the plugin class is declared, which no check
    // can undo: a later DataSource in this process creates "todos", as other tests here show.)
    expect((await hostState()).tables).toEqual(['secrets']);
  });

  it('lets a plugin listed in trustedPlugins in, and its DataSource is the real one (the canary is what it reads)', async () => {
    app = await boot({ plugins: [TypedThiefPlugin], trustedPlugins: ['typed-thief'] });
    await settle();
    expect(stolen).toEqual([CANARY]);
    expect(app.get(PluginRegistry).isActive('typed-thief')).toBe(true);
  });

  it('takes trustedPlugins beside the factory of forRootAsync, where the other static sources are', async () => {
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, entities: [Secret], synchronize: true }),
      PluginModule.forRootAsync({ useFactory: () => ({}), plugins: [SelfThiefPlugin], trustedPlugins: ['self-thief'] }),
    ]);
    await settle();
    expect(stolen).toEqual([CANARY]);
  });

  it('boots a plugin that uses its own repositories and its own string tokens ending in Repository', async () => {
    app = await boot({ plugins: [NoteKeeperPlugin] });
    const notes = app.get(NoteBook, { strict: false }).notes;
    await notes.save({ text: 'mine' });
    expect((await hostState()).tables).toContain('note-keeper_notes');
    expect((await hostState()).tables).not.toContain('notes');
  });

  it('checks each plugin under its own name: a trusted dependency does not taint its dependent', async () => {
    app = await boot({ plugins: [AuditorPlugin, AuditReaderPlugin], trustedPlugins: ['auditor'] });
    expect(app.get(PluginRegistry).isActive('audit-reader')).toBe(true);
  });

  it('refuses a plugin the application imports itself, at registration', async () => {
    await expect(boot({}, [FeatureTodosPlugin])).rejects.toThrow(UnscopedDatabaseAccessError);
  });

  it('refuses a hostile plugin from pluginsDir before Nest builds it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'nest-doors-'));
    try {
      await writeFile(join(directory, 'package.json'), '{ "type": "module" }');
      await writeFile(
        join(directory, 'thief.plugin.js'),
        `import { Plugin } from 'nestjs-plugins';
class FileThief {
  constructor(dataSource) {
    dataSource.query('SELECT value FROM secrets').then((rows) => globalThis.stolenByFile.push(...rows.map((row) => row.value)));
  }
}
// What @Inject('SecretRepository') on the first parameter records.
Reflect.defineMetadata('self:paramtypes', [{ index: 0, param: 'SecretRepository' }], FileThief);
Plugin({ name: 'file-thief', version: '1.0.0' })(FileThief);
export default FileThief;
`,
      );
      (globalThis as Record<string, unknown>).stolenByFile = stolen;
      await expect(boot({ pluginsDir: directory })).rejects.toThrow('Plugin "file-thief" injects SecretRepository directly');
      await settle();
      expect(stolen).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses trustedPlugins that is not a list of plugin names', async () => {
    await expect(boot({ trustedPlugins: 'typed-thief' as never })).rejects.toThrow(
      'PluginModule option trustedPlugins must be an array of plugin names (got "typed-thief")',
    );
  });

  describe('at runtime', () => {
    it('refuses manager.load of a hostile class, leaving registry, container and canary as they were', async () => {
      app = await boot({ plugins: [NoteKeeperPlugin] });
      const registry = app.get(PluginRegistry);
      const before = registry.list();

      const loading = app.get(PluginManager).load(RepositoryThiefPlugin);
      await expect(loading).rejects.toThrow(PluginLoadError);
      const error = (await loading.catch((failure: unknown) => failure)) as PluginLoadError;
      expect(error.cause).toBeInstanceOf(UnscopedDatabaseAccessError);
      expect(error.message).toContain('Plugin "repository-thief" injects SecretRepository directly');

      await settle();
      expect(stolen).toEqual([]);
      expect((await hostState()).secrets).toEqual([CANARY]);
      expect(registry.list()).toEqual(before);
      expect(() => app!.get(RepositoryThief, { strict: false })).toThrow();
    });

    it('loads the same hostile class when the host trusts it', async () => {
      app = await boot({ trustedPlugins: ['manager-thief'] });
      await app.get(PluginManager).load(ManagerThiefPlugin);
      await settle();
      expect(stolen).toEqual([CANARY]);
    });
  });
});
