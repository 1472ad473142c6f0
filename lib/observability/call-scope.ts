/** Who the code running now works for: what spans and log lines say about it. */
export interface ObservedScope {
  /** the plugin that called the code running now */
  readonly caller?: string;
  /** the plugin whose code runs now */
  readonly acting?: string;
  readonly tenant?: string;
}

const NO_SCOPE: ObservedScope = {};
let reader: () => ObservedScope = () => NO_SCOPE;

/**
 * Set once by the call frame's own module (`context/plugin-call-context.ts`), which sits above
 * this folder: spans and log lines read the caller and tenant without importing upward.
 */
export function setObservedScopeReader(read: () => ObservedScope): void {
  reader = read;
}

export function observedScope(): ObservedScope {
  return reader();
}

/**
 * The caller of work about to start here (a call site is outside the callee's frame): the
 * plugin whose code runs now, or the caller host code named. Undefined when that is `plugin` itself.
 */
export function callerAtSite(scope: ObservedScope, plugin: string): string | undefined {
  const caller = scope.acting ?? scope.caller;
  return caller === plugin ? undefined : caller;
}
