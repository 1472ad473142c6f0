/** An `@Expose`d method, ready to be applied to the instance that owns it. */
export interface ExposedMethod {
  readonly name: string;
  /** `ClassName.methodKey`, for messages */
  readonly owner: string;
  readonly target: object;
  readonly fn: (...args: unknown[]) => unknown;
}
