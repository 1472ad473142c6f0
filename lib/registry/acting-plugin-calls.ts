import { currentFrame, entryFrame, runInFrame, type CallFrame } from '../context/plugin-call-context.js';
import { UndeclaredDependencyError } from '../errors/index.js';
import { closestName } from '../metadata/closest-name.js';
import type { PluginHandle } from '../interfaces/plugin-types.interface.js';
import type { ExposedMethod } from './exposed-method.js';
import type { PluginRecord } from './plugin-record.js';
import type { PluginRecordStore } from './plugin-record.store.js';
import { observedCall } from '../observability/metrics/observed-call.js';

/**
 * Calls through `PluginRegistry` and its handles act as the plugin whose code makes them
 * (docs/security.md): plugin code reaches only the plugins it declared, and the callee's
 * permission checks see that plugin as the caller, whoever started the outer call. Host code
 * is not restricted.
 */

/** Throws `UndeclaredDependencyError` unless plugin `actingPluginId` declared a dependency on `name`. */
export function assertDeclaredBy(records: PluginRecordStore, actingPluginId: string, name: string): void {
  const declared = records.get(actingPluginId)?.dependencies ?? [];
  for (const dependency of declared) if (dependency.name === name) return;
  throw new UndeclaredDependencyError(actingPluginId, name, closestName(name, declared.map((dependency) => dependency.name)));
}

/** Runs an exposed method of `record` as a call from the code running now, which must have declared it if it is a plugin's. */
export function callFromCurrentCode(records: PluginRecordStore, record: PluginRecord, method: ExposedMethod, args: unknown[]): unknown {
  const from = currentFrame();
  if (from?.actingPluginId !== undefined) assertDeclaredBy(records, from.actingPluginId, record.name);
  return callFrom(from, record, method, args);
}

/** Runs an exposed method of `record` as its own code, called from `from` (the host's code when undefined), and tracks it for draining. */
export function callFrom(from: CallFrame | undefined, record: PluginRecord, method: ExposedMethod, args: unknown[]): unknown {
  return observedCall(record.meter, record.calls, from === undefined ? record.ownCodeFrame : entryFrame(from, record.name), method, args, runInFrame);
}

/** The handle `PluginRegistry.get` gives: each call is checked against the code that makes it, not the code that asked for the handle. */
export function actingPluginHandle(records: PluginRecordStore, record: PluginRecord): PluginHandle {
  return record.createHandle(
    (method) =>
      (...args) =>
        callFromCurrentCode(records, record, method, args),
  );
}
