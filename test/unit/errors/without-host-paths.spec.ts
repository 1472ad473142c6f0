import { withoutHostPaths } from '../../../lib/errors/without-host-paths.js';

describe('withoutHostPaths', () => {
  const directories = ['/srv/app', '/srv/app/plugins', '/tmp'];

  it('names files relative to the deepest directory, in path and URL form', () => {
    expect(withoutHostPaths('Cannot load plugin from "/srv/app/plugins/x.plugin.js": imported from file:///srv/app/plugins/x.plugin.js', directories)).toBe(
      'Cannot load plugin from "x.plugin.js": imported from x.plugin.js',
    );
    expect(withoutHostPaths('at /srv/app/node_modules/a.js and /tmp/scratch', directories)).toBe('at node_modules/a.js and scratch');
    expect(withoutHostPaths('in /srv/app/plugins', directories)).toBe('in .');
  });

  it('leaves a sibling directory that starts alike to its own rule', () => {
    expect(withoutHostPaths('see /srv/app2/x.js and /srv/app.', ['/srv/app'])).toBe('see /srv/app2/x.js and ..');
  });

  it('leaves other text and a root directory alone', () => {
    expect(withoutHostPaths('GET /products/9 answered 404', [...directories, '/'])).toBe('GET /products/9 answered 404');
  });
});
