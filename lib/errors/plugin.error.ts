/**
 * Base of every error the library throws. `code` is stable across releases:
 * match on it, not on the message.
 */
export abstract class PluginError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
