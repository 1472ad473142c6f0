import 'reflect-metadata';
import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  DuplicateExposedMethodError,
  Expose,
  MethodNotExposedError,
  Plugin,
  PluginModule,
  PluginNotActiveError,
  PluginRegistry,
} from 'nestjs-plugins';
import { bootApp } from './support/boot-app.js';

class ScoreRejected extends Error {}

@Injectable()
class ScoreStore {
  private readonly scores = new Map<string, number>();

  @Expose()
  getScore(userId: string): number {
    return this.scores.get(userId) ?? 0;
  }

  @Expose('addPoints')
  add(userId: string, points: number): number {
    if (points < 0) throw new ScoreRejected(`negative points for ${userId}`);
    const score = this.getScore(userId) + points; // `this` must be the provider
    this.scores.set(userId, score);
    return score;
  }

  notExposed(): string {
    return 'private';
  }
}

@Plugin({ name: 'score-utils', version: '1.2.0', description: 'Per-user scores', providers: [ScoreStore] })
class UserUtilsPlugin {
  constructor(private readonly store: ScoreStore) {}

  @Expose()
  async addScoreLater(userId: string, points: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.store.add(userId, points);
  }

  @Expose()
  async failLater(): Promise<never> {
    throw new ScoreRejected('async failure');
  }
}

@Plugin({ name: 'ranking', version: '1.0.0', dependencies: [{ name: 'score-utils', version: '^1.0.0' }] })
class LeaderboardPlugin {}

@Plugin({ name: 'reports', version: '0.3.0', dependencies: ['score-utils', { name: 'analytics', optional: true }] })
class ReportsPlugin {}

describe('PluginRegistry', () => {
  let app: INestApplication;
  let registry: PluginRegistry;

  beforeAll(async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [UserUtilsPlugin, LeaderboardPlugin, ReportsPlugin] })]);
    registry = app.get(PluginRegistry);
  });
  afterAll(() => app.close());

  it('calls exposed methods of providers and of the plugin class, with `this` bound', async () => {
    expect(registry.call('score-utils', 'addPoints', 'u1', 10)).toBe(10);
    expect(registry.call('score-utils', 'getScore', 'u1')).toBe(10);
    await expect(registry.call('score-utils', 'addScoreLater', 'u1', 5)).resolves.toBe(15);
  });

  it('returns exactly what the method returns: a value synchronously, a promise as is', async () => {
    expect(registry.call('score-utils', 'getScore', 'nobody')).toBe(0);
    const pending = registry.call('score-utils', 'addScoreLater', 'u2', 1);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBe(1);
  });

  it('throws the exact errors of SPEC §4 synchronously', () => {
    expect(() => registry.call('score-utils', 'nonExistent')).toThrow(new MethodNotExposedError('score-utils', 'nonExistent'));
    expect(() => registry.call('score-utils', 'nonExistent')).toThrow('Plugin "score-utils" has no method "nonExistent"');
    expect(() => registry.call('score-utils', 'notExposed')).toThrow('Plugin "score-utils" has no method "notExposed"');
    expect(() => registry.call('score-utils', 'add')).toThrow('Plugin "score-utils" has no method "add"');
    expect(() => registry.call('ghost', 'anything')).toThrow(PluginNotActiveError);
    expect(() => registry.call('ghost', 'anything')).toThrow('Plugin "ghost" is not active');
  });

  it('suggests a close name for an unregistered plugin or an unknown method', () => {
    expect(() => registry.call('score-util', 'getScore')).toThrow(new PluginNotActiveError('score-util', 'score-utils'));
    expect(() => registry.call('score-util', 'getScore')).toThrow('Plugin "score-util" is not active (did you mean "score-utils"?)');
    expect(() => registry.get('Ranking')).toThrow('Plugin "Ranking" is not active (did you mean "ranking"?)');
    expect(() => registry.call('score-utils', 'addPoint')).toThrow('Plugin "score-utils" has no method "addPoint" (did you mean "addPoints"?)');
  });

  it('passes errors thrown by the method through as the same object', async () => {
    let thrown: unknown;
    try {
      registry.call('score-utils', 'addPoints', 'u3', -1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScoreRejected);
    expect((thrown as Error).message).toBe('negative points for u3');

    const rejection = await (registry.call('score-utils', 'failLater') as Promise<never>).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(ScoreRejected);
  });

  it('gives handles by name and by class', () => {
    const byName = registry.get('score-utils');
    expect(byName.metadata.version).toBe('1.2.0');
    expect(byName.getScore('u1')).toBe(15);
    const byClass = registry.get(UserUtilsPlugin);
    expect(byClass).toBe(byName);
    expect(() => registry.get('ghost')).toThrow('Plugin "ghost" is not active');
  });

  it('answers has / isActive / metadata / list / dependentsOf / dependenciesOf', () => {
    expect(registry.has('ranking')).toBe(true);
    expect(registry.has('analytics')).toBe(false);
    expect(registry.isActive('reports')).toBe(true);
    expect(registry.metadata('score-utils')).toMatchObject({ name: 'score-utils', version: '1.2.0', description: 'Per-user scores' });
    expect(registry.metadata('ghost')).toBeUndefined();
    expect(registry.list().map(({ name, version, state }) => [name, version, state])).toEqual([
      ['score-utils', '1.2.0', 'active'],
      ['ranking', '1.0.0', 'active'],
      ['reports', '0.3.0', 'active'],
    ]);
    expect(registry.dependentsOf('score-utils')).toEqual(['ranking', 'reports']);
    expect(registry.dependentsOf('analytics')).toEqual(['reports']);
    expect(registry.dependenciesOf('reports')).toEqual(['score-utils', 'analytics']);
    expect(registry.dependenciesOf('score-utils')).toEqual([]);
  });
});

describe('PluginRegistry after shutdown', () => {
  it('refuses calls and handle calls once the plugin is inactive', async () => {
    const app = await bootApp([PluginModule.forRoot({ plugins: [UserUtilsPlugin] })]);
    const registry = app.get(PluginRegistry);
    const handle = registry.get('score-utils');
    expect(handle.getScore('x')).toBe(0);
    await app.close();
    expect(registry.isActive('score-utils')).toBe(false);
    expect(registry.list()[0].state).toBe('inactive');
    expect(() => registry.call('score-utils', 'getScore', 'x')).toThrow('Plugin "score-utils" is not active');
    expect(() => handle.getScore('x')).toThrow('Plugin "score-utils" is not active');
  });
});

describe('exposed method names', () => {
  it('fail registration when two classes expose one name, naming both', async () => {
    @Injectable()
    class Cache {
      @Expose()
      get(): null {
        return null;
      }
    }
    @Plugin({ name: 'memo-cache', version: '1.0.0', providers: [Cache] })
    class CachePlugin {
      @Expose('get')
      read(): null {
        return null;
      }
    }
    const moduleRef = await Test.createTestingModule({ imports: [PluginModule.forRoot({ plugins: [CachePlugin] })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const failure = app.init();
    await expect(failure).rejects.toThrow(DuplicateExposedMethodError);
    await expect(failure).rejects.toThrow(/^Plugin "memo-cache" exposes "get" twice: (CachePlugin\.read and Cache\.get|Cache\.get and CachePlugin\.read)/);
    await app.close();
  });
});
