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
