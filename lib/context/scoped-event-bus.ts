import type { EventEmitter2 } from '@nestjs/event-emitter';
import type { PluginEventBus } from '../interfaces/facets/event-bus.facet.js';
import { observeThunk } from '../observability/observed-work.js';
import { ownFrame, runAsHost, runAsPlugin } from './plugin-call-context.js';

type EventListener = (...values: any[]) => unknown;

/** A listener added to EventEmitter2 with `{ objectify: true }`, and the event it was added for. */
interface Subscription {
  readonly event: string;
  readonly handle: { off(): unknown };
}

/**
 * A plugin's window on the application's EventEmitter2. It keeps the handle of every
 * listener it adds (EventEmitter2's `objectify`), so all of them can be removed when
 * the plugin goes away, including ones the plugin never removed itself.
 *
 * Its listeners run as the plugin, whoever emitted; what it emits reaches the host's own
 * listeners as host code, not as the plugin (docs/security.md).
 */
export class ScopedEventBus implements PluginEventBus {
  readonly #subscriptions = new Map<EventListener, Subscription[]>();

  readonly #pluginName: string;
  readonly #emitter: EventEmitter2;
  readonly #assertValid: () => void;

  constructor(pluginName: string, emitter: EventEmitter2, assertValid: () => void) {
    this.#pluginName = pluginName;
    this.#emitter = emitter;
    this.#assertValid = assertValid;
  }

  emit(event: string, ...values: unknown[]): boolean {
    this.#assertValid();
    return runAsHost(() => this.#emitter.emit(event, ...values));
  }

  on(event: string, listener: EventListener): this {
    this.#assertValid();
    const frame = ownFrame(this.#pluginName);
    const asPlugin = (...values: unknown[]) => observeThunk('event', this.#pluginName, event, () => runAsPlugin(frame, listener, ...values));
    this.track(listener, { event, handle: this.#emitter.on(event, asPlugin, { objectify: true }) as Subscription['handle'] });
    return this;
  }

  once(event: string, listener: EventListener): this {
    this.#assertValid();
    const frame = ownFrame(this.#pluginName);
    const subscription: Subscription = {
      event,
      handle: this.#emitter.once(
        event,
        (...values: unknown[]) => {
          this.untrack(listener, subscription);
          return observeThunk('event', this.#pluginName, event, () => runAsPlugin(frame, listener, ...values));
        },
        { objectify: true },
      ) as Subscription['handle'],
    };
    this.track(listener, subscription);
    return this;
  }

  off(event: string, listener: EventListener): this {
    this.#assertValid();
    for (const subscription of [...(this.#subscriptions.get(listener) ?? [])]) {
      if (subscription.event === event) {
        subscription.handle.off();
        this.untrack(listener, subscription);
      }
    }
    return this;
  }

  /** Number of listeners this plugin still has on the emitter. */
  get listenerCount(): number {
    let count = 0;
    for (const subscriptions of this.#subscriptions.values()) count += subscriptions.length;
    return count;
  }

  /** Removes every listener the plugin added. */
  removeAllListeners(): void {
    for (const subscriptions of this.#subscriptions.values()) {
      for (const subscription of subscriptions) subscription.handle.off();
    }
    this.#subscriptions.clear();
  }

  private track(listener: EventListener, subscription: Subscription): void {
    const subscriptions = this.#subscriptions.get(listener);
    if (subscriptions === undefined) this.#subscriptions.set(listener, [subscription]);
    else subscriptions.push(subscription);
  }

  private untrack(listener: EventListener, subscription: Subscription): void {
    const subscriptions = this.#subscriptions.get(listener);
    if (subscriptions === undefined) return;
    const index = subscriptions.indexOf(subscription);
    if (index !== -1) subscriptions.splice(index, 1);
    if (subscriptions.length === 0) this.#subscriptions.delete(listener);
  }
}
