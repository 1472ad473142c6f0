import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The package as users get it: built, packed with `npm pack`, installed from the tarball into
 * projects outside this repository (so nothing resolves from its node_modules) with only the
 * required peers, then compiled with `skipLibCheck: false` and run, as ESM (`nodenext` and
 * `bundler`) and as CommonJS. No optional peer is installed: no typeorm, express, nats, S3 SDK
 * or swagger. The app follows the README: a plugin from an npm package (built against the
 * tarball, installed as a dependency), one with configuration, typed calls, and the testing kit.
 */

const run = promisify(execFile);
const root = process.cwd();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const consumerSources = join(root, 'test', 'e2e', 'package', 'consumer-app');
const pluginPackageSources = join(root, 'test', 'e2e', 'package', 'plugin-package');
const PLUGIN_PACKAGE = '@acme/nest-plugin-greeting';
/** The required peers (and class-validator, which the consumer's config class imports), at the versions this repository tests with. */
const CONSUMER_DEPENDENCIES = ['@nestjs/common', '@nestjs/core', '@nestjs/event-emitter', 'reflect-metadata', 'rxjs', 'class-validator', '@types/node'];
const OPTIONAL_PEERS = ['typeorm', '@nestjs/typeorm', 'better-sqlite3', 'express', 'nats', '@aws-sdk/client-s3', '@nestjs/swagger', '@types/express'];

const compilerOptions = {
  target: 'ES2022',
  strict: true,
  skipLibCheck: false,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  rootDir: 'src',
  outDir: 'out',
  types: ['node'],
};
const CONSUMERS = [
  { name: 'ESM, module nodenext', type: 'module', options: { module: 'nodenext' } },
  { name: 'ESM, moduleResolution bundler', type: 'module', options: { module: 'esnext', moduleResolution: 'bundler' } },
  // NestJS 12 is ESM-only, so a CommonJS project needs TypeScript's require(esm) support (module nodenext).
  { name: 'CommonJS, module nodenext', type: 'commonjs', options: { module: 'nodenext' } },
] as const;

let workspace: string;
let consumerRoot: string;
let tarball: string;

async function installedVersion(name: string): Promise<string> {
  return JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Compiles lib/ the way `npm run build` does, marks the declarations, and packs: the tarball's path. */
async function packPackage(): Promise<string> {
  const staging = join(workspace, 'package');
  await mkdir(staging, { recursive: true });
  await cp(join(root, 'package.json'), join(staging, 'package.json'));
  await cp(join(root, 'README.md'), join(staging, 'README.md'));
  await writeFile(
    join(staging, 'tsconfig.json'),
    JSON.stringify({ extends: join(root, 'tsconfig.build.json'), compilerOptions: { rootDir: root, outDir: join(staging, 'dist'), typeRoots: [join(root, 'node_modules', '@types')] }, include: [join(root, 'lib')] }),
  );
  await run(process.execPath, [tsc, '-p', join(staging, 'tsconfig.json')]);
  await run(process.execPath, [join(root, '.ci', 'mark-optional-peer-types.mjs'), staging]);
  await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', workspace], { cwd: staging });
  const [tarball] = (await readdir(workspace)).filter((name) => name.endsWith('.tgz'));
  return join(workspace, tarball!);
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'nestjs-plugins-pack-'));
  tarball = await packPackage();
  consumerRoot = join(workspace, 'consumers');
  await mkdir(consumerRoot);
  await writeFile(join(consumerRoot, 'package.json'), JSON.stringify({ name: 'consumers', private: true }));
  const dependencies = await Promise.all(CONSUMER_DEPENDENCIES.map(async (name) => `${name}@${await installedVersion(name)}`));
  // From npm's cache when it has them (`npm ci` in this repository filled it).
  const install = (...specs: string[]) =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], { cwd: consumerRoot });
  await install(tarball, ...dependencies);
  await install(await buildPluginPackage());
}, 300_000);

/** A plugin package as its author would publish it (docs/writing-plugins.md), built against the packed package: its directory. */
async function buildPluginPackage(): Promise<string> {
  const directory = join(consumerRoot, 'greeting-package');
  await cp(pluginPackageSources, join(directory, 'src'), { recursive: true });
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({
      name: PLUGIN_PACKAGE,
      version: '2.0.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      peerDependencies: { 'nestjs-plugins': '^0.1.0' },
    }),
  );
  await writeFile(
    join(directory, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'nodenext', outDir: 'dist', declaration: true } }),
  );
  await run(process.execPath, [tsc, '-p', directory]);
  return directory;
}

const npmInstall = (cwd: string, ...specs: string[]) =>
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], { cwd });

/**
 * The workflow of docs/writing-plugins.md: nestjs-plugins a peer and a devDependency (the tarball),
 * `npm install` in the package (so it has its own copy), compiled with tsc: its directory.
 */
async function buildTypeScriptPluginPackage(): Promise<string> {
  const directory = join(workspace, 'nest-plugin-counter');
  await cp(join(root, 'test', 'e2e', 'package', 'typescript-plugin'), join(directory, 'src'), { recursive: true });
  const versions = Object.fromEntries(await Promise.all(['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs', '@types/node', '@types/express'].map(async (name) => [name, await installedVersion(name)])));
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({
      name: '@acme/nest-plugin-counter',
      version: '3.0.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist'],
      peerDependencies: { 'nestjs-plugins': '^0.1.0', '@nestjs/common': '^12.0.0' },
      devDependencies: { 'nestjs-plugins': `file:${tarball}`, ...versions },
    }),
  );
  await writeFile(join(directory, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'nodenext', outDir: 'dist', declaration: true } }));
  await npmInstall(directory);
  const compiled = await run(process.execPath, [tsc, '-p', directory]).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
  expect(compiled).toBe('');
  return directory;
}

afterAll(async () => {
  if (workspace !== undefined) await rm(workspace, { recursive: true, force: true });
});

describe('a TypeScript plugin package with its own copy of the library, installed with file:', () => {
  it('loads at boot and at runtime: exposed methods, the controller route at boot, ctx.http routes', async () => {
    const pluginPackage = await buildTypeScriptPluginPackage();
    const app = join(workspace, 'http-app');
    await cp(join(root, 'test', 'e2e', 'package', 'http-consumer'), app, { recursive: true });
    const names = ['@nestjs/common', '@nestjs/core', '@nestjs/event-emitter', '@nestjs/platform-express', 'express', 'reflect-metadata', 'rxjs'];
    const versions = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await installedVersion(name)])));
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ type: 'module', dependencies: { 'nestjs-plugins': `file:${tarball}`, '@acme/nest-plugin-counter': `file:${pluginPackage}`, ...versions } }),
    );
    await npmInstall(app);
    // The package keeps its own copy: the case that failed with `not a class decorated with @Plugin()`.
    expect(await readFile(join(app, 'node_modules', '@acme', 'nest-plugin-counter', 'node_modules', 'nestjs-plugins', 'package.json'), 'utf8')).toContain('"nestjs-plugins"');

    const { stdout } = await run(process.execPath, [join(app, 'main.mjs')], { cwd: app });
    expect(stdout.trim().split('\n')).toEqual([
      'boot call: Hello from TypeScript, ada!',
      'boot provider call: counter counted 1',
      'boot controller: 200 {"who":"ada","said":"counter counted 2"}',
      'boot ctx.http: 200 {"pong":"counter"}',
      'runtime call: Hello from TypeScript, grace!',
      'runtime provider call: counter counted 1',
      'runtime ctx.http: 200 {"pong":"counter"}',
    ]);
  }, 300_000);
});

describe('the packed package in a new project', () => {
  it('installs none of the optional peers with it', async () => {
    const installed = new Set(await readdir(join(consumerRoot, 'node_modules')));
    for (const scope of [...installed].filter((name) => name.startsWith('@'))) {
      for (const name of await readdir(join(consumerRoot, 'node_modules', scope))) installed.add(`${scope}/${name}`);
    }
    expect(OPTIONAL_PEERS.filter((name) => installed.has(name))).toEqual([]);
    expect(installed.has('nestjs-plugins')).toBe(true);
  });

  it.each(CONSUMERS)('compiles with skipLibCheck false and runs: $name', async ({ name, type, options }) => {
    const project = join(consumerRoot, name.replace(/\W+/g, '-'));
    await cp(consumerSources, join(project, 'src'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ type }));
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, ...options } }));

    const compiled = await run(process.execPath, [tsc, '-p', project]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe('');

    const { stdout } = await run(process.execPath, [join(project, 'out', 'main.js')], { cwd: project });
    expect(stdout.trim().split('\n')).toEqual([
      'call: ada has 105',
      'typed: 107',
      'package: Hello from a package, ada!',
      'plugins: greeting@2.0.0,leaderboard@1.0.0,scores@1.2.0',
      'no typeorm: PluginDatabaseUnavailableError',
      'config: Invalid configuration for plugin "scores": startingScore must not be less than 0',
      'gateway subpath: refused: needs @nestjs/swagger',
      'testing: 8',
      'testing module: 42',
    ]);
  }, 120_000);
});
