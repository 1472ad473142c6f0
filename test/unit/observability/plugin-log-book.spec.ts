import { LogRing } from '../../../lib/observability/logs/log-ring.js';
import { ERRORS_PER_PLUGIN, LINES_PER_PLUGIN, MAX_LINE_CHARS, PluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import type { PluginLogEntry } from '../../../lib/observability/logs/plugin-log-entry.js';

const line = (plugin: string, message: string, level: PluginLogEntry['level'] = 'log'): PluginLogEntry => ({ time: '2026-01-01T00:00:00.000Z', level, message, plugin });

describe('LogRing', () => {
  it('keeps the last items, oldest first', () => {
    const ring = new LogRing<number>(3);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    const short = new LogRing<number>(3);
    short.push(1);
    expect(short.toArray()).toEqual([1]);
  });
});

describe('PluginLogBook', () => {
  it('keeps each plugin’s last lines, and its errors apart so chatter cannot push them out', () => {
    const book = new PluginLogBook();
    book.record(line('a', 'it broke', 'error'));
    for (let i = 0; i < LINES_PER_PLUGIN + 10; i++) book.record(line('a', `line ${i}`));
    book.record(line('b', 'other plugin'));
    const { lines, errors } = book.of('a');
    expect(lines).toHaveLength(LINES_PER_PLUGIN);
    expect(lines.at(-1)?.message).toBe(`line ${LINES_PER_PLUGIN + 9}`);
    expect(errors.map((entry) => entry.message)).toEqual(['it broke']);
    expect(book.of('b').lines.map((entry) => entry.message)).toEqual(['other plugin']);
    expect(book.of('nobody')).toEqual({ lines: [], errors: [] });
  });

  it('bounds errors and line length, and feeds listeners until they unsubscribe', () => {
    const book = new PluginLogBook();
    const seen: string[] = [];
    const stop = book.subscribe((entry) => seen.push(entry.message));
    for (let i = 0; i < ERRORS_PER_PLUGIN + 5; i++) book.record(line('a', `fatal ${i}`, 'fatal'));
    book.record(line('a', 'x'.repeat(MAX_LINE_CHARS + 100)));
    stop();
    book.record(line('a', 'unseen'));
    expect(book.of('a').errors).toHaveLength(ERRORS_PER_PLUGIN);
    expect(book.of('a').lines.at(-2)?.message).toHaveLength(MAX_LINE_CHARS + 1);
    expect(seen).toHaveLength(ERRORS_PER_PLUGIN + 6);
    book.forget('a');
    expect(book.of('a').lines).toEqual([]);
  });
});
