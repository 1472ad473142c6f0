/**
 * Where and how a plugin runs, as `@Plugin({ isolation, resourceLimits, restart })` and
 * `forRoot({ isolation, sandbox })` declare it: plain values, read by the metadata and the
 * options; the machinery that acts on them lives in `isolation/`.
 */

/** Where a plugin runs: in the host's own process (`inline`), a worker thread, or a child process. */
export type IsolationMode = 'inline' | 'thread' | 'process';

/** `@Plugin({ resourceLimits })` */
export interface IsolationLimits {
  /** heap of the thread or process; past it the guest dies and is restarted */
  maxOldGenerationSizeMb?: number;
  /** a call (and `onPluginInit`) not answered in time counts as a hung guest: it is stopped and restarted (default 30 000) */
  callTimeoutMs?: number;
}

/** `@Plugin({ restart })`: how many crashes within which window are restarted before the plugin stays `failed`. */
export interface RestartOptions {
  /** default 3 */
  maxRestarts?: number;
  /** default 300 000 (5 minutes) */
  windowMs?: number;
}

/**
 * `forRoot({ sandbox })`: what a `'process'` plugin runs in where the operating system cannot
 * sandbox it. `'required'` refuses to start it, `'preferred'` (default) runs it under Node's
 * permission model with a warning, `'off'` never sandboxes.
 */
export type SandboxMode = 'required' | 'preferred' | 'off';
