import { packageEntryCandidates } from '../../../lib/host/package-entry.js';

describe('packageEntryCandidates', () => {
  it.each([
    ['a string', './index.js', './index.js'],
    ['the . subpath', { '.': './main.js', './extra': './extra.js' }, './main.js'],
    ['the import condition', { require: './index.cjs', import: './index.mjs' }, './index.mjs'],
    ['the first matching condition, in order', { default: './default.js', import: './index.mjs' }, './default.js'],
    ['nested conditions', { '.': { node: { types: './x.d.ts', import: './node.js' }, default: './browser.js' } }, './node.js'],
    ['a later condition when the matching one exports nothing', { import: null, default: './fallback.js' }, './fallback.js'],
    ['the first usable item of an array', ['../outside.js', { import: './index.js' }], './index.js'],
  ])('reads exports given as %s', (_case, exports, entry) => {
    expect(packageEntryCandidates({ exports, main: './ignored.js' })).toEqual([entry]);
  });

  it.each([
    ['only a require condition', { require: './index.cjs' }],
    ['no . subpath', { './extra': './extra.js' }],
    ['a target outside the package', '../elsewhere.js'],
    ['a target that is not relative', 'index.js'],
    ['null', { '.': null }],
  ])('finds no entry when exports have %s', (_case, exports) => {
    expect(packageEntryCandidates({ exports })).toEqual([]);
  });

  it('tries main as Node does without exports, then index.js', () => {
    expect(packageEntryCandidates({ main: 'lib/plugin' })).toEqual(['lib/plugin', 'lib/plugin.js', 'lib/plugin/index.js', 'index.js']);
    expect(packageEntryCandidates({})).toEqual(['index.js']);
  });
});
