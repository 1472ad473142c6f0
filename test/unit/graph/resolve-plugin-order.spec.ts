import {
  CircularDependencyError,
  MissingDependencyError,
  PluginResolutionError,
  VersionMismatchError,
} from '../../../lib/errors/index.js';
import { analyzePluginGraph, resolvePluginOrder, type PluginNode } from '../../../lib/graph/resolve-plugin-order.js';
import { seededRandom } from '../../support/seeded-random.js';

function plugin(name: string, dependencies: PluginNode['dependencies'] = [], version = '1.0.0'): PluginNode {
  return { name, version, dependencies };
}

function orderOf(nodes: PluginNode[]): string[] {
  return resolvePluginOrder(nodes).order;
}

/** The PluginResolutionError resolvePluginOrder throws; fails the test if it returns. */
function resolutionError(nodes: PluginNode[]): PluginResolutionError {
  try {
    resolvePluginOrder(nodes);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginResolutionError);
    return error as PluginResolutionError;
  }
  throw new Error('expected resolvePluginOrder to throw');
}

function expectEveryEdgeBackwards(nodes: PluginNode[], order: string[]): void {
  const position = new Map(order.map((name, index) => [name, index]));
  let backwards = 0;
  let total = 0;
  for (const node of nodes) {
    for (const dependency of node.dependencies ?? []) {
      const name = typeof dependency === 'string' ? dependency : dependency.name;
      total++;
      if (position.get(name)! < position.get(node.name)!) backwards++;
    }
  }
  expect(backwards).toBe(total);
}

describe('resolvePluginOrder: ordering', () => {
  it('orders a chain registered in dependency order', () => {
    expect(orderOf([plugin('a'), plugin('b', ['a']), plugin('c', ['b'])])).toEqual(['a', 'b', 'c']);
  });

  it('orders a chain registered in reverse dependency order', () => {
    expect(orderOf([plugin('c', ['b']), plugin('b', ['a']), plugin('a')])).toEqual(['a', 'b', 'c']);
  });

  it('orders a diamond with the shared base first and the apex last', () => {
    const nodes = [plugin('app', ['left', 'right']), plugin('left', ['base']), plugin('right', ['base']), plugin('base')];
    expect(orderOf(nodes)).toEqual(['base', 'left', 'right', 'app']);
  });

  it('orders fan-in: the shared dependency before all its dependents, which keep registration order', () => {
    const nodes = [plugin('x', ['core']), plugin('y', ['core']), plugin('z', ['core']), plugin('core')];
    expect(orderOf(nodes)).toEqual(['core', 'x', 'y', 'z']);
  });

  it('orders fan-out: dependencies in declaration order, then the dependent', () => {
    const nodes = [plugin('app', ['c', 'a', 'b']), plugin('a'), plugin('b'), plugin('c')];
    expect(orderOf(nodes)).toEqual(['c', 'a', 'b', 'app']);
  });

  it('breaks ties by registration order', () => {
    expect(orderOf([plugin('z'), plugin('a'), plugin('m')])).toEqual(['z', 'a', 'm']);
    expect(orderOf([plugin('b'), plugin('a', ['c']), plugin('c'), plugin('d')])).toEqual(['b', 'c', 'a', 'd']);
  });

  it('accepts detailed declarations and lists each dependency once when declared twice', () => {
    const nodes = [plugin('app', [{ name: 'crm', version: '^1.0.0', reason: 'contacts' }, 'crm']), plugin('crm')];
    expect(resolvePluginOrder(nodes)).toEqual({ order: ['crm', 'app'], warnings: [] });
  });

  it('returns an empty order for no plugins', () => {
    expect(resolvePluginOrder([])).toEqual({ order: [], warnings: [] });
  });
});

describe('resolvePluginOrder: cycles', () => {
  it('reports a 2-cycle', () => {
    const nodes = [plugin('plugin-a', ['plugin-b']), plugin('plugin-b', ['plugin-a'])];
    const error = resolutionError(nodes);
    expect(error.errors.map((e) => e.message)).toEqual([
      'Circular dependency detected: plugin-a -> plugin-b -> plugin-a',
    ]);
    expect(error.errors[0]).toBeInstanceOf(CircularDependencyError);
    expect((error.errors[0] as CircularDependencyError).cycle).toEqual(['plugin-a', 'plugin-b', 'plugin-a']);
  });

  it('reports a 3-cycle starting at the re-entered plugin', () => {
    const nodes = [plugin('plugin-a', ['plugin-b']), plugin('plugin-b', ['plugin-c']), plugin('plugin-c', ['plugin-a'])];
    expect(() => resolvePluginOrder(nodes)).toThrow(
      'Plugin dependency resolution failed: Circular dependency detected: plugin-a -> plugin-b -> plugin-c -> plugin-a',
    );
  });

  it('reports a self-dependency', () => {
    const error = resolutionError([plugin('plugin-a', ['plugin-a'])]);
    expect(error.errors.map((e) => e.message)).toEqual(['Circular dependency detected: plugin-a -> plugin-a']);
  });

  it('reports every cycle, each once, even when a dependency is declared twice', () => {
    const nodes = [
      plugin('a', ['b']),
      plugin('b', ['a', 'a']),
      plugin('ok'),
      plugin('x', ['y']),
      plugin('y', ['x', 'y']),
    ];
    expect(resolutionError(nodes).errors.map((e) => e.message)).toEqual([
      'Circular dependency detected: a -> b -> a',
      'Circular dependency detected: x -> y -> x',
      'Circular dependency detected: y -> y',
    ]);
  });

  it('blocks cycle members and their dependents, not plugins the cycle depends on', () => {
    const nodes = [plugin('base'), plugin('a', ['base', 'b']), plugin('b', ['a']), plugin('top', ['b'])];
    const analysis = analyzePluginGraph(nodes);
    const cycle = analysis.problems[0];
    expect(cycle.message).toBe('Circular dependency detected: a -> b -> a');
    expect(analysis.order).toEqual(['base']);
    expect([...analysis.blocked]).toEqual([
      ['b', cycle],
      ['a', cycle],
      ['top', cycle],
    ]);
  });

  it('reports a 10,000-long cycle without overflowing the stack', () => {
    const size = 10_000;
    const nodes = Array.from({ length: size }, (_, i) => plugin(`p${i}`, [`p${(i + 1) % size}`]));
    const [cycle] = resolutionError(nodes).errors as CircularDependencyError[];
    expect(cycle.cycle).toHaveLength(size + 1);
    expect(cycle.cycle.slice(0, 2)).toEqual(['p0', 'p1']);
    expect(cycle.cycle.slice(-2)).toEqual(['p9999', 'p0']);
  });
});

describe('resolvePluginOrder: missing dependencies and versions', () => {
  it('reports a missing required dependency with its range', () => {
    const nodes = [plugin('reports', [{ name: 'inventory', version: '^1.0.0' }])];
    expect(() => resolvePluginOrder(nodes)).toThrow(
      'Plugin dependency resolution failed: Plugin "reports" requires "inventory" (^1.0.0), which is not installed',
    );
    const [missing] = resolutionError(nodes).errors;
    expect(missing).toBeInstanceOf(MissingDependencyError);
    expect(missing).toMatchObject({ pluginName: 'reports', dependencyName: 'inventory', range: '^1.0.0' });
  });

  it('reports a missing bare dependency as any version', () => {
    const [missing] = resolutionError([plugin('reports', ['inventory'])]).errors;
    expect(missing.message).toBe('Plugin "reports" requires "inventory" (any version), which is not installed');
    expect((missing as MissingDependencyError).range).toBeUndefined();
  });

  it('reports a version outside the range', () => {
    const nodes = [plugin('plugin-crm', [], '1.5.0'), plugin('plugin-analytics', [{ name: 'plugin-crm', version: '^2.0.0' }])];
    const [mismatch] = resolutionError(nodes).errors;
    expect(mismatch).toBeInstanceOf(VersionMismatchError);
    expect(mismatch.message).toBe('Version mismatch: plugin-crm@1.5.0 does not satisfy ^2.0.0 (required by plugin-analytics)');
  });

  it('compares versions as semver, not as strings', () => {
    const nodes = [
      plugin('lib', [], '1.10.0'),
      plugin('caret', [{ name: 'lib', version: '^1.9.0' }]),
      plugin('bounded', [{ name: 'lib', version: '>=1.2.0 <2.0.0' }]),
      plugin('tilde', [{ name: 'lib', version: '~1.9.0' }]),
      plugin('pre', [{ name: 'lib', version: '^1.9.0' }, { name: 'beta', version: '^1.0.0' }]),
      plugin('beta', [], '1.1.0-beta.1'),
      plugin('legacy', [], '1.8.0'),
      plugin('same-range', [{ name: 'legacy', version: '^1.9.0' }]),
    ];
    expect(resolutionError(nodes).errors.map((e) => e.message)).toEqual([
      'Version mismatch: lib@1.10.0 does not satisfy ~1.9.0 (required by tilde)',
      'Version mismatch: beta@1.1.0-beta.1 does not satisfy ^1.0.0 (required by pre)',
      'Version mismatch: legacy@1.8.0 does not satisfy ^1.9.0 (required by same-range)',
    ]);
  });

  it('treats an absent optional dependency as a warning and still orders the plugin', () => {
    const nodes = [plugin('reports', [{ name: 'analytics', version: '>=2.0.0', optional: true }, 'core']), plugin('core')];
    expect(resolvePluginOrder(nodes)).toEqual({
      order: ['core', 'reports'],
      warnings: ['Plugin "reports" optionally depends on "analytics" (>=2.0.0), which is not installed'],
    });
  });

  it('uses a present optional dependency as an ordering edge', () => {
    const nodes = [plugin('reports', [{ name: 'analytics', optional: true }]), plugin('analytics')];
    expect(resolvePluginOrder(nodes)).toEqual({ order: ['analytics', 'reports'], warnings: [] });
  });

  it('reports a present optional dependency outside its range', () => {
    const nodes = [plugin('analytics', [], '1.4.0'), plugin('reports', [{ name: 'analytics', version: '>=2.0.0', optional: true }])];
    const error = resolutionError(nodes);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toBeInstanceOf(VersionMismatchError);
    expect(error.errors[0].message).toBe('Version mismatch: analytics@1.4.0 does not satisfy >=2.0.0 (required by reports)');
  });
});

describe('resolvePluginOrder: several problems', () => {
  const nodes = [
    plugin('reports', [{ name: 'inventory', version: '^1.0.0' }]),
    plugin('plugin-crm', [], '1.5.0'),
    plugin('plugin-analytics', [{ name: 'plugin-crm', version: '^2.0.0' }]),
    plugin('plugin-a', ['plugin-b']),
    plugin('plugin-b', ['plugin-a']),
    plugin('healthy', ['plugin-crm']),
  ];

  it('reports a missing dependency, a mismatch and a cycle together', () => {
    const error = resolutionError(nodes);
    expect(error.errors.map((e) => e.constructor)).toEqual([MissingDependencyError, VersionMismatchError, CircularDependencyError]);
    expect(error.message).toBe(
      [
        'Plugin dependency resolution failed with 3 errors:',
        '  - Plugin "reports" requires "inventory" (^1.0.0), which is not installed',
        '  - Version mismatch: plugin-crm@1.5.0 does not satisfy ^2.0.0 (required by plugin-analytics)',
        '  - Circular dependency detected: plugin-a -> plugin-b -> plugin-a',
      ].join('\n'),
    );
  });

  it('analyzes the same graph without throwing, keeping the unaffected plugins in order', () => {
    const analysis = analyzePluginGraph(nodes);
    const [missing, mismatch, cycle] = analysis.problems;
    expect(analysis.order).toEqual(['plugin-crm', 'healthy']);
    expect(analysis.blocked).toEqual(
      new Map([
        ['reports', missing],
        ['plugin-analytics', mismatch],
        ['plugin-b', cycle],
        ['plugin-a', cycle],
      ]),
    );
  });

  it('blocks the transitive dependents of a missing plugin and nothing else', () => {
    const chain = [
      plugin('unrelated'),
      plugin('top', ['middle']),
      plugin('middle', ['bottom']),
      plugin('bottom', ['inventory']),
      plugin('side', ['unrelated']),
    ];
    const analysis = analyzePluginGraph(chain);
    expect(analysis.problems.map((e) => e.message)).toEqual([
      'Plugin "bottom" requires "inventory" (any version), which is not installed',
    ]);
    expect(analysis.order).toEqual(['unrelated', 'side']);
    expect(analysis.blocked).toEqual(
      new Map([
        ['bottom', analysis.problems[0]],
        ['middle', analysis.problems[0]],
        ['top', analysis.problems[0]],
      ]),
    );
  });

  it('does not block a plugin whose blocked dependency is only optional: it can start without it', () => {
    const analysis = analyzePluginGraph([plugin('reports', [{ name: 'analytics', optional: true }]), plugin('analytics', ['gone'])]);
    expect(analysis.order).toEqual(['reports']);
    expect([...analysis.blocked.keys()]).toEqual(['analytics']);
  });
});

describe('resolvePluginOrder: large graphs', () => {
  const size = 10_000;

  it('orders 10,000 plugins with ~50,000 edges, every dependency first', () => {
    const random = seededRandom(42);
    const dependenciesOf = Array.from({ length: size }, (_, i) => {
      const dependencies = new Set<number>(i > 0 ? [i - 1] : []);
      while (i > 0 && dependencies.size < Math.min(5, i)) dependencies.add(Math.floor(random() * i));
      return [...dependencies].map((d) => `p${d}`);
    });
    // Register in a seeded shuffle so the walk cannot just follow the array.
    const registration = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [registration[i], registration[j]] = [registration[j], registration[i]];
    }
    const nodes = registration.map((i) => plugin(`p${i}`, dependenciesOf[i]));
    const edgeCount = dependenciesOf.reduce((sum, dependencies) => sum + dependencies.length, 0);
    expect(edgeCount).toBe(5 * size - 15);

    const { order } = resolvePluginOrder(nodes);
    expect(order).toHaveLength(size);
    expect(new Set(order).size).toBe(size);
    expectEveryEdgeBackwards(nodes, order);
  });

  it('orders a 10,000-long chain without overflowing the stack', () => {
    const nodes = Array.from({ length: size }, (_, i) => plugin(`p${i}`, i + 1 < size ? [`p${i + 1}`] : []));
    const { order } = resolvePluginOrder(nodes);
    expect(order).toEqual(Array.from({ length: size }, (_, i) => `p${size - 1 - i}`));
  });
});
