import { PluginError } from './plugin.error.js';

/** Why `PluginManager.install` refused a package; stable, match on it. */
export type PluginInstallReason =
  | 'INTEGRITY_MISMATCH'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'PROVENANCE_MISSING'
  | 'PROVENANCE_INVALID'
  | 'NOT_A_PLUGIN'
  | 'HOST_RANGE'
  | 'UNSAFE_TARBALL'
  | 'FETCH_FAILED'
  | 'INSTALLER_MISSING';

/**
 * A package from a registry was refused before it ran, or could not be installed; nothing of it
 * remains on disk. `reason` says which check refused it.
 */
export class PluginInstallError extends PluginError {
  readonly code = 'PLUGIN_INSTALL_REFUSED';

  override get httpStatus(): number {
    if (this.reason === 'FETCH_FAILED') return 502;
    return this.reason === 'INSTALLER_MISSING' ? 501 : 422;
  }

  constructor(
    /** what was asked for: `@acme/x@^1`, or `@acme/x@1.1.0` once resolved */
    readonly packageSpec: string,
    readonly reason: PluginInstallReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot install "${packageSpec}": ${detail} (${reason})`, options);
  }
}
