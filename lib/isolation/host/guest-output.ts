import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { hostDirectories, withoutHostPaths } from '../../errors/without-host-paths.js';

/** Enough lines for an uncaught error's stack as Node prints it (ten frames and the source line). */
const KEPT_LINES = 40;

/**
 * A guest's stdout and stderr, each line written to the host's own with `[plugin <name>] ` in
 * front (blank lines as they are), so interleaved output says whose it is. The last lines of
 * stderr are kept: a process guest's uncaught error is printed there just before it exits.
 */
export class GuestOutput {
  private readonly kept: string[] = [];

  constructor(private readonly pluginName: string) {}

  follow(stdout: Readable | null, stderr: Readable | null): void {
    this.pipe(stdout, process.stdout, false);
    this.pipe(stderr, process.stderr, true);
  }

  /**
   * The error the guest died of as Node printed it (`Error: …` and its stack, host paths taken
   * out): the paragraph before Node's closing `Node.js v…` line, or the heap limit's `FATAL ERROR`.
   * An error the plugin printed itself earlier is not taken for it.
   */
  lastError(): string | undefined {
    const paragraphs = this.kept.join('\n').split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
    const closing = paragraphs.length >= 2 && /^Node\.js v\d/.test(paragraphs[paragraphs.length - 1]);
    const error = closing ? paragraphs[paragraphs.length - 2] : paragraphs.find((paragraph) => paragraph.startsWith('FATAL ERROR'));
    return error === undefined ? undefined : withoutHostPaths(error, hostDirectories());
  }

  private pipe(stream: Readable | null, to: Writable, keep: boolean): void {
    if (stream === null) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      // A blank line stays blank: a prefix alone would say nothing, and breaks the paragraphs of a stack trace.
      to.write(line.trim() === '' ? `${line}\n` : `[plugin ${this.pluginName}] ${line}\n`);
      if (!keep) return;
      this.kept.push(line);
      if (this.kept.length > KEPT_LINES) this.kept.shift();
    });
  }
}
