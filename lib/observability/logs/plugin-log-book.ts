import { LogRing } from './log-ring.js';
import { isErrorLevel, type PluginLogEntry } from './plugin-log-entry.js';

/** Per plugin: its last lines, and apart from them its last errors, which a chatty plugin's lines would push out. */
export const LINES_PER_PLUGIN = 200;
export const ERRORS_PER_PLUGIN = 50;
/** A line longer than this is cut: the rings' memory is bounded by size, not only by count. */
export const MAX_LINE_CHARS = 4_000;

interface PluginRings {
  readonly lines: LogRing<PluginLogEntry>;
  readonly errors: LogRing<PluginLogEntry>;
}

export interface PluginLogs {
  readonly lines: PluginLogEntry[];
  readonly errors: PluginLogEntry[];
}

type LogListener = (entry: PluginLogEntry) => void;

/**
 * The bounded rings of every plugin's recent log lines and errors, and their live feed
 * (the console). One per process, like OpenTelemetry's globals: the lines are written where
 * no Nest container is at hand (a call's error, a guest's line).
 */
export class PluginLogBook {
  readonly #rings = new Map<string, PluginRings>();
  readonly #listeners = new Set<LogListener>();

  record(entry: PluginLogEntry): void {
    const kept = entry.message.length > MAX_LINE_CHARS ? { ...entry, message: `${entry.message.slice(0, MAX_LINE_CHARS)}…` } : entry;
    let rings = this.#rings.get(kept.plugin);
    if (rings === undefined) {
      rings = { lines: new LogRing(LINES_PER_PLUGIN), errors: new LogRing(ERRORS_PER_PLUGIN) };
      this.#rings.set(kept.plugin, rings);
    }
    rings.lines.push(kept);
    if (isErrorLevel(kept.level)) rings.errors.push(kept);
    for (const listener of this.#listeners) listener(kept);
  }

  /** Oldest first; empty for a plugin that wrote nothing. */
  of(plugin: string): PluginLogs {
    const rings = this.#rings.get(plugin);
    return { lines: rings?.lines.toArray() ?? [], errors: rings?.errors.toArray() ?? [] };
  }

  /** Calls `listener` with each line from now on; returns the unsubscribe. */
  subscribe(listener: LogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets a plugin's lines (`uninstall`). */
  forget(plugin: string): void {
    this.#rings.delete(plugin);
  }
}

export const pluginLogBook = new PluginLogBook();
