import { PluginError } from '../../../../lib/errors/plugin.error.js';
import {
  SharedDataArgumentError,
  SharedDataOwnershipError,
  SharedDataUnavailableError,
  SharedDataValueError,
} from '../../../../lib/errors/shared-data.errors.js';

describe('shared data errors', () => {
  it.each([
    [
      new SharedDataOwnershipError('analytics', 'overwrite', 'crm', 'lastSync', 'crm'),
      'PLUGIN_SHARED_DATA_OWNERSHIP',
      'Plugin "analytics" may not overwrite "crm/lastSync" owned by "crm"',
    ],
    [
      new SharedDataOwnershipError('analytics', 'delete', 'crm', 'lastSync', 'crm'),
      'PLUGIN_SHARED_DATA_OWNERSHIP',
      'Plugin "analytics" may not delete "crm/lastSync" owned by "crm"',
    ],
    [
      new SharedDataValueError('crm', 'k', 'function is not a JSON value'),
      'PLUGIN_SHARED_DATA_INVALID_VALUE',
      'Shared data "crm/k" cannot be stored: function is not a JSON value',
    ],
    [new SharedDataArgumentError('key', 'must be short'), 'PLUGIN_SHARED_DATA_INVALID_ARGUMENT', 'Invalid shared data key: must be short'],
    [
      new SharedDataUnavailableError(),
      'PLUGIN_SHARED_DATA_UNAVAILABLE',
      'Shared data is unavailable: the application has no TypeORM DataSource (import TypeOrmModule.forRoot(...) from @nestjs/typeorm)',
    ],
  ])('%s', (error: PluginError, code: string, message: string) => {
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(error.constructor.name);
  });
});
