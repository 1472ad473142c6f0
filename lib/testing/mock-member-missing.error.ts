import { PluginError } from '../errors/plugin.error.js';

/** A member of a mock context that has no in-memory stand-in was used without being given. */
export class MockMemberMissingError extends PluginError {
  readonly code = 'PLUGIN_MOCK_MEMBER_MISSING';

  constructor(
    readonly pluginName: string,
    readonly member: string,
  ) {
    super(`Mock context of plugin "${pluginName}" has no ${member}: pass one to createMockPluginContext({ ${member} })`);
  }
}
