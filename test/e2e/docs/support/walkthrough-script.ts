/**
 * The README's walk-through as a list of steps to run. Console blocks (`$ command`, then its
 * output) run as they are; everything else a reader does by hand is said by an HTML comment
 * the page does not show, `<!-- walkthrough: <action> [argument] -->`:
 *
 * - `start <command>`: start the app (in the background) and wait until it answers;
 *   `start` alone starts the next block as the app;
 * - `stop`: Ctrl+C the app; `log <text>`: the app has printed the text;
 * - `run <command>`: a command that must succeed, its output not shown;
 * - `fails <command>`: the command exits with an error whose output holds each line of the next block;
 * - `background`: the next console block's one command keeps running (its first lines compared);
 * - `serve`: the next console block's one command is a server that keeps running; each line shown is among what it prints;
 * - `interrupt`: Ctrl+C that command; the next block is what it printed since;
 * - `output <command>`: the next block is that command's output.
 */
export type WalkthroughStep =
  | { kind: 'commands'; line: number; commands: { command: string; output: string }[] }
  | { kind: 'start'; line: number; command: string }
  | { kind: 'stop'; line: number }
  | { kind: 'log'; line: number; text: string }
  | { kind: 'run'; line: number; command: string }
  | { kind: 'fails'; line: number; command: string; output: string }
  | { kind: 'background'; line: number; command: string; output: string }
  | { kind: 'serve'; line: number; command: string; output: string }
  | { kind: 'interrupt'; line: number; output: string }
  | { kind: 'output'; line: number; command: string; output: string };

interface Block {
  line: number;
  language: string;
  text: string;
}

const MARKER = /^<!-- walkthrough: (\w+)(?: (.*?))? -->$/;
const BLOCK_ACTIONS = new Set(['fails', 'background', 'serve', 'interrupt', 'output']);

/** The lines of the section whose heading is `heading`, up to the next heading of its level. */
export function sectionOf(markdown: string, heading: string): { lines: string[]; firstLine: number } {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`README has no "${heading}" section`);
  const level = heading.slice(0, heading.indexOf(' ') + 1);
  const end = lines.findIndex((line, index) => index > start && line.startsWith(level));
  return { lines: lines.slice(start + 1, end === -1 ? undefined : end), firstLine: start + 2 };
}

/** `$ command` lines and the output below each. */
export function consoleCommands(text: string): { command: string; output: string }[] {
  const commands: { command: string; output: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
    else if (commands.length === 0) throw new Error(`console block output before any "$ " command: ${line}`);
    else commands.at(-1)!.output.push(line);
  }
  return commands.map(({ command, output }) => ({ command, output: output.join('\n') }));
}

export function walkthroughSteps(markdown: string, heading: string): WalkthroughStep[] {
  const { lines, firstLine } = sectionOf(markdown, heading);
  const steps: WalkthroughStep[] = [];
  let pending: { action: string; argument: string; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = firstLine + index;
    const marker = MARKER.exec(lines[index]);
    if (marker !== null) {
      if (pending !== undefined) throw new Error(`README line ${pending.line}: "${pending.action}" needs the block below it`);
      const [, action, argument = ''] = marker;
      if (BLOCK_ACTIONS.has(action) || (action === 'start' && argument === '')) pending = { action, argument, line };
      else steps.push(standaloneStep(action, argument, line));
      continue;
    }
    if (!lines[index].startsWith('```')) continue;
    const end = lines.findIndex((candidate, after) => after > index && candidate === '```');
    const block: Block = { line, language: lines[index].slice(3), text: lines.slice(index + 1, end).join('\n') };
    index = end;
    steps.push(blockStep(block, pending));
    pending = undefined;
  }
  return steps;
}

function standaloneStep(action: string, argument: string, line: number): WalkthroughStep {
  switch (action) {
    case 'start':
      return { kind: 'start', line, command: argument };
    case 'stop':
      return { kind: 'stop', line };
    case 'log':
      return { kind: 'log', line, text: argument };
    case 'run':
      return { kind: 'run', line, command: argument };
    default:
      throw new Error(`README line ${line}: unknown walkthrough action "${action}"`);
  }
}

function blockStep(block: Block, marker: { action: string; argument: string } | undefined): WalkthroughStep {
  const { line, text } = block;
  switch (marker?.action) {
    case undefined:
      if (block.language !== 'console') throw new Error(`README line ${line}: a ${block.language || 'plain'} block without a walkthrough comment`);
      return { kind: 'commands', line, commands: consoleCommands(text) };
    case 'start':
      return { kind: 'start', line, command: text };
    case 'fails':
      return { kind: 'fails', line, command: marker.argument, output: text };
    case 'output':
      return { kind: 'output', line, command: marker.argument, output: text };
    case 'interrupt':
      return { kind: 'interrupt', line, output: text };
    default: {
      const [only, ...more] = consoleCommands(text);
      if (more.length > 0) throw new Error(`README line ${line}: a ${marker!.action} block has one command`);
      return { kind: marker!.action === 'serve' ? 'serve' : 'background', line, command: only.command, output: only.output };
    }
  }
}
