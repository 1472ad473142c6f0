import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/types/fixtures');

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (parsed === undefined) throw new Error('tsconfig.json cannot be read');
  return { ...parsed.options, noEmit: true };
}

function diagnosticsOf(rootNames: string[], options = compilerOptions()): ts.Diagnostic[] {
  return [...ts.getPreEmitDiagnostics(ts.createProgram({ rootNames, options }))];
}

/** 1-based line numbers of diagnostics in `file`. */
function errorLines(diagnostics: ts.Diagnostic[], file: string): number[] {
  return diagnostics
    .filter((diagnostic) => diagnostic.file?.fileName === file)
    .map((diagnostic) => diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!).line + 1);
}

describe('compile-time checks of PluginTypes', () => {
  it('accepts every correct use', () => {
    const diagnostics = diagnosticsOf([join(fixtures, 'correct-usage.ts')]);
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });

  it('rejects each misuse, and only the misuses', () => {
    const file = join(fixtures, 'misuses.ts');
    const lines = ts.sys.readFile(file)!.split('\n');
    const misuseLines = lines.flatMap((line, index) => (line.includes('// misuse') ? [index + 1] : []));
    expect(misuseLines.length).toBeGreaterThanOrEqual(13);

    const diagnostics = diagnosticsOf([file]);
    const failing = new Set(errorLines(diagnostics, file));
    expect(misuseLines.filter((line) => !failing.has(line))).toEqual([]); // every misuse is an error
    expect([...failing].filter((line) => !misuseLines.includes(line))).toEqual([]); // and nothing else is
    expect(diagnostics.filter((d) => d.file?.fileName !== file)).toEqual([]);
  });

  it('type-checks the whole project (lib, sample, plugins, tests, bench)', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const diagnostics = diagnosticsOf(parsed.fileNames, { ...parsed.options, noEmit: true });
    expect(diagnostics.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 120_000);
});
