import type { IsolationMode } from '../interfaces/isolation-options.interface.js';

/** The host's choice wins over the plugin's own; `inline` when neither says. */
export function isolationModeOf(pluginName: string, declared: IsolationMode | undefined, hostChoices: Readonly<Record<string, IsolationMode>> | undefined): IsolationMode {
  return hostChoices?.[pluginName] ?? declared ?? 'inline';
}
