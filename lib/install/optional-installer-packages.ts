import { PluginInstallError } from '../errors/install.errors.js';

/** What the install uses of pacote (npm's fetcher); it ships no types of its own. */
export interface Pacote {
  manifest(spec: string, options: object): Promise<FetchedManifest>;
  extract(spec: string, destination: string, options: object): Promise<unknown>;
  tarball: { stream<T>(spec: string, handler: (stream: AsyncIterable<Buffer>) => Promise<T>, options: object): Promise<T> };
}

export interface FetchedManifest {
  readonly name: string;
  readonly version: string;
  readonly _integrity?: string;
  readonly _resolved?: string;
  readonly _signatures?: readonly { keyid: string; sig: string }[];
  readonly _attestations?: unknown;
  readonly _attestationBundles?: readonly { predicateType: string; bundle: { dsseEnvelope: { payload: string } } }[];
}

/** What the install uses of Arborist (npm's tree builder). */
export interface ArboristClass {
  new (options: object): { reify(options: object): Promise<unknown> };
}

/**
 * pacote, @npmcli/arborist and tar (which reads the tarball's entries) are optional peers: only a host that installs from a registry
 * carries their weight. Without them `install` says which package to add.
 */
export async function loadInstallerPackages(packageSpec: string): Promise<{ pacote: Pacote; Arborist: ArboristClass }> {
  const pacote = await optionalPeer<Pacote>('pacote', packageSpec);
  const arborist = await optionalPeer<ArboristClass>('@npmcli/arborist', packageSpec);
  await optionalPeer<unknown>('tar', packageSpec);
  return { pacote, Arborist: arborist };
}

/** An optional peer's module (its default export for CommonJS), or `INSTALLER_MISSING` naming the package to add. */
export async function optionalPeer<T>(name: string, packageSpec: string): Promise<T> {
  let loaded: { default?: T };
  try {
    loaded = (await import(name)) as { default?: T };
  } catch (cause) {
    const { code, message } = cause as { code?: string; message?: string };
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${name}'`);
    if (!missing) throw cause;
    throw new PluginInstallError(packageSpec, 'INSTALLER_MISSING', `installing from a registry needs the package "${name}": add it to the application (npm install ${name})`, { cause });
  }
  return loaded.default ?? (loaded as T);
}
