import type { BirpcReturn } from 'birpc';
import { currentTraceparent, runInTraceparent } from '../observability/tracing/trace-context.js';
import { fromWireError, isWireError, toWireError } from './wire-error.js';

/** Either side of a MessagePort or an IPC channel. */
export interface MessageEndpoint {
  post(message: unknown): void;
  on(listener: (message: unknown) => void): void;
  off(listener: (message: unknown) => void): void;
}

/** What a thread guest is started with besides its channel. */
export interface GuestWorkerData {
  /** one Int32 the guest stores each call's number into as it takes the call up */
  readonly callsStarted: Int32Array;
}

export type RpcChannel<Remote extends object, Local extends object> = BirpcReturn<Remote, Local>;

interface BirpcMessage {
  /** `q` for a request */
  t?: string;
  e?: unknown;
  /** the sender's trace context (`traceparent`), on requests made inside a trace */
  x?: string;
}

/**
 * A birpc channel over `endpoint`: calls both ways, errors rebuilt with class name, `code`
 * and message. No birpc timeout: the host bounds its calls itself (a late answer is a crash).
 */
export async function openRpcChannel<Remote extends object, Local extends object>(local: Local, endpoint: MessageEndpoint): Promise<RpcChannel<Remote, Local>> {
  const { createBirpc } = await import('birpc');
  // birpc resolves the function of a request right after deserializing it, in the same turn:
  // the trace read there is handed to the resolver, which runs the function inside it.
  let receivedTrace: string | undefined;
  return createBirpc<Remote, Local>(local, {
    post: (message) => endpoint.post(message),
    on: (listener) => endpoint.on(listener),
    off: (listener) => endpoint.off(listener),
    timeout: -1,
    bind: 'functions',
    serialize: (message: BirpcMessage) => (message.e === undefined ? withTrace(message) : { ...message, e: toWireError(message.e) }),
    deserialize: (message: BirpcMessage) => {
      receivedTrace = message.t === 'q' ? message.x : undefined;
      return isWireError(message.e) ? { ...message, e: fromWireError(message.e) } : message;
    },
    resolver: (_name, fn) => {
      const traceparent = receivedTrace;
      receivedTrace = undefined;
      return traceparent === undefined || fn === undefined ? fn : (...args: unknown[]) => runInTraceparent(traceparent, () => fn.apply(local, args));
    },
  });
}

/** A request sent inside a trace carries it across the boundary (docs/tracing.md). */
function withTrace(message: BirpcMessage): BirpcMessage {
  if (message.t !== 'q') return message;
  const traceparent = currentTraceparent();
  return traceparent === undefined ? message : { ...message, x: traceparent };
}
