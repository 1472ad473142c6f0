import { DefaultPluginContext } from '../../../lib/context/plugin-context.js';
import {
  MethodNotExposedError,
  MissingDependencyError,
  PluginNotActiveError,
  PluginResolutionError,
  UndeclaredDependencyError,
} from '../../../lib/errors/index.js';
import { resolvePluginOrder } from '../../../lib/graph/resolve-plugin-order.js';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';
import { resolveExposedMethod, type PluginRecordStore } from '../../../lib/registry/plugin-record.store.js';
import { storeOf } from '../services/support/fake-records.js';

function thrownBy(fn: () => unknown): Error & { didYouMean?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { didYouMean?: string };
  }
  throw new Error('expected a throw');
}

describe('"did you mean" in error messages', () => {
  describe('the error classes', () => {
    it('append the hint only when there is a suggestion, keeping SPEC messages exact otherwise', () => {
      expect(new PluginNotActiveError('user-utlis', 'user-utils').message).toBe('Plugin "user-utlis" is not active (did you mean "user-utils"?)');
      expect(new PluginNotActiveError('user-utils').message).toBe('Plugin "user-utils" is not active');
      expect(new MethodNotExposedError('user-utils', 'getscore', 'getScore').message).toBe('Plugin "user-utils" has no method "getscore" (did you mean "getScore"?)');
      expect(new MethodNotExposedError('user-utils', 'nonExistent').message).toBe('Plugin "user-utils" has no method "nonExistent"');
      expect(new UndeclaredDependencyError('leaderboard', 'user-util', 'user-utils').message).toBe(
        'Plugin "leaderboard" did not declare a dependency on "user-util" (did you mean "user-utils"?)',
      );
      expect(new MissingDependencyError('reports', 'inventry', '^1.0.0', 'inventory').message).toBe(
        'Plugin "reports" requires "inventry" (^1.0.0), which is not installed (did you mean "inventory"?)',
      );
      expect(new MissingDependencyError('reports', 'inventory', '^1.0.0').didYouMean).toBeUndefined();
    });
  });

  describe('calls through the record store', () => {
    let records: PluginRecordStore;
    beforeEach(() => {
      records = storeOf(
        { name: 'user-utils', methods: ['getScore', 'addScore'] },
        { name: 'user-stats', state: 'failed' },
        { name: 'plugin-a', state: 'failed' },
        { name: 'plugin-b' },
      );
    });

    it('suggest a registered plugin for a name that is not registered', () => {
      const error = thrownBy(() => resolveExposedMethod(records.get('user-utlis'), 'user-utlis', 'getScore', records));
      expect(error).toBeInstanceOf(PluginNotActiveError);
      expect(error.message).toBe('Plugin "user-utlis" is not active (did you mean "user-utils"?)');
      expect(error.didYouMean).toBe('user-utils');
    });

    it('suggest nothing for a registered plugin that is not active, nor for a name far from every other', () => {
      expect(thrownBy(() => resolveExposedMethod(records.get('plugin-a'), 'plugin-a', 'x', records)).message).toBe('Plugin "plugin-a" is not active');
      expect(thrownBy(() => resolveExposedMethod(records.get('ghost'), 'ghost', 'x', records)).message).toBe('Plugin "ghost" is not active');
      expect(records.notActiveError('plugin-a').didYouMean).toBeUndefined();
    });

    it('suggest nothing when the caller passes no store (a declared dependency)', () => {
      expect(thrownBy(() => resolveExposedMethod(undefined, 'user-utlis', 'getScore')).message).toBe('Plugin "user-utlis" is not active');
    });

    it('suggest the closest exposed method', () => {
      const error = thrownBy(() => resolveExposedMethod(records.get('user-utils'), 'user-utils', 'getscore', records));
      expect(error).toBeInstanceOf(MethodNotExposedError);
      expect(error.message).toBe('Plugin "user-utils" has no method "getscore" (did you mean "getScore"?)');
      expect(error.didYouMean).toBe('getScore');
      expect(thrownBy(() => resolveExposedMethod(records.get('user-utils'), 'user-utils', 'nonExistent', records)).message).toBe(
        'Plugin "user-utils" has no method "nonExistent"',
      );
    });
  });

  describe('a plugin context', () => {
    const metadata: PluginMetadata = { name: 'leaderboard', version: '1.0.0', dependencies: ['user-utils', { name: 'analytics', optional: true }] };
    const ctx = new DefaultPluginContext(metadata, storeOf({ name: 'user-utils' }), {} as never, {} as never, {} as never, {} as never);

    it('suggests a close declared dependency for an undeclared name', () => {
      const error = thrownBy(() => ctx.call('user-util', 'getScore'));
      expect(error).toBeInstanceOf(UndeclaredDependencyError);
      expect(error.message).toBe('Plugin "leaderboard" did not declare a dependency on "user-util" (did you mean "user-utils"?)');
      expect(error.didYouMean).toBe('user-utils');
      expect(thrownBy(() => ctx.getDependency('Analytics')).message).toBe('Plugin "leaderboard" did not declare a dependency on "Analytics" (did you mean "analytics"?)');
      expect(thrownBy(() => ctx.call('payments', 'charge')).message).toBe('Plugin "leaderboard" did not declare a dependency on "payments"');
    });
  });

  describe('dependency resolution', () => {
    it('suggests a close installed plugin for a missing dependency', () => {
      const error = thrownBy(() =>
        resolvePluginOrder([
          { name: 'inventory', version: '1.0.0' },
          { name: 'reports', version: '1.0.0', dependencies: [{ name: 'inventroy', version: '^1.0.0' }, 'billing'] },
        ]),
      ) as PluginResolutionError;
      expect(error.errors.map((problem) => problem.message)).toEqual([
        'Plugin "reports" requires "inventroy" (^1.0.0), which is not installed (did you mean "inventory"?)',
        'Plugin "reports" requires "billing" (any version), which is not installed',
      ]);
      expect((error.errors[0] as MissingDependencyError).didYouMean).toBe('inventory');
    });
  });
});
