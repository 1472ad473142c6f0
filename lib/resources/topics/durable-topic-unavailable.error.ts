import { PluginError } from '../../errors/plugin.error.js';

/** A durable topic used where durable delivery is not available: it fails rather than silently becoming a plain topic. */
export class DurableTopicUnavailableError extends PluginError {
  readonly code = 'PLUGIN_DURABLE_TOPIC_UNAVAILABLE';

  constructor(
    readonly pluginName: string,
    readonly topic: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Plugin "${pluginName}" cannot use durable topic "${topic}": ${reason}`, options);
  }
}
