import { EventEmitter2 } from '@nestjs/event-emitter';
import type { PluginEventBus } from '../interfaces/facets/event-bus.facet.js';

/** One `emit` on a RecordingEventBus. */
export interface EmittedEvent {
  readonly event: string;
  readonly values: readonly unknown[];
}

type Listener = (...values: any[]) => unknown;

/**
 * A PluginEventBus of its own, configured as the library recommends for the application
 * (`wildcard: true, delimiter: ':'`), so `on('data:*')` matches as it would in an app.
 * It records every emit, whether or not anything listened.
 */
export class RecordingEventBus implements PluginEventBus {
  readonly emitted: EmittedEvent[] = [];
  private readonly emitter = new EventEmitter2({ wildcard: true, delimiter: ':' });

  emit(event: string, ...values: unknown[]): boolean {
    this.emitted.push({ event, values });
    return this.emitter.emit(event, ...values);
  }

  on(event: string, listener: Listener): this {
    this.emitter.on(event, listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.emitter.once(event, listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.emitter.off(event, listener);
    return this;
  }

  /** The first value of every emit of `event`, in order: the payload, for the usual one-value emit. */
  payloadsOf(event: string): unknown[] {
    return this.emitted.filter((entry) => entry.event === event).map((entry) => entry.values[0]);
  }
}
