/** A method decorator's record for one method, keyed by the method's property key. */
export interface MethodDeclaration {
  readonly key: string | symbol;
}

/** A declaration found on an instance, with the function to call and `ClassName.key` for messages. */
export interface DeclaredMethod<D extends MethodDeclaration> {
  readonly declaration: D;
  readonly owner: string;
  readonly target: object;
  readonly fn: (...args: unknown[]) => unknown;
}

/**
 * The declarations a method decorator made for an instance's class and the classes it
 * extends. A subclass that redeclares a method replaces the parent's declarations for it;
 * either way `fn` is the most derived override. Several declarations of one method (stacked
 * decorators) all count.
 */
export function* declaredMethodsOf<D extends MethodDeclaration>(
  instance: object,
  ownDeclarations: (prototype: object) => readonly D[] | undefined,
): Generator<DeclaredMethod<D>> {
  const derivedKeys = new Set<string | symbol>();
  for (let prototype = Object.getPrototypeOf(instance); prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
    const declarations = (ownDeclarations(prototype) ?? []).filter(({ key }) => !derivedKeys.has(key));
    for (const { key } of declarations) derivedKeys.add(key);
    for (const declaration of declarations) {
      yield {
        declaration,
        owner: `${instance.constructor.name}.${String(declaration.key)}`,
        target: instance,
        fn: (instance as Record<string | symbol, DeclaredMethod<D>['fn']>)[declaration.key],
      };
    }
  }
}
