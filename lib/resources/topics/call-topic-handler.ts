import { Logger } from '@nestjs/common';
import type { TopicHandler, TopicHandlerErrorListener, TopicMessage } from './topic-transport.interface.js';

const logger = new Logger('PluginTopics');

/** The default `onHandlerError`: a failing subscriber is the subscriber's problem, so it is logged, not thrown. */
export function logTopicHandlerError(error: unknown, topic: string): void {
  logger.error(`A handler of topic "${topic}" failed: ${String(error)}`, error instanceof Error ? error.stack : undefined);
}

/**
 * Calls one handler so that nothing it throws or rejects with reaches the publisher or
 * the other handlers, not even when `onError` itself throws. An async handler is not
 * awaited: a slow subscriber must not hold back the sender or the next message.
 */
export function callTopicHandler(handler: TopicHandler, message: TopicMessage, topic: string, onError: TopicHandlerErrorListener): void {
  try {
    const result = handler(message);
    if (isPromiseLike(result)) result.then(undefined, (error: unknown) => report(onError, error, topic));
  } catch (error) {
    report(onError, error, topic);
  }
}

function report(onError: TopicHandlerErrorListener, error: unknown, topic: string): void {
  try {
    onError(error, topic);
  } catch (listenerError) {
    logTopicHandlerError(listenerError, topic);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}
