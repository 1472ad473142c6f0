/** A registry signing key as npm serves them at `/-/npm/v1/keys`. */
export interface RegistryKey {
  readonly keyid: string;
  /** the public key: base64 DER (SPKI), ECDSA P-256 */
  readonly key: string;
  /** signatures on packages published after this date are refused (`null` or absent: no end) */
  readonly expires?: string | null;
}

/** Where `PluginManager.install` fetches packages and what it requires of them. */
export interface PluginRegistryOptions {
  /** the npm registry (default `https://registry.npmjs.org/`) */
  url?: string;
  /** the keys the registry signs with (default: the public registry's, pinned in the library) */
  keys?: readonly RegistryKey[];
  /** install packages that carry no registry signature (a registry that does not sign, e.g. Verdaccio). Default false */
  allowUnsigned?: boolean;
  /** refuse packages without a verified provenance attestation (sigstore). Default false */
  requireProvenance?: boolean;
  /** largest tarball accepted, compressed and unpacked alike, in bytes (default 52 428 800: 50 MiB) */
  maxTarballBytes?: number;
}

/** What `PluginManager.install` reads of `PluginModuleOptions`. */
export interface PluginInstallOptions {
  registry?: PluginRegistryOptions;
  /**
   * Where installed packages go, one folder per package and version. Default `installed-plugins`
   * in the application's directory (`packagesRoot`): inside it, an installed plugin's
   * `import 'nestjs-plugins'` resolves to the application's copy.
   */
  installDir?: string;
}
