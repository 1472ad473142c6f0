/** Where a plugin runs: in the host's own process (`inline`), a worker thread, or a child process. */
export type IsolationMode = 'inline' | 'thread' | 'process';

/** `@Plugin({ resourceLimits })` */
export interface IsolationLimits {
  /** heap of the thread or process; past it the guest dies and is restarted */
  maxOldGenerationSizeMb?: number;
  /** a call (and `onPluginInit`) not answered in time counts as a hung guest: it is stopped and restarted (default 30 000) */
  callTimeoutMs?: number;
}

/** The host's choice wins over the plugin's own; `inline` when neither says. */
export function isolationModeOf(pluginName: string, declared: IsolationMode | undefined, hostChoices: Readonly<Record<string, IsolationMode>> | undefined): IsolationMode {
  return hostChoices?.[pluginName] ?? declared ?? 'inline';
}
