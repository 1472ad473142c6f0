/** Where an installed plugin came from, as `nodes()`, the console and the REST API show it. */
export interface InstalledOrigin {
  /** the npm package */
  readonly package: string;
  readonly version: string;
  /** the tarball's sha512 integrity, verified before unpacking */
  readonly integrity: string;
  /** the registry it was fetched from */
  readonly registry: string;
  /** the key that signed `<name>@<version>:<integrity>`; absent for an unsigned package (`allowUnsigned`) */
  readonly keyid?: string;
  /** the source repository its verified provenance attestation names; absent without provenance */
  readonly provenanceRepository?: string;
}

const PINNED = /^registry:((?:@[^/@]+\/)?[^/@]+)@([^#]+)#(sha512-[A-Za-z0-9+/=]+)$/;

/** How the cluster's desired state names an installed plugin: the exact tarball, never the range. */
export function pinnedSource({ package: name, version, integrity }: InstalledOrigin): string {
  return `registry:${name}@${version}#${integrity}`;
}

/** The package, version and integrity a pinned source names, or undefined when it is not one. */
export function parsePinnedSource(source: string): { name: string; version: string; integrity: string } | undefined {
  const match = PINNED.exec(source);
  return match === null ? undefined : { name: match[1], version: match[2], integrity: match[3] };
}
