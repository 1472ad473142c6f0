import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { GatewayCaller } from './gateway-caller.js';

// Beside the request rather than on it: nothing else in the application can read or forge it.
const callers = new WeakMap<object, GatewayCaller>();

/** Library-internal: records who the guard identified a request as. */
export function setRequestCaller(request: object, caller: GatewayCaller): void {
  callers.set(request, caller);
}

/** The gateway caller the key guard identified for this request. */
export const RequestCaller = createParamDecorator((_data: unknown, context: ExecutionContext): GatewayCaller => {
  const caller = callers.get(context.switchToHttp().getRequest<object>());
  // Every gateway controller is behind the guard; reaching here without it is a wiring bug.
  if (caller === undefined) throw new Error('RequestCaller read on a route without the gateway key guard');
  return caller;
});
