import { PluginInstallError, type PluginInstallReason } from '../errors/install.errors.js';
import type { PluginRegistryOptions, RegistryKey } from './install-options.js';
import type { InstalledOrigin } from './installed-origin.js';
import type { FetchedManifest, Pacote } from './optional-installer-packages.js';
import { NPM_REGISTRY_KEYS, NPM_REGISTRY_URL } from './npm-registry-keys.js';
import { unsafeTarballEntry } from './tarball-entries.js';

export const DEFAULT_MAX_TARBALL_BYTES = 50 * 1024 * 1024;
const SLSA_PROVENANCE = /^https:\/\/slsa\.dev\/provenance\//;

/** A package fetched and verified, still in memory: nothing of it is on disk yet. */
export interface VerifiedPackage {
  readonly origin: InstalledOrigin;
  readonly tarball: Buffer;
}

/** pacote's error codes, as the reasons the install gives. */
const REASONS: Readonly<Record<string, PluginInstallReason>> = {
  EINTEGRITY: 'INTEGRITY_MISMATCH',
  EINTEGRITYSIGNATURE: 'SIGNATURE_INVALID',
  EMISSINGSIGNATUREKEY: 'SIGNATURE_INVALID',
  EEXPIREDSIGNATUREKEY: 'SIGNATURE_INVALID',
  EMANIFESTMISMATCH: 'SIGNATURE_INVALID',
  EATTESTATIONSUBJECT: 'PROVENANCE_INVALID',
  EATTESTATIONVERIFY: 'PROVENANCE_INVALID',
};

/**
 * Fetches `spec` (a range, or an exact version with its integrity pinned) and verifies it before
 * anything is written: the registry signature over `<name>@<version>:<integrity>` against `keys`
 * and provenance attestations where present (pacote's own checks), a missing signature (pacote
 * lets it pass), the tarball's sha512 as it streams in, its size, and every entry's path and type.
 */
export async function fetchVerifiedPackage(pacote: Pacote, spec: string, registry: PluginRegistryOptions, cache: string, pinnedIntegrity?: string): Promise<VerifiedPackage> {
  const options = pacoteOptions(registry, cache);
  const maxBytes = registry.maxTarballBytes ?? DEFAULT_MAX_TARBALL_BYTES;
  const manifest = await refusing(spec, () => pacote.manifest(spec, { ...options, ...(pinnedIntegrity === undefined ? {} : { integrity: pinnedIntegrity }) }));
  const exact = `${manifest.name}@${manifest.version}`;
  const integrity = manifest._integrity;
  if (integrity === undefined || !integrity.startsWith('sha512-')) throw new PluginInstallError(exact, 'INTEGRITY_MISMATCH', 'the registry gives no sha512 integrity for it');
  const keyid = manifest._signatures?.[0]?.keyid;
  if (keyid === undefined && registry.allowUnsigned !== true) {
    throw new PluginInstallError(exact, 'SIGNATURE_MISSING', 'the registry did not sign it (set registry.allowUnsigned for a registry that does not sign)');
  }
  const provenanceRepository = provenanceOf(manifest);
  if (provenanceRepository === undefined && registry.requireProvenance === true) {
    throw new PluginInstallError(exact, 'PROVENANCE_MISSING', 'it has no provenance attestation, and registry.requireProvenance is set');
  }
  const tarball = await refusing(exact, () => pacote.tarball.stream(exact, (stream) => collect(stream, maxBytes, exact), { ...options, integrity, resolved: manifest._resolved }));
  const unsafe = await unsafeTarballEntry(tarball, maxBytes);
  if (unsafe !== undefined) throw new PluginInstallError(exact, 'UNSAFE_TARBALL', unsafe);
  const origin: InstalledOrigin = {
    package: manifest.name,
    version: manifest.version,
    integrity,
    registry: registry.url ?? NPM_REGISTRY_URL,
    ...(keyid === undefined ? {} : { keyid }),
    ...(provenanceRepository === undefined || provenanceRepository === '' ? {} : { provenanceRepository }),
  };
  return { origin, tarball };
}

/** pacote's options: the registry, its keys under its host (npm's `//host/path:_keys` form), verification on. */
export function pacoteOptions(registry: PluginRegistryOptions, cache: string): Record<string, unknown> {
  const url = new URL(registry.url ?? NPM_REGISTRY_URL);
  const keys = (registry.keys ?? NPM_REGISTRY_KEYS).map((key: RegistryKey) => ({ ...key, pemkey: `-----BEGIN PUBLIC KEY-----\n${key.key}\n-----END PUBLIC KEY-----` }));
  return {
    registry: url.href,
    [`//${url.host}${url.pathname}:_keys`]: keys,
    verifySignatures: true,
    verifyAttestations: true,
    fullMetadata: true,
    cache,
    tufCache: `${cache}/tuf`,
    preferOnline: true,
  };
}

async function collect(stream: AsyncIterable<Buffer>, maxBytes: number, exact: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw new PluginInstallError(exact, 'UNSAFE_TARBALL', `its tarball is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The repository a verified SLSA provenance names; `''` for an attestation without one, undefined without provenance. */
function provenanceOf(manifest: FetchedManifest): string | undefined {
  const bundle = manifest._attestationBundles?.find(({ predicateType }) => SLSA_PROVENANCE.test(predicateType));
  if (bundle === undefined) return undefined;
  try {
    const statement = JSON.parse(Buffer.from(bundle.bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      predicate?: { buildDefinition?: { externalParameters?: { workflow?: { repository?: string } } } };
    };
    return statement.predicate?.buildDefinition?.externalParameters?.workflow?.repository ?? '';
  } catch {
    return '';
  }
}

/** pacote's failures as install refusals: a verification code names its reason, anything else is a fetch failure. */
async function refusing<T>(spec: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof PluginInstallError) throw error;
    // A stream's integrity failure can reach us wrapped by an emitter that had no listener for it.
    const { code, context } = error as { code?: string; context?: { code?: string } };
    const reason = REASONS[(code === 'ERR_UNHANDLED_ERROR' ? context?.code : code) ?? ''] ?? 'FETCH_FAILED';
    throw new PluginInstallError(spec, reason, describe(error as Error, reason), { cause: error });
  }
}

function describe(error: Error, reason: PluginInstallReason): string {
  if (reason === 'INTEGRITY_MISMATCH') return 'its tarball does not match the integrity the registry published';
  if (reason === 'FETCH_FAILED') return `the registry could not provide it: ${firstLine(error.message)}`;
  return firstLine(error.message);
}

function firstLine(text: string): string {
  return String(text).split('\n')[0];
}
