import { Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import type { IsolationChoices } from '../isolation/isolation-choices.js';
import type { IsolationMode, SandboxMode } from '../interfaces/isolation-options.interface.js';
import { isolationModeOf } from '../isolation/isolation-mode.js';
import { guestEntryMissing } from '../isolation/host/guest-entry.js';
import type { PluginDescription } from '../isolation/plugin-description.js';
import { getPluginMetadata, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { declaresProcessIsolation } from './declares-process-isolation.js';
import { importDefaultPluginClass } from './import-plugin-module.js';

/** What decides how a plugin file is read, from the host's options. */
export interface PluginSourceRules {
  /** `forRoot({ isolation })` */
  readonly isolation?: IsolationChoices;
  readonly trustedPlugins: ReadonlySet<string>;
  /** `forRoot({ config })`, when known: a described plugin's configuration is then checked by the guest that described it */
  readonly config?: Readonly<Record<string, unknown>>;
  /** `forRoot({ sandbox })`: the describing guest runs in the same sandbox as the plugin will */
  readonly sandbox?: SandboxMode;
  /**
   * Installed from a registry (`PluginManager.install`): always described in a guest, and run
   * in `'process'` isolation whatever it declares, unless its name is in `trustedPlugins`.
   */
  readonly untrusted?: boolean;
}

export interface PluginFileOptions {
  /** evaluate the file again (see `PluginImportOptions`) */
  readonly fresh?: boolean;
  /** rewrites an import failure's message (to keep host paths out) */
  readonly describeFailure?: (message: string) => string;
  /** the package's manifest says `"nestjsPlugin": { "isolation": "process" }` */
  readonly manifestDeclaresProcess?: boolean;
}

const logger = new Logger('PluginHost');

/**
 * The `@Plugin` class a module file default-exports. A `'process'` plugin's module is never
 * imported by the host: when the host's options, the file's text or its package's manifest say
 * `'process'`, a short-lived guest imports it and describes it, and the host gets a stand-in
 * class; if the description says `inline` or `thread` (trusted modes), the host imports it as
 * usual. docs/isolation.md, "Where the plugin's metadata comes from".
 */
export async function loadPluginFile(file: string, label: string, rules: PluginSourceRules, options: PluginFileOptions = {}): Promise<PluginClass> {
  const describeFailure = options.describeFailure ?? ((message: string) => message);
  if (rules.untrusted === true || (await describedOutOfProcess(file, rules, options.manifestDeclaresProcess === true))) {
    const { describeInGuest } = await import('../isolation/host/describe-in-guest.js');
    const { describedPluginClass } = await import('../isolation/host/described-plugin-class.js');
    const request = { moduleFile: file, label, describeFailure, trustedPlugins: rules.trustedPlugins, sandbox: rules.sandbox, configValues: (name: string) => rules.config?.[name] };
    const forced = ({ metadata }: PluginDescription) => rules.untrusted === true && !rules.trustedPlugins.has(String(metadata.name));
    const runsInProcess = (description: PluginDescription) =>
      forced(description) || isolationModeOf(String(description.metadata.name), description.metadata.isolation as IsolationMode | undefined, rules.isolation) === 'process';
    // A guest started as the plugin's own would be (no environment, no heap limit) runs it afterwards.
    const reusable = (description: PluginDescription) => runsInProcess(description) && startsLikeItsOwnGuest(description);
    const described = await describeInGuest(request, reusable);
    if (runsInProcess(described.description)) {
      try {
        const { description } = described;
        return await describedPluginClass(forced(description) ? { ...described, description: { ...description, metadata: { ...description.metadata, isolation: 'process' } } } : described, request);
      } catch (error) {
        await described.guest?.terminate();
        throw error;
      }
    }
  }
  const pluginClass = await importDefaultPluginClass(file, label, { fresh: options.fresh, describeFailure });
  warnIfProcess(pluginClass, rules);
  return pluginClass;
}

function startsLikeItsOwnGuest({ metadata }: PluginDescription): boolean {
  const env = metadata.env as readonly string[] | undefined;
  const limits = metadata.resourceLimits as { maxOldGenerationSizeMb?: number } | undefined;
  return (env === undefined || env.length === 0) && limits?.maxOldGenerationSizeMb === undefined;
}

/** Read, never run: the host's choices, the package's manifest, then the file's text. */
async function describedOutOfProcess(file: string, rules: PluginSourceRules, manifestDeclaresProcess: boolean): Promise<boolean> {
  // Without the compiled guest nothing runs isolated (effectiveIsolationMode says so once).
  if (guestEntryMissing()) return false;
  if (Object.values(rules.isolation ?? {}).includes('process') || manifestDeclaresProcess) return true;
  const text = await readFile(file, 'utf8').catch(() => '');
  return declaresProcessIsolation(text);
}

function warnIfProcess(pluginClass: PluginClass, rules: PluginSourceRules): void {
  const metadata = getPluginMetadata(pluginClass);
  if (metadata === undefined || guestEntryMissing() || isolationModeOf(metadata.name, metadata.isolation, rules.isolation) !== 'process') return;
  logger.warn(
    `Plugin "${metadata.name}" runs in a process, but its module ran in the host first: nothing said 'process' before it was imported. ` +
      `To have its metadata read inside the guest, name it in forRoot({ isolation: { '${metadata.name}': 'process' } }), ` +
      `write isolation: 'process' literally in its @Plugin(), or, for a package, add "nestjsPlugin": { "isolation": "process" } to its package.json`,
  );
}
