import { jest } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { GuestOutput } from '../../../lib/isolation/host/guest-output.js';

/** What a guest wrote on stderr, read to its end by a GuestOutput. */
async function readStderr(text: string): Promise<{ output: GuestOutput; written: string[] }> {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const output = new GuestOutput('demo');
    const stderr = new PassThrough();
    output.follow(null, stderr);
    stderr.end(text);
    await new Promise((resolve) => setImmediate(resolve));
    return { output, written: write.mock.calls.map(([chunk]) => String(chunk)).filter((chunk) => chunk.startsWith('[plugin ') || chunk.trim() === '') };
  } finally {
    write.mockRestore();
  }
}

const UNCAUGHT = [
  `file://${process.cwd()}/plugins/demo.js:7`,
  "    throw new Error('boom');",
  '    ^',
  '',
  'Error: boom',
  `    at Timeout._onTimeout (file://${process.cwd()}/plugins/demo.js:7:11)`,
  '    at listOnTimeout (node:internal/timers:581:17)',
  '',
  'Node.js v20.20.2',
  '',
].join('\n');

describe('GuestOutput', () => {
  it('prefixes each line with the plugin, the last one without its newline too', async () => {
    const { written } = await readStderr('first\nsec');
    expect(written).toEqual(['[plugin demo] first\n', '[plugin demo] sec\n']);
  });

  it('leaves blank lines blank', async () => {
    const { written } = await readStderr('first\n\n  \nlast\n');
    expect(written).toEqual(['[plugin demo] first\n', '\n', '  \n', '[plugin demo] last\n']);
  });

  it('takes the uncaught error Node printed last, without host paths', async () => {
    const { output } = await readStderr(`a line of the plugin's own\n\n${UNCAUGHT}`);
    expect(output.lastError()).toBe('Error: boom\n    at Timeout._onTimeout (plugins/demo.js:7:11)\n    at listOnTimeout (node:internal/timers:581:17)');
  });

  it('does not take an error the plugin printed itself before exiting', async () => {
    const { output } = await readStderr('Error: handled\n    at work (plugins/demo.js:3:9)\n');
    expect(output.lastError()).toBeUndefined();
  });

  it('takes the heap limit message', async () => {
    const { output } = await readStderr('<--- Last few GCs --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n');
    expect(output.lastError()).toBe('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
  });
});
