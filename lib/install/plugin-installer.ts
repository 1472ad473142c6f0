import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginInstallError } from '../errors/install.errors.js';
import { PluginLoadError } from '../errors/registration.errors.js';
import { HostVersion } from '../graph/host-version.js';
import { loadPluginFile, type PluginSourceRules } from '../host/plugin-source.js';
import { guestEntryMissing } from '../isolation/host/guest-entry.js';
import { claimWarmGuest } from '../isolation/host/warm-guests.js';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import type { PluginInstallOptions } from './install-options.js';
import { forgetInstalled, installDirOf, recordInstalled } from './install-ledger.js';
import { parseInstallSpec } from './install-spec.js';
import { parsePinnedSource, pinnedSource, type InstalledOrigin } from './installed-origin.js';
import { loadInstallerPackages } from './optional-installer-packages.js';
import { removeUnpacked, unpackVerified, type UnpackedPackage } from './staged-package.js';
import { fetchVerifiedPackage, type VerifiedPackage } from './verified-package.js';

/** A package installed and described, not yet loaded: the manager loads `declaredClass`, or `discard`s it. */
export interface PreparedInstall {
  readonly origin: InstalledOrigin;
  readonly declaredClass: PluginClass;
  /** removes the package's files and stops the guest that described it */
  discard(): Promise<void>;
}

/**
 * Takes a package from a registry to a plugin class the manager can load: fetched and verified
 * (`fetchVerifiedPackage`), unpacked into `installDir` (`unpackVerified`), then described by a
 * sandboxed guest, as the host never imports an untrusted plugin's code. Remembers where each
 * installed class came from.
 */
export class PluginInstaller {
  readonly installDir: string;
  private readonly origins = new WeakMap<PluginClass, InstalledOrigin>();

  constructor(
    private readonly options: PluginInstallOptions,
    applicationRoot: string,
    private readonly rules: () => PluginSourceRules,
    private readonly hostVersion: string | undefined,
  ) {
    this.installDir = installDirOf(options, applicationRoot);
  }

  /**
   * `<name>@<range>` resolved by the registry; a pinned source (`registry:<name>@<version>#<integrity>`)
   * is that exact tarball. Undefined when `running` says that tarball runs already.
   */
  async prepare(spec: string, running: (origin: InstalledOrigin) => boolean = () => false): Promise<PreparedInstall | undefined> {
    const pinned = parsePinnedSource(spec);
    const wanted = pinned === undefined ? parseInstallSpec(spec) : { name: pinned.name, range: pinned.version };
    if (wanted === undefined) throw new PluginInstallError(String(spec), 'FETCH_FAILED', 'it is not "<package>@<range>" (a registry package name, then a semver range or a dist-tag)');
    const request = `${wanted.name}@${wanted.range}`;
    if (guestEntryMissing()) throw new PluginInstallError(request, 'INSTALLER_MISSING', 'installed plugins run in a process, which needs the compiled library (the guest entry is missing)');
    const installer = await loadInstallerPackages(request);
    const registry = this.options.registry ?? {};
    // Fetch cache and unpacking inside the install folder (one file system: the final move is a rename), removed whatever happens.
    const created = await mkdir(this.installDir, { recursive: true });
    const staging = await mkdtemp(join(this.installDir, '.staging-'));
    let verified: VerifiedPackage;
    let unpacked: UnpackedPackage;
    try {
      verified = await fetchVerifiedPackage(installer.pacote, request, registry, join(staging, 'cache'), pinned?.integrity);
      // The same tarball already runs: its folder is in use, and there is nothing to do.
      if (running(verified.origin)) return undefined;
      unpacked = await unpackVerified(installer, verified, this.installDir, staging, registry);
    } catch (error) {
      if (created !== undefined) await rm(created, { recursive: true, force: true });
      throw error;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    const { origin } = verified;
    const exact = `${origin.package}@${origin.version}`;
    let declaredClass: PluginClass | undefined;
    const discard = async () => {
      if (declaredClass !== undefined) await claimWarmGuest(declaredClass)?.terminate();
      await removeUnpacked(this.installDir, origin.package, origin.version);
    };
    try {
      declaredClass = await loadPluginFile(unpacked.entry, `package "${exact}"`, { ...this.rules(), untrusted: true }).catch((cause: Error) => {
        throw new PluginInstallError(exact, 'NOT_A_PLUGIN', `it does not default-export a @Plugin class (${cause.message})`, { cause });
      });
      this.assertRunsIsolated(declaredClass, exact);
    } catch (error) {
      await discard();
      throw error;
    }
    this.origins.set(declaredClass, origin);
    return { origin, declaredClass, discard };
  }

  /** Where an installed plugin came from; undefined for any other plugin. */
  originOf(declaredClass: PluginClass): InstalledOrigin | undefined {
    return this.origins.get(declaredClass);
  }

  /** How the cluster's desired state names an installed plugin: its exact tarball. */
  pinnedSourceOf(declaredClass: PluginClass): string | undefined {
    const origin = this.origins.get(declaredClass);
    return origin === undefined ? undefined : pinnedSource(origin);
  }

  /** Records a loaded install in the ledger, which a restart installs again. */
  recorded(declaredClass: PluginClass): Promise<void> {
    const origin = this.origins.get(declaredClass);
    return origin === undefined ? Promise.resolve() : recordInstalled(this.installDir, origin);
  }

  /** Removes an installed plugin's files, and its ledger line unless `keepRecord` (a newer version took it). */
  async remove(declaredClass: PluginClass, { keepRecord = false } = {}): Promise<void> {
    const origin = this.origins.get(declaredClass);
    if (origin === undefined) return;
    await removeUnpacked(this.installDir, origin.package, origin.version);
    if (!keepRecord) await forgetInstalled(this.installDir, origin.package);
  }

  /** Its `hostRange` fits the host, and a host choice of isolation does not move an untrusted plugin out of its process. */
  private assertRunsIsolated(declaredClass: PluginClass, exact: string): void {
    const metadata = getPluginMetadata(declaredClass);
    if (metadata === undefined) throw new PluginInstallError(exact, 'NOT_A_PLUGIN', 'it does not default-export a @Plugin class');
    if (metadata.hostRange !== undefined && this.hostVersion !== undefined && !new HostVersion(this.hostVersion).satisfies(metadata.hostRange)) {
      throw new PluginInstallError(exact, 'HOST_RANGE', `plugin "${metadata.name}" requires host ${metadata.hostRange}, but the host is ${this.hostVersion}`);
    }
    const { isolation, trustedPlugins } = this.rules();
    const chosen = isolation?.[metadata.name];
    if (!trustedPlugins.has(metadata.name) && chosen !== undefined && chosen !== 'process') {
      throw new PluginLoadError(
        `package "${exact}"`,
        `plugin "${metadata.name}" comes from a registry and is not in trustedPlugins, so it runs in 'process' isolation, but forRoot({ isolation }) says '${chosen}'`,
      );
    }
  }
}
