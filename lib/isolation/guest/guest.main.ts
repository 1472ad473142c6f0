/**
 * Entry of an isolated plugin's worker thread or child process. It imports only what a guest
 * needs (Nest's core, the channel, the guest context), never the library's barrel; the plugin's
 * own module is imported when the host sends `boot`.
 */
import 'reflect-metadata';
import type { GuestFunctions, HostFunctions } from '../guest-protocol.js';
import { openRpcChannel, type RpcChannel } from '../rpc-channel.js';
import { guestEndpoint } from './guest-endpoint.js';
import { GuestPlugin } from './guest-plugin.js';

let host: RpcChannel<HostFunctions, GuestFunctions>;
const guest = new GuestPlugin(() => host);
host = await openRpcChannel<HostFunctions, GuestFunctions>(guest, guestEndpoint());
