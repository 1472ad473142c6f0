/**
 * Base of every error the library throws. `code` is stable across releases:
 * match on it, not on the message.
 */
export abstract class PluginError extends Error {
  abstract readonly code: string;

  /**
   * The HTTP status an error filter answers with. A getter on the class (not an own field), so an
   * error rebuilt by class name after crossing the isolation boundary keeps it and cannot be told another.
   */
  get httpStatus(): number {
    return 500;
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
