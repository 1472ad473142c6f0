import { planInstall } from '../../../../lib/services/dependencies/install-plan.js';
import type { DependencyStatus, ServiceDependency } from '../../../../lib/services/dependencies/service-dependency.types.js';

/** `graph['a'] = ['b', '?c']`: a requires b and optionally depends on c. */
function planOf(root: string, graph: Record<string, string[]>, available: string[]) {
  const dependenciesOf = (pluginId: string): ServiceDependency[] =>
    (graph[pluginId] ?? []).map((target) => ({
      pluginId,
      dependsOnPluginId: target.replace('?', ''),
      version: '*',
      required: !target.startsWith('?'),
      source: 'registered',
    }));
  const statusOf = ({ dependsOnPluginId, version, required }: ServiceDependency): DependencyStatus =>
    available.includes(dependsOnPluginId)
      ? { dependsOnPluginId, version, required, available: true, foundVersion: '1.0.0' }
      : { dependsOnPluginId, version, required, available: false };
  return planInstall(root, dependenciesOf, statusOf);
}

describe('planInstall', () => {
  it('orders a shared dependency once, before everything that needs it', () => {
    const plan = planOf('a', { a: ['b', 'c'], b: ['d'], c: ['d'] }, ['b', 'c']);
    expect(plan.installOrder).toEqual(['d', 'b', 'c', 'a']);
    // d is missing: reported once per plugin that requires it
    expect(plan.errors).toEqual([
      'Plugin "b" requires "d" (any version), which is not available (no active plugin or healthy service)',
      'Plugin "c" requires "d" (any version), which is not available (no active plugin or healthy service)',
    ]);
    expect(plan.valid).toBe(false);
  });

  it('is valid with warnings only when only optional dependencies are missing', () => {
    expect(planOf('a', { a: ['b', '?x'] }, ['b'])).toEqual({
      valid: true,
      errors: [],
      warnings: ['Plugin "a" optionally depends on "x" (any version), which is not available (no active plugin or healthy service)'],
      installOrder: ['b', 'a'],
    });
  });

  it('keeps an available optional dependency in the order', () => {
    expect(planOf('a', { a: ['?b'] }, ['b']).installOrder).toEqual(['b', 'a']);
  });

  it('reports a cycle through the root, which then cannot be installed', () => {
    const plan = planOf('a', { a: ['b'], b: ['c'], c: ['a'] }, ['a', 'b', 'c']);
    expect(plan).toEqual({ valid: false, errors: ['Circular dependency detected: a -> b -> c -> a'], warnings: [], installOrder: [] });
  });
});
