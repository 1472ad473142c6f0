import { parentPort, workerData } from 'node:worker_threads';
import type { GuestWorkerData, MessageEndpoint } from '../rpc-channel.js';

/** The guest's side of the channel: the worker's parent port, or the child process's IPC. */
export function guestEndpoint(): MessageEndpoint {
  if (parentPort !== null) {
    const port = parentPort;
    return { post: (message) => port.postMessage(message), on: (listener) => port.on('message', listener), off: (listener) => port.off('message', listener) };
  }
  if (process.send === undefined) throw new Error('The isolated plugin guest must run in a worker thread or a forked child process');
  return {
    post: (message) => process.send!(message),
    on: (listener) => process.on('message', listener),
    off: (listener) => process.off('message', listener),
  };
}

/** A thread guest's shared slot for the last call it took up; a process guest has none and sends `callStarted`. */
export function sharedCallsStarted(): Int32Array | undefined {
  return parentPort === null ? undefined : (workerData as GuestWorkerData | undefined)?.callsStarted;
}
