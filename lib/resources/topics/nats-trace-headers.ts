// Types only: `nats` is an optional peer dependency, installed wherever the NATS transport runs.
import type { MsgHdrs } from 'nats';
import { injectTraceHeaders } from '../../observability/tracing/header-propagation.js';

/** The sender's trace as header entries (`traceparent`), or undefined outside any trace. Read before the first `await` of a send. */
export function traceCarrier(): [string, string][] | undefined {
  const carrier: Record<string, string> = {};
  injectTraceHeaders(carrier);
  const entries = Object.entries(carrier);
  return entries.length === 0 ? undefined : entries;
}

/** NATS headers holding `entries`. */
export async function natsHeaders(entries: readonly [string, string][]): Promise<MsgHdrs> {
  // A value import only here: the transport is loaded only where `nats` is installed.
  const { headers } = await import('nats');
  const result = headers();
  for (const [name, value] of entries) result.set(name, value);
  return result;
}
