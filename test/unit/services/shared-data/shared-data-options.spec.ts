import type { ModuleRef } from '@nestjs/core';
import { SharedDataService } from '../../../../lib/services/shared-data/shared-data.service.js';

describe('shared data options', () => {
  const moduleRef = {} as ModuleRef;

  it.each([0, -5, Number.NaN, 2 ** 31])('refuses a purge interval of %p ms, which Node would turn into 1 ms', (purgeIntervalMs) => {
    expect(() => new SharedDataService(moduleRef, { purgeIntervalMs })).toThrow(RangeError);
    expect(() => new SharedDataService(moduleRef, { purgeIntervalMs })).toThrow(
      `SharedDataOptions.purgeIntervalMs must be between 1 and 2147483647 ms, got ${purgeIntervalMs}`,
    );
  });

  it('accepts no options at all', () => {
    expect(() => new SharedDataService(moduleRef)).not.toThrow();
  });
});
