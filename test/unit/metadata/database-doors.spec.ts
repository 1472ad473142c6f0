import 'reflect-metadata';
import { Inject, Injectable, Module, forwardRef } from '@nestjs/common';
import { DataSource, EntityManager, TreeRepository } from 'typeorm';
import { Plugin } from '../../../lib/decorators/plugin.decorator.js';
import { findDatabaseDoors } from '../../../lib/metadata/database-doors.js';
import { PLUGIN_DATA_SOURCE } from '../../../lib/constants.js';

/** What the walk finds in a plugin's module metadata, with nothing instantiated. */
describe('findDatabaseDoors', () => {
  const pluginWith = (options: Omit<Parameters<typeof Plugin>[0], 'name' | 'version'>) => {
    class Probe {}
    Plugin({ name: 'probe', version: '1.0.0', ...options })(Probe);
    return Probe;
  };

  it('finds nothing in a plugin that only uses its own tokens', async () => {
    @Injectable()
    class Cache {
      constructor(@Inject('CacheRepository') readonly store: Map<string, string>) {}
    }
    expect(await findDatabaseDoors(pluginWith({ providers: [Cache, { provide: 'CacheRepository', useValue: new Map() }] }))).toEqual({ doors: [], importedPlugins: [] });
  });

  it('names DataSource, EntityManager, repository classes and string tokens, each once', async () => {
    class Scores extends TreeRepository<object> {}
    @Injectable()
    class Reader {
      constructor(
        readonly dataSource: DataSource,
        @Inject(forwardRef(() => EntityManager)) readonly manager: EntityManager,
        @Inject('analyticsDataSource') readonly other: unknown,
      ) {}
      @Inject(Scores) readonly scores!: Scores;
      @Inject(DataSource) readonly again!: DataSource;
    }
    const { doors } = await findDatabaseDoors(
      pluginWith({ providers: [Reader, { provide: 'x', useFactory: () => 1, inject: [{ token: 'TodoRepository', optional: true }, PLUGIN_DATA_SOURCE] }] }),
    );
    expect(doors.sort()).toEqual(['DataSource', 'EntityManager', 'TodoRepository', 'analyticsDataSource', 'repository Scores']);
  });

  it('excuses a token an imported module provides and exports, but not one it keeps to itself', async () => {
    @Module({ providers: [{ provide: 'SharedRepository', useValue: {} }, { provide: 'HiddenRepository', useValue: {} }], exports: ['SharedRepository'] })
    class Helper {}
    @Injectable()
    class User {
      constructor(@Inject('SharedRepository') readonly shared: unknown, @Inject('HiddenRepository') readonly hidden: unknown) {}
    }
    expect((await findDatabaseDoors(pluginWith({ imports: [Helper], providers: [User] }))).doors).toEqual(['HiddenRepository']);
  });

  it('follows forward references and promised dynamic modules, and names TypeORM modules by their shape', async () => {
    @Injectable()
    class Smuggler {
      constructor(readonly dataSource: DataSource) {}
    }
    @Module({})
    class Deep {}
    class TypeOrmModule {}
    const promised = Promise.resolve({ module: Deep, providers: [Smuggler] });
    const { doors } = await findDatabaseDoors(
      pluginWith({ imports: [forwardRef(() => Deep), promised, { module: TypeOrmModule, providers: [], exports: [] }, { module: TypeOrmModule, imports: [] }] }),
    );
    expect(doors.sort()).toEqual(['DataSource', 'TypeOrmModule.forFeature', 'TypeOrmModule.forRoot']);
  });

  it('leaves the plugin modules it imports to a check under their own names', async () => {
    @Injectable()
    class Auditor {
      constructor(readonly dataSource: DataSource) {}
    }
    @Plugin({ name: 'auditor', version: '1.0.0', providers: [Auditor] })
    class AuditorPlugin {}
    @Module({ imports: [AuditorPlugin] })
    class Wrapper {}
    expect(await findDatabaseDoors(pluginWith({ imports: [Wrapper] }))).toEqual({ doors: [], importedPlugins: [AuditorPlugin] });
    expect(await findDatabaseDoors(AuditorPlugin)).toEqual({ doors: ['DataSource'], importedPlugins: [] });
  });
});
