import {
  CallerMismatchError,
  CircularDependencyError,
  ContextInvalidatedError,
  MethodNotExposedError,
  MissingDependencyError,
  PluginError,
  PluginNotActiveError,
  PluginSandboxUnavailableError,
  UndeclaredDependencyError,
  VersionMismatchError,
} from '../../lib/errors/index.js';

// The messages users match on, word for word from SPEC.md, with their stable codes.
describe('error catalogue', () => {
  it.each([
    [new MissingDependencyError('reports', 'inventory', '^1.0.0'), 'PLUGIN_MISSING_DEPENDENCY', 'Plugin "reports" requires "inventory" (^1.0.0), which is not installed'],
    [
      new VersionMismatchError('plugin-analytics', 'plugin-crm', '1.5.0', '^2.0.0'),
      'PLUGIN_VERSION_MISMATCH',
      'Version mismatch: plugin-crm@1.5.0 does not satisfy ^2.0.0 (required by plugin-analytics)',
    ],
    [
      new CircularDependencyError(['plugin-a', 'plugin-b', 'plugin-c', 'plugin-a']),
      'PLUGIN_CIRCULAR_DEPENDENCY',
      'Circular dependency detected: plugin-a -> plugin-b -> plugin-c -> plugin-a',
    ],
    [new PluginNotActiveError('user-utils'), 'PLUGIN_NOT_ACTIVE', 'Plugin "user-utils" is not active'],
    [new MethodNotExposedError('user-utils', 'nonExistent'), 'PLUGIN_METHOD_NOT_EXPOSED', 'Plugin "user-utils" has no method "nonExistent"'],
    [
      new UndeclaredDependencyError('leaderboard', 'analytics'),
      'PLUGIN_UNDECLARED_DEPENDENCY',
      'Plugin "leaderboard" did not declare a dependency on "analytics"',
    ],
    [new CallerMismatchError('attacker', 'friend'), 'PLUGIN_CALLER_MISMATCH', 'Plugin "attacker" may not call as "friend"'],
    [
      new ContextInvalidatedError('my-plugin'),
      'PLUGIN_CONTEXT_INVALIDATED',
      'Context of plugin "my-plugin" is no longer valid (plugin was unloaded)',
    ],
    [
      new PluginSandboxUnavailableError('word-stats', 'bubblewrap (bwrap) is not installed'),
      'PLUGIN_SANDBOX_UNAVAILABLE',
      'Plugin "word-stats" needs a sandbox: bubblewrap (bwrap) is not installed',
    ],
  ])('%s', (error: PluginError, code: string, message: string) => {
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(error.constructor.name);
  });
});
