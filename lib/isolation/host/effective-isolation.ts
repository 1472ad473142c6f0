import { Logger } from '@nestjs/common';
import type { IsolationMode } from '../../interfaces/isolation-options.interface.js';
import { isolationModeOf } from '../isolation-mode.js';
import { guestEntryMissing } from './guest-entry.js';

const warned = new Set<string>();

/**
 * Where the plugin will really run. Running from TypeScript sources (ts-node, Jest over lib/),
 * there is no compiled guest to start: the plugin then runs inline, with a warning, so
 * development and tests of an application keep working; a build runs it isolated.
 */
export function effectiveIsolationMode(pluginName: string, declared: IsolationMode | undefined, hostChoices: Readonly<Record<string, IsolationMode>> | undefined): IsolationMode {
  const mode = isolationModeOf(pluginName, declared, hostChoices);
  if (mode === 'inline' || !guestEntryMissing()) return mode;
  if (!warned.has(pluginName)) {
    warned.add(pluginName);
    new Logger('PluginHost').warn(`Plugin "${pluginName}" runs inline, not in a ${mode}: isolation needs the compiled library (the guest entry is missing)`);
  }
  return 'inline';
}
