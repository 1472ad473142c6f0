import { effectiveIsolationMode } from '../../../lib/isolation/host/effective-isolation.js';
import { guestEntryMissing } from '../../../lib/isolation/host/guest-entry.js';

describe('effectiveIsolationMode', () => {
  it('runs a plugin inline when there is no compiled guest to start (TypeScript sources, as under Jest)', () => {
    expect(guestEntryMissing()).toBe(true);
    expect(effectiveIsolationMode('word-stats', 'thread', undefined)).toBe('inline');
    expect(effectiveIsolationMode('word-stats', undefined, { 'word-stats': 'process' })).toBe('inline');
  });
});
