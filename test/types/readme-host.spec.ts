import 'reflect-metadata';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Test } from '@nestjs/testing';
import ts from 'typescript';
import { PluginRegistry } from 'nestjs-plugins';

/**
 * The host the README's install section shows (the blocks marked `<!-- readme-file: path -->`),
 * written to files as pasted: it type-checks with the settings the README gives, and its
 * AppModule boots (its SQLite file moved to this run's own directory).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let directory: string;

async function readmeFiles(): Promise<Map<string, string>> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const files = new Map<string, string>();
  for (const [, path, text] of readme.matchAll(/^<!-- readme-file: (\S+) -->\n```ts\n([\s\S]*?)\n```$/gm)) files.set(path, `${text}\n`);
  return files;
}

beforeAll(async () => {
  await mkdir(join(root, 'test', '.tmp'), { recursive: true });
  directory = await mkdtemp(join(root, 'test', '.tmp', 'readme-host-'));
  for (const [path, text] of await readmeFiles()) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), text);
  }
});

afterAll(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe("the README's host application", () => {
  it('has an AppModule and a main.ts', async () => {
    expect([...(await readmeFiles()).keys()]).toEqual(['src/app.module.ts', 'src/main.ts']);
  });

  it('type-checks as pasted, with the compiler options the README gives', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const settings = /TypeScript settings it relies on:\n\n```jsonc\n([\s\S]*?)\n```/.exec(readme)![1].replace(/\/\/.*$/gm, '');
    const given = ts.convertCompilerOptionsFromJson(JSON.parse(settings).compilerOptions, directory);
    expect(given.errors).toEqual([]);
    // the repository's options only for what the README leaves to the reader (target), and to find nestjs-plugins in lib/
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const options = { ...parsed.options, ...given.options, types: ['node'], noEmit: true };
    const program = ts.createProgram({ rootNames: [join(directory, 'src/main.ts')], options });
    const messages = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(messages).toEqual([]);
  }, 120_000);

  it('boots its AppModule on SQLite', async () => {
    const file = join(directory, 'src/app.module.ts');
    const database = join(directory, 'data', 'app.sqlite');
    await writeFile(file, (await readFile(file, 'utf8')).replace("'data/app.sqlite'", JSON.stringify(database)));
    const { AppModule } = await import(file);
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      expect(app.get(PluginRegistry).list()).toEqual([]);
    } finally {
      await app.close();
    }
    await expect(readFile(database)).resolves.toBeInstanceOf(Buffer);
  });
});
