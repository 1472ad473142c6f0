import { isPackageName } from '../../../lib/host/plugin-package-name.js';

describe('isPackageName', () => {
  it.each(['billing', '@acme/nest-plugin-billing', 'nest-plugin.billing', 'Legacy_Name', '@acme/x~y'])('takes %s for a package', (source) => {
    expect(isPackageName(source)).toBe(true);
  });

  it.each([
    ['a relative path', './billing'],
    ['a parent path', '../billing'],
    ['an absolute path', '/srv/plugins/billing'],
    ['a path with a directory', 'plugins/my-plugin.js'],
    ['a path with directories after a scope', '@acme/billing/dist/index.js'],
    ['a file without a directory', 'billing.plugin.js'],
    ['an .mjs file', 'billing.mjs'],
    ['a TypeScript file', 'billing.plugin.ts'],
    ['a Windows path', 'C:\\plugins\\billing'],
    ['a file URL', 'file:///srv/billing.js'],
    ['a hidden name', '.billing'],
    ['an empty string', ''],
  ])('takes %s for a file', (_case, source) => {
    expect(isPackageName(source)).toBe(false);
  });
});
