import type { PluginEventBus } from '../../interfaces/facets/event-bus.facet.js';
import type { HostFunctions } from '../guest-protocol.js';
import type { RpcChannel } from '../rpc-channel.js';
import { currentTenantScope } from './guest-call-scope.js';

type Listener = (...values: unknown[]) => unknown;

/**
 * `ctx.eventBus` in a guest: the host's EventEmitter2 does the matching (wildcards included),
 * each subscription made there forwards what it hears to the listener here.
 */
export class GuestEventBus implements PluginEventBus {
  private readonly listeners = new Map<number, { event: string; listener: Listener; once: boolean }>();
  private nextSubscription = 1;

  constructor(
    private readonly host: RpcChannel<HostFunctions, object>,
    private readonly assertValid: () => void,
  ) {}

  emit(event: string, ...values: unknown[]): boolean {
    this.assertValid();
    void this.host.emit.asEvent(event, values, currentTenantScope());
    return true;
  }

  on(event: string, listener: Listener): this {
    return this.add(event, listener, false);
  }

  once(event: string, listener: Listener): this {
    return this.add(event, listener, true);
  }

  off(event: string, listener: Listener): this {
    this.assertValid();
    for (const [subscription, entry] of this.listeners) {
      if (entry.event === event && entry.listener === listener) this.remove(subscription);
    }
    return this;
  }

  removeAllListeners(): void {
    for (const subscription of [...this.listeners.keys()]) this.remove(subscription);
  }

  /** Called by the host with what a subscription heard. */
  deliver(subscription: number, values: unknown[]): unknown {
    const entry = this.listeners.get(subscription);
    if (entry === undefined) return undefined;
    if (entry.once) this.listeners.delete(subscription);
    return entry.listener(...values);
  }

  private add(event: string, listener: Listener, once: boolean): this {
    this.assertValid();
    const subscription = this.nextSubscription++;
    this.listeners.set(subscription, { event, listener, once });
    void this.host.subscribe.asEvent(subscription, event, once);
    return this;
  }

  private remove(subscription: number): void {
    this.listeners.delete(subscription);
    void this.host.unsubscribe.asEvent(subscription);
  }
}
