import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = join(root, 'test/types/fixtures/readable-errors.ts');

// A typed call's mistakes must read as what they are (an argument missing, a wrong method),
// not as `Argument of type '"scores"' is not assignable to parameter of type 'never'`.
describe('compile errors of typed calls', () => {
  it('name the mistake', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram({ rootNames: [fixture], options: { ...parsed.options, noEmit: true } });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === fixture)
      .map((diagnostic) => [diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!).line + 1, ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')]);

    const expected = ts.sys
      .readFile(fixture)!
      .split('\n')
      .flatMap((line, index) => (line.includes('// error: ') ? [[index + 1, line.split('// error: ')[1]]] : []));
    expect(expected).toHaveLength(5);
    expect(messages).toEqual(expected);
  });
});
