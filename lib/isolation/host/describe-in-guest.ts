import { pathToFileURL } from 'node:url';
import { basename } from 'node:path';
import { InvalidPluginMetadataError, PluginLoadError, PluginSandboxUnavailableError, UnscopedDatabaseAccessError } from '../../errors/index.js';
import type { GuestFunctions } from '../guest-protocol.js';
import type { ConfigOutcome } from '../../metadata/described-config.js';
import type { PluginDescription } from '../plugin-description.js';
import { openRpcChannel, type RpcChannel } from '../rpc-channel.js';
import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';
import { launchGuest, type LaunchedGuest } from './guest-launcher.js';

/** Importing a plugin and its dependencies; a guest that takes longer is stopped and the load fails. */
const DESCRIBE_TIMEOUT_MS = 30_000;

export interface DescribeRequest {
  /** the plugin's module file; only the guest imports it */
  readonly moduleFile: string;
  /** the source as errors name it: `"<file>"` or `package "<name>"` */
  readonly label: string;
  /** rewrites an import failure's message before it goes into the error (to keep host paths out) */
  readonly describeFailure: (message: string) => string;
  readonly trustedPlugins: ReadonlySet<string>;
  /** `forRoot({ sandbox })`: a plugin's code runs in the sandbox from its first line */
  readonly sandbox?: SandboxMode;
  /** the host's configuration values for a plugin of that name, when known: checked in the same guest */
  readonly configValues?: (pluginName: string) => unknown;
}

export interface DescribedPlugin {
  readonly description: PluginDescription;
  /** what the describing guest made of `configValues(name)`, when given and the plugin has a `configSchema` */
  readonly config?: { readonly values: unknown; readonly outcome: ConfigOutcome };
  /** the describing guest, still running, when `keep` asked for it: the plugin's first start can take it over */
  readonly guest?: LaunchedGuest;
}

/**
 * Reads a plugin's metadata without running its code in the host: a short-lived guest in a
 * process imports the module and reports it as data. The guest is stopped, unless the
 * description succeeded and `keep` wants it; failures are the `PluginLoadError`s an import in
 * the host would give.
 */
export async function describeInGuest(request: DescribeRequest, keep: (description: PluginDescription) => boolean = () => false): Promise<DescribedPlugin> {
  return withDescribingGuest(request, async (guest, bounded): Promise<DescribedPlugin> => {
    const outcome = await bounded(guest.describe(pathToFileURL(request.moduleFile).href, [...request.trustedPlugins]));
    switch (outcome.kind) {
      case 'import-failed':
        throw new PluginLoadError(request.label, `import failed: ${request.describeFailure(outcome.message)}`);
      case 'not-a-plugin':
        throw new PluginLoadError(request.label, 'its default export is not a class decorated with @Plugin()');
      case 'invalid-metadata':
        throw new InvalidPluginMetadataError(outcome.subject, outcome.problems);
      case 'unscoped-database-access':
        throw new UnscopedDatabaseAccessError(outcome.pluginName, outcome.door);
    }
    const { description } = outcome;
    const name = description.metadata.name;
    if (!description.hasConfigSchema || request.configValues === undefined || typeof name !== 'string') return { description };
    const values = request.configValues(name);
    return { description, config: { values, outcome: await bounded(guest.resolveConfig(values)) } };
  }, (result) => keep(result.description));
}

/** Checks configuration values against the `configSchema` of a plugin described before (a new short-lived guest). */
export function checkConfigInGuest(request: DescribeRequest, values: unknown): Promise<ConfigOutcome> {
  return withDescribingGuest(request, async (guest, bounded) => {
    const outcome = await bounded(guest.describe(pathToFileURL(request.moduleFile).href, [...request.trustedPlugins]));
    if (outcome.kind !== 'described') throw new PluginLoadError(request.label, 'its module no longer declares the plugin it declared when it was loaded');
    return bounded(guest.resolveConfig(values));
  });
}

type Bounded = <T>(answer: Promise<T>) => Promise<T>;

/**
 * A process guest in the host's sandbox, with no environment (the plugin's `env` is not known
 * yet). Where `'required'` cannot be met nothing of the plugin runs, not even to read its name,
 * so the refusal names the source: its package, or its file's name (never a host path).
 */
function launchDescribingGuest(request: DescribeRequest): LaunchedGuest {
  try {
    return launchGuest({ mode: 'process', moduleFile: request.moduleFile, env: [], sandbox: request.sandbox });
  } catch (error) {
    if (!(error instanceof PluginSandboxUnavailableError)) throw error;
    const source = /^package "(.*)"$/.exec(request.label)?.[1] ?? basename(request.moduleFile);
    throw new PluginLoadError(request.label, `it needs a sandbox to be read: ${error.reason}`, { cause: new PluginSandboxUnavailableError(source, error.reason) });
  }
}

/** Runs `work` on a describing guest, then stops it, or hands it over in the result when `kept` says so. */
async function withDescribingGuest<T extends object>(
  request: DescribeRequest,
  work: (guest: RpcChannel<GuestFunctions, object>, bounded: Bounded) => Promise<T>,
  kept: (result: T) => boolean = () => false,
): Promise<T & { guest?: LaunchedGuest }> {
  const launched = launchDescribingGuest(request);
  const failure = (reason: string) => new PluginLoadError(request.label, `import failed: ${reason}`);
  let ended: (error: Error) => void = () => undefined;
  const end = new Promise<never>((_, reject) => (ended = reject));
  end.catch(() => undefined);
  launched.onExit((reason) => ended(failure(`the process that read its metadata ${reason}`)));
  const timer = setTimeout(() => ended(failure(`its metadata was not read within ${DESCRIBE_TIMEOUT_MS} ms`)), DESCRIBE_TIMEOUT_MS);
  // The guest may ask nothing of the host while it is described: an empty side answers every call with an error.
  const guest = await openRpcChannel<GuestFunctions, object>({}, launched.endpoint);
  let keepGuest = false;
  try {
    const result = await work(guest, (answer) => Promise.race([answer, end]));
    keepGuest = kept(result);
    return keepGuest ? { ...result, guest: launched } : result;
  } finally {
    clearTimeout(timer);
    guest.$close();
    if (keepGuest) launched.holdHost(false);
    else await launched.terminate();
  }
}
