import type { IsolationMode } from '../../interfaces/isolation-options.interface.js';
import type { PluginRestartInfo } from '../../interfaces/plugin-state.interface.js';
import type { PluginLogEntry } from '../../observability/logs/plugin-log-entry.js';
import type { InstalledOrigin } from '../../install/installed-origin.js';

/** What the console's expandable row shows of one plugin. */
export interface ConsolePluginDetails {
  isolation: IsolationMode;
  /** while an isolated plugin's guest restarts: which attempt, of how many, and why */
  restarting?: PluginRestartInfo;
  /** its configuration as `ctx.config` reads it, secrets masked; absent when it has none or it did not resolve */
  config?: unknown;
  /** its `ctx.http` routes, `METHOD /plugins/<name>/path` */
  routes: string[];
  /** its `@Expose()`d methods */
  methods: string[];
  /** its last few errors and log lines, newest last (the whole rings: `GET …/plugins/:name/logs`) */
  logs: { errors: PluginLogEntry[]; lines: PluginLogEntry[] };
  /** installed from a registry: where it came from */
  origin?: InstalledOrigin;
}

/** Keys whose values the console never shows. */
const SECRET_KEY = /secret|password|token|key/i;
export const MASKED = '••••••';

/**
 * `value` with the value of every secret-looking key (at any depth) replaced by `MASKED`, and
 * every other string passed through `hideText` (which takes host paths out).
 */
export function maskSecrets(value: unknown, hideText: (text: string) => string = (text) => text): unknown {
  if (typeof value === 'string') return hideText(value);
  if (Array.isArray(value)) return value.map((inner) => maskSecrets(inner, hideText));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? MASKED : maskSecrets(inner, hideText)]));
}
