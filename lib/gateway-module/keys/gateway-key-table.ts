import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayCaller } from './gateway-caller.js';

interface KeyEntry {
  readonly digest: Buffer;
  readonly caller: GatewayCaller;
}

// Digests have one length whatever the keys' lengths, so timingSafeEqual applies to every pair.
const digestOf = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** The gateway's keys (the operator's and one per plugin), and who holds each. Keeps digests only. */
export class GatewayKeyTable {
  private readonly entries: readonly KeyEntry[];

  constructor(operatorKey: string, pluginKeys: Readonly<Record<string, string>> = {}) {
    this.entries = [
      { digest: digestOf(operatorKey), caller: { kind: 'operator' } },
      ...Object.entries(pluginKeys).map(([pluginId, key]) => ({ digest: digestOf(key), caller: { kind: 'plugin' as const, pluginId } })),
    ];
  }

  /**
   * Who holds `key`; undefined when no one does. Every entry is compared in constant time,
   * with no early exit, so response times tell neither which key matched nor how close a guess came.
   */
  identify(key: string | undefined): GatewayCaller | undefined {
    if (key === undefined) return undefined;
    const sent = digestOf(key);
    let holder: GatewayCaller | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(sent, entry.digest)) holder ??= entry.caller;
    }
    return holder;
  }
}
