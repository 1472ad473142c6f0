import { heartbeatsLast, maskGenerated } from '../../e2e/docs/support/generated-values.js';
import { walkthroughSteps } from '../../e2e/docs/support/walkthrough-script.js';

const page = (body: string) => `# App\n\n## Walk\n\n${body}\n\n## Next\n\n\`\`\`bash\nnot run\n\`\`\`\n`;

describe('the README walk-through as steps', () => {
  it('reads console blocks as commands and their output, and markers as actions', () => {
    const markdown = page(
      [
        '<!-- walkthrough: start npm start -->',
        '```console',
        '$ curl -s localhost:3000/a',
        '{"a":1}',
        '$ curl -s localhost:3000/b',
        'line 1',
        'line 2',
        '```',
        '<!-- walkthrough: stop -->',
        '<!-- walkthrough: fails npm start -->',
        '```',
        'Error: no',
        '```',
      ].join('\n'),
    );
    expect(walkthroughSteps(markdown, '## Walk')).toEqual([
      { kind: 'start', line: 5, command: 'npm start' },
      {
        kind: 'commands',
        line: 6,
        commands: [
          { command: 'curl -s localhost:3000/a', output: '{"a":1}' },
          { command: 'curl -s localhost:3000/b', output: 'line 1\nline 2' },
        ],
      },
      { kind: 'stop', line: 13 },
      { kind: 'fails', line: 15, command: 'npm start', output: 'Error: no' },
    ]);
  });

  it('refuses a block it would not know how to run, and an unknown action', () => {
    expect(() => walkthroughSteps(page('```bash\nrm -rf x\n```'), '## Walk')).toThrow('README line 5: a bash block without a walkthrough comment');
    expect(() => walkthroughSteps(page('<!-- walkthrough: dance -->'), '## Walk')).toThrow('README line 5: unknown walkthrough action "dance"');
  });

  it('masks generated values alike on both sides', () => {
    expect(maskGenerated('{"id":"ab01371f-bd25-41cc-9007-6c8dcec05f36","at":"2026-11-23T16:20:59.529Z","url":"http://127.0.0.1:4100"} +12ms /tmp/x/data', '/tmp/x')).toBe(
      '{"id":"<uuid>","at":"<time>","url":"http://127.0.0.1:<port>"} +<ms> <dir>/data',
    );
    expect(heartbeatsLast('a\nheartbeat globex\nheartbeat acme\nb\nheartbeat acme')).toBe('a\nb\nheartbeat acme\nheartbeat globex');
  });
});
