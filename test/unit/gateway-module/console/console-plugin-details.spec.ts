import type { ModuleRef } from '@nestjs/core';
import { ConsolePluginDetailsReader } from '../../../../lib/gateway-module/console/console-plugin-details.reader.js';
import type { HostPaths } from '../../../../lib/gateway-module/host-paths.js';
import type { PluginInfo } from '../../../../lib/interfaces/plugin-state.interface.js';
import { MASKED, maskSecrets } from '../../../../lib/gateway-module/console/console-plugin-details.js';

describe('maskSecrets', () => {
  it('masks the value of every key naming a secret, password, token or key, at any depth and in any case', () => {
    const config = { region: 'eu', apiKey: 'k1', db: { Password: 'p', hosts: [{ name: 'a', SECRET_SALT: 's' }] }, authToken: { nested: 'all of it' }, retries: 3 };
    expect(maskSecrets(config)).toEqual({ region: 'eu', apiKey: MASKED, db: { Password: MASKED, hosts: [{ name: 'a', SECRET_SALT: MASKED }] }, authToken: MASKED, retries: 3 });
  });

  it('passes every other string through the hider (host paths out)', () => {
    expect(maskSecrets({ dataDir: '/srv/app/data', tags: ['/srv/app'] }, (text) => text.replace('/srv/app', '.'))).toEqual({ dataDir: './data', tags: ['.'] });
  });
});

describe('ConsolePluginDetailsReader', () => {
  const reader = (): ConsolePluginDetailsReader => {
    const moduleRef = { get: () => { throw new Error('not in this module'); } } as unknown as ModuleRef;
    const paths = { hide: (text: string) => text.replaceAll('/srv/app', '<app>') } as unknown as HostPaths;
    const details = new ConsolePluginDetailsReader(moduleRef, paths);
    details.onModuleInit();
    return details;
  };
  const plugin = (restarting?: PluginInfo['restarting']): PluginInfo =>
    ({ name: 'fragile', version: '1.0.0', state: 'active', metadata: { name: 'fragile', version: '1.0.0', isolation: 'process' }, ...(restarting ? { restarting } : {}) }) as PluginInfo;

  it('shows a restart under way (attempt, allowed, why), host paths out of the reason', () => {
    expect(reader().detailsOf(plugin({ attempt: 2, maxRestarts: 3, reason: 'crashed: /srv/app/faults.js:7' }))).toEqual({
      isolation: 'process',
      restarting: { attempt: 2, maxRestarts: 3, reason: 'crashed: <app>/faults.js:7' },
      routes: [],
      methods: [],
      logs: { errors: [], lines: [] },
    });
    expect(reader().detailsOf(plugin()).restarting).toBeUndefined();
  });
});
