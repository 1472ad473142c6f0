import { isolationModeOf } from '../../../lib/isolation/isolation-mode.js';

describe('isolationModeOf', () => {
  it('lets the host choice win over the plugin, and defaults to inline', () => {
    expect(isolationModeOf('a', 'thread', { a: 'inline' })).toBe('inline');
    expect(isolationModeOf('a', 'thread', { b: 'process' })).toBe('thread');
    expect(isolationModeOf('a', undefined, undefined)).toBe('inline');
    expect(isolationModeOf('a', undefined, { a: 'process' })).toBe('process');
  });
});
