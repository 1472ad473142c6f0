import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lib = (file: string) => join(root, 'lib', file);

/**
 * Each facet's interface, and the files of its implementations: host, guest, testing kit.
 * Where one side deliberately has none, it is named: the guest has no `tasks` (not available
 * in isolation); the mock's `topics` and `buckets` are the host's classes over in-memory
 * transports; the mock's `database`, `sharedData` and `http` throw `MockMemberMissingError`.
 */
const FACETS = [
  { facet: 'topics', file: 'interfaces/facets/topics.facet.ts', declaration: 'export interface ScopedTopics {', implementations: ['resources/topics/scoped-topics.ts', 'isolation/guest/guest-topics.ts'] },
  { facet: 'buckets', file: 'interfaces/facets/buckets.facet.ts', declaration: 'export interface ScopedBuckets {', implementations: ['resources/buckets/scoped-buckets.ts', 'isolation/guest/guest-buckets.ts'] },
  { facet: 'database', file: 'interfaces/facets/database.facet.ts', declaration: 'export interface ScopedDatabase {', implementations: ['resources/tables/plugin-database.ts', 'isolation/guest/guest-database.ts'] },
  { facet: 'sharedData', file: 'interfaces/facets/shared-data.facet.ts', declaration: 'export interface SharedDataClient {', implementations: ['services/shared-data/plugin-shared-data.ts', 'isolation/guest/guest-shared-data.ts'] },
  { facet: 'http', file: 'interfaces/facets/http.facet.ts', declaration: 'export interface PluginHttp {', implementations: ['http/scoped-plugin-http.ts', 'isolation/guest/guest-http.ts'] },
  { facet: 'tasks', file: 'interfaces/facets/tasks.facet.ts', declaration: 'export interface ScopedTasks {', implementations: ['tasks/scoped-tasks.ts', 'testing/manual-tasks.ts'] },
  {
    facet: 'eventBus',
    file: 'interfaces/facets/event-bus.facet.ts',
    declaration: 'export interface PluginEventBus {',
    implementations: ['context/scoped-event-bus.ts', 'isolation/guest/guest-event-bus.ts', 'testing/recording-event-bus.ts'],
  },
  {
    facet: 'call',
    file: 'interfaces/facets/call.facet.ts',
    declaration: 'export interface PluginCalls {',
    implementations: ['context/dependency-calls.ts', 'isolation/guest/guest-calls.ts', 'testing/mock-dependencies.ts'],
  },
  // Nest's Logger is the host's: its facet table is where it meets the interface.
  {
    facet: 'logger',
    file: 'interfaces/facets/logger.facet.ts',
    declaration: 'export type PluginLogger = LoggerService',
    implementations: ['context/host-facets.ts', 'isolation/guest/guest-logger.ts', 'testing/recording.logger.ts'],
  },
] as const;

const probeOf = (facet: string) => `${facet}Probe`;

/** The facet file with one more member on its interface, as a change to the library would add it. */
function withProbe(text: string, declaration: string, facet: string): string {
  if (!text.includes(declaration)) throw new Error(`"${declaration}" is not in the facet file any more: update this test`);
  const member = `${probeOf(facet)}(): void;`;
  return declaration.endsWith('{') ? text.replace(declaration, `${declaration}\n  ${member}`) : text.replace(declaration, `${declaration} & { ${member} }`);
}

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (parsed === undefined) throw new Error('tsconfig.json cannot be read');
  return { ...parsed.options, noEmit: true };
}

/** A program of `rootNames` where the files in `edits` read as edited, and `added` files exist in memory. */
function diagnosticsOf(rootNames: string[], edits: Map<string, (text: string) => string>, added = new Map<string, string>()): ts.Diagnostic[] {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => added.has(resolve(fileName)) || fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreateNewSourceFile) => {
    const file = resolve(fileName);
    const edit = edits.get(file);
    const text = added.get(file) ?? (edit === undefined ? undefined : edit(ts.sys.readFile(fileName)!));
    if (text === undefined) return getSourceFile(fileName, languageVersion, onError, shouldCreateNewSourceFile);
    return ts.createSourceFile(fileName, text, languageVersion);
  };
  return [...ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: [...rootNames, ...added.keys()], options, host }))];
}

/** The diagnostics of the implementations, with every facet interface given one more member in memory. */
function diagnosticsWithProbes(): ts.Diagnostic[] {
  const probes = new Map<string, (text: string) => string>(FACETS.map(({ facet, file, declaration }) => [lib(file), (text) => withProbe(text, declaration, facet)]));
  return diagnosticsOf(
    FACETS.flatMap(({ implementations }) => implementations.map(lib)),
    probes,
  );
}

describe('context facets: the compiler holds every implementation to its facet', () => {
  let messagesByFile: Map<string, string[]>;

  beforeAll(() => {
    messagesByFile = new Map();
    for (const diagnostic of diagnosticsWithProbes()) {
      const file = resolve(diagnostic.file?.fileName ?? '');
      messagesByFile.set(file, [...(messagesByFile.get(file) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')]);
    }
  }, 120_000);

  it.each(FACETS.flatMap(({ facet, implementations }) => implementations.map((file) => [facet, file] as const)))(
    'a member added to the %s facet fails %s until it implements it',
    (facet, file) => {
      expect((messagesByFile.get(lib(file)) ?? []).filter((message) => message.includes(probeOf(facet)))).not.toEqual([]);
    },
  );

  it('fails nowhere else: each probe is missing exactly where an implementation stands', () => {
    const expected = new Set(FACETS.flatMap(({ implementations }) => implementations.map(lib)));
    expect([...messagesByFile.keys()].filter((file) => !expected.has(file))).toEqual([]);
  });
});

describe('context facets: the host↔guest protocol is derived from them', () => {
  it('carries an argument added to a facet method through the guest, and fails the host until its implementation takes it', () => {
    const send = 'send(topic: string, messages: { id?: string; key?: string; value: unknown }[]';
    expect(ts.sys.readFile(lib('interfaces/facets/topics.facet.ts'))).toContain(send);
    const edits = new Map([[lib('interfaces/facets/topics.facet.ts'), (text: string) => text.replace(send, `${send}, probe: number`)]]);
    const wireProbe = join(root, 'test', 'types', 'wire-probe.ts');
    // Compiles only if the wire's topicSend follows the facet's arguments.
    const added = new Map([[wireProbe, `import type { HostFunctions } from '../../lib/isolation/guest-protocol.js';\nexport const carried: Parameters<HostFunctions['topicSend']>[2] = 1;\n`]]);
    const diagnostics = diagnosticsOf([lib('isolation/guest/guest-topics.ts'), lib('isolation/host/guest-session.ts')], edits, added);
    const failing = diagnostics.map((diagnostic) => `${relative(root, diagnostic.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    // The guest forwards the facet's arguments as they are; the host hands them to its own ScopedTopics, which lacks the new one.
    expect(failing).toEqual(['lib/isolation/host/guest-session.ts: Expected 2 arguments, but got 3.']);
  }, 120_000);
});
