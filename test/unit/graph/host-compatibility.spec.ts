import { HostVersionMismatchError, MissingDependencyError, PluginResolutionError } from '../../../lib/errors/index.js';
import { analyzePluginGraph, resolvePluginOrder, type PluginNode } from '../../../lib/graph/resolve-plugin-order.js';

function plugin(name: string, hostRange?: string, dependencies: PluginNode['dependencies'] = []): PluginNode {
  return { name, version: '1.0.0', dependencies, ...(hostRange === undefined ? {} : { hostRange }) };
}

/** The PluginResolutionError resolvePluginOrder throws; fails the test if it returns. */
function resolutionError(nodes: PluginNode[], hostVersion: string): PluginResolutionError {
  try {
    resolvePluginOrder(nodes, { hostVersion });
  } catch (error) {
    expect(error).toBeInstanceOf(PluginResolutionError);
    return error as PluginResolutionError;
  }
  throw new Error('expected resolvePluginOrder to throw');
}

describe('resolvePluginOrder: host compatibility', () => {
  it('starts plugins whose hostRange the host version satisfies', () => {
    expect(resolvePluginOrder([plugin('billing', '^1.2.0'), plugin('audit')], { hostVersion: '1.4.0' })).toEqual({ order: ['billing', 'audit'], warnings: [] });
  });

  it('reports an unsatisfied range as HostVersionMismatchError, code PLUGIN_HOST_VERSION_MISMATCH', () => {
    const error = resolutionError([plugin('billing', '^1.2.0')], '1.0.0');
    expect(error.errors).toHaveLength(1);
    const [mismatch] = error.errors;
    expect(mismatch).toBeInstanceOf(HostVersionMismatchError);
    expect(mismatch.code).toBe('PLUGIN_HOST_VERSION_MISMATCH');
    expect(mismatch).toMatchObject({ pluginName: 'billing', range: '^1.2.0', hostVersion: '1.0.0' });
    expect(error.message).toBe('Plugin dependency resolution failed: Plugin "billing" requires host ^1.2.0, but the host is 1.0.0');
  });

  it('reports a host mismatch with the other problems, in registration order', () => {
    const error = resolutionError([plugin('reports', undefined, ['inventory']), plugin('billing', '>=2.0.0')], '1.4.0');
    expect(error.errors.map((problem) => problem.constructor)).toEqual([MissingDependencyError, HostVersionMismatchError]);
    expect(error.message).toBe(
      [
        'Plugin dependency resolution failed with 2 errors:',
        '  - Plugin "reports" requires "inventory" (any version), which is not installed',
        '  - Plugin "billing" requires host >=2.0.0, but the host is 1.4.0',
      ].join('\n'),
    );
  });

  it('blocks the plugins that require a mismatched plugin, not the others', () => {
    const analysis = analyzePluginGraph(
      [plugin('billing', '^2.0.0'), plugin('invoices', undefined, ['billing']), plugin('reports', undefined, [{ name: 'billing', optional: true }])],
      { hostVersion: '1.4.0' },
    );
    const [mismatch] = analysis.problems;
    expect(analysis.problems).toHaveLength(1);
    expect(analysis.blocked).toEqual(new Map([['billing', mismatch], ['invoices', mismatch]]));
    expect(analysis.order).toEqual(['reports']);
  });

  it("keeps npm's prerelease rule: 4.0.0-beta does not satisfy >=3.x, and 1.3.0-rc.1 not ^1.2.0", () => {
    expect(resolutionError([plugin('billing', '>=3.x')], '4.0.0-beta').errors[0].message).toBe(
      'Plugin "billing" requires host >=3.x, but the host is 4.0.0-beta',
    );
    expect(resolutionError([plugin('billing', '^1.2.0')], '1.3.0-rc.1').errors).toHaveLength(1);
    expect(resolvePluginOrder([plugin('billing', '>=4.0.0-alpha')], { hostVersion: '4.0.0-beta' }).order).toEqual(['billing']);
  });

  it('treats a range it cannot parse as unsatisfied rather than crashing', () => {
    expect(resolutionError([plugin('billing', 'not a range')], '1.0.0').errors[0]).toBeInstanceOf(HostVersionMismatchError);
  });

  it('checks nothing without a host version, and warns for each plugin that declares a range', () => {
    expect(resolvePluginOrder([plugin('billing', '^9.0.0'), plugin('audit')])).toEqual({
      order: ['billing', 'audit'],
      warnings: ['Plugin "billing" requires host ^9.0.0, but no hostVersion is set: the range is not checked'],
    });
  });

  it('refuses a host version that is not semver', () => {
    expect(() => resolvePluginOrder([plugin('billing', '^1.0.0')], { hostVersion: '1.x' })).toThrow(
      new TypeError('hostVersion must be a valid semver version (got "1.x")'),
    );
  });
});
