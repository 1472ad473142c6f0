import type { BirpcReturn } from 'birpc';
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
  e?: unknown;
}

/**
 * A birpc channel over `endpoint`: calls both ways, errors rebuilt with class name, `code`
 * and message. No birpc timeout: the host bounds its calls itself (a late answer is a crash).
 */
export async function openRpcChannel<Remote extends object, Local extends object>(local: Local, endpoint: MessageEndpoint): Promise<RpcChannel<Remote, Local>> {
  const { createBirpc } = await import('birpc');
  return createBirpc<Remote, Local>(local, {
    post: (message) => endpoint.post(message),
    on: (listener) => endpoint.on(listener),
    off: (listener) => endpoint.off(listener),
    timeout: -1,
    bind: 'functions',
    serialize: (message: BirpcMessage) => (message.e === undefined ? message : { ...message, e: toWireError(message.e) }),
    deserialize: (message: BirpcMessage) => (isWireError(message.e) ? { ...message, e: fromWireError(message.e) } : message),
  });
}
