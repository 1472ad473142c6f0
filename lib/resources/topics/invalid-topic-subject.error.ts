import { PluginError } from '../../errors/plugin.error.js';

/** A real topic name a broker transport cannot use as an exact subject: it would match more than that one topic. */
export class InvalidTopicSubjectError extends PluginError {
  readonly code = 'PLUGIN_INVALID_TOPIC_SUBJECT';

  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`Topic "${topic}" cannot be used as a NATS subject: ${reason}`);
  }
}
