/**
 * One stored line of the desired state: a plugin that must run (from `source`) or must not,
 * and the revision of the change that wrote it. A plugin with no line is whatever boot made it.
 */
export interface DesiredPlugin {
  readonly name: string;
  /** a package name or a file path; null for a plugin that can only come from boot (a class) */
  readonly source: string | null;
  readonly loaded: boolean;
  readonly revision: number;
  /** the version loaded, when the line is a load (an upgrade moves it) */
  readonly version?: string;
}

/** What the store hands a reconcile: every line, and the revision of the whole. */
export interface DesiredState {
  readonly revision: number;
  readonly plugins: readonly DesiredPlugin[];
}

export type ReconcileStep =
  | { readonly kind: 'load'; readonly name: string; readonly source: string; readonly revision: number }
  | { readonly kind: 'unload'; readonly name: string; readonly revision: number }
  | { readonly kind: 'reload'; readonly name: string; readonly revision: number }
  /** nothing to do but remember the revision as applied (code booted fresh, or nothing to load from) */
  | { readonly kind: 'adopt'; readonly name: string; readonly revision: number };

/**
 * The steps that bring this instance to `desired`, in an order that keeps dependencies
 * working: unloads first (latest change first, so dependents go before what they need),
 * then loads and reloads in the order they were made on the instance that made them.
 *
 * `applied` is the revision of each line this instance already acted on. On the first
 * reconcile (`booting`) a plugin already running was just imported from disk, so its line
 * is adopted rather than reloaded.
 */
export function planReconcile(
  desired: DesiredState,
  running: ReadonlySet<string>,
  applied: ReadonlyMap<string, number>,
  booting: boolean,
): ReconcileStep[] {
  const pending = desired.plugins.filter((line) => (applied.get(line.name) ?? -1) < line.revision);
  const unloads: ReconcileStep[] = pending
    .filter((line) => !line.loaded)
    .sort((a, b) => b.revision - a.revision)
    .map(({ name, revision }) => (running.has(name) ? { kind: 'unload', name, revision } : { kind: 'adopt', name, revision }));
  const loads: ReconcileStep[] = pending
    .filter((line) => line.loaded)
    .sort((a, b) => a.revision - b.revision)
    .map(({ name, source, revision }): ReconcileStep => {
      if (running.has(name)) return booting ? { kind: 'adopt', name, revision } : { kind: 'reload', name, revision };
      return source === null ? { kind: 'adopt', name, revision } : { kind: 'load', name, source, revision };
    });
  return [...unloads, ...loads];
}
