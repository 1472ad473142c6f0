import type { PluginResources } from '../../../../lib/resources/plugin-resources.js';
import { SharedDataService } from '../../../../lib/services/shared-data/shared-data.service.js';

describe('shared data options', () => {
  const resources = {} as PluginResources;

  it.each([0, -5, Number.NaN, 2 ** 31])('refuses a purge interval of %p ms, which Node would turn into 1 ms', (purgeIntervalMs) => {
    expect(() => new SharedDataService(resources, { purgeIntervalMs })).toThrow(RangeError);
    expect(() => new SharedDataService(resources, { purgeIntervalMs })).toThrow(
      `SharedDataOptions.purgeIntervalMs must be between 1 and 2147483647 ms, got ${purgeIntervalMs}`,
    );
  });

  it('accepts no options at all', () => {
    expect(() => new SharedDataService(resources)).not.toThrow();
  });
});
