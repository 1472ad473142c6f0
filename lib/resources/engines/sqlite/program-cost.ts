import { calledFunctionName, SUPERLINEAR_FUNCTIONS } from './sqlite-functions.js';
import { FUNCTION_CALLS, JUMPS, LOOP_BACK_EDGES } from './sqlite-opcodes.js';
import type { ProgramStep } from './sqlite-program.js';

/**
 * How many concatenations a program may hold and still be bounded. Each at most adds its
 * operands' sizes, so a few cost a few times the row; a chain of them over the same value
 * (`x || x || ...`, or one CTE doubling another's column and flattened into 2^k of them)
 * grows with the text or exponentially with the chain.
 */
const MAX_CONCATENATIONS = 8;

/** The concatenating functions; the `||` operator compiles to the Concat operation. */
const CONCAT_FUNCTIONS: ReadonlySet<string> = new Set(['concat', 'concat_ws']);

/** Addresses from `start` to `end`, both included. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Whether a program's cost is bounded by one pass over the plugin's rows: no loop runs inside
 * another (a full scan with unique look-ups, sorts and once-only sub-queries one after the
 * other), no loop the planner builds from a queue (recursive CTEs, window frames), no
 * trigger program, no function whose cost grows faster than its arguments, and no
 * concatenation that can feed another (see growsByConcatenation). Anything else
 * (joins that scan an index range per row, correlated sub-queries, automatic indexes, ...)
 * may run for as long as rows × rows, and is not bounded.
 */
export function isBoundedProgram(steps: readonly ProgramStep[]): boolean {
  // The init section (after Init's target) sets constants and jumps back to the start once.
  const initSection = steps[0]?.opcode === 'Init' ? steps[0].p2 : steps.length;
  if (growsByConcatenation(steps)) return false;
  const loops: Span[] = [];
  for (const step of steps) {
    if (step.opcode === 'Program') return false;
    if (FUNCTION_CALLS.has(step.opcode) && SUPERLINEAR_FUNCTIONS.has(calledFunctionName(step.p4))) return false;
    if (step.addr >= initSection || !JUMPS.has(step.opcode)) continue;
    for (const target of jumpTargets(step)) {
      // Address 0 (Init) is never a jump back: P2 = 0 means "no jump" (Yield, Rewind of an empty cursor).
      if (target === 0 || target > step.addr) continue;
      if (LOOP_BACK_EDGES.has(step.opcode) || (step.opcode === 'Goto' && steps[target]?.opcode === 'Yield')) {
        loops.push({ start: target, end: step.addr });
      } else if (step.opcode !== 'Gosub') {
        return false;
      }
    }
  }
  const onceOnly = steps.filter((step) => step.opcode === 'Once').map((step) => ({ start: step.addr + 1, end: step.p2 - 1 }));
  if (loops.some((inner) => loops.some((outer) => outer !== inner && runsInside(inner, outer, onceOnly)))) return false;
  return !steps.some((step) => callsLoopFromLoop(step, steps, loops));
}

/**
 * More concatenations than MAX_CONCATENATIONS, or more than one beside a sub-query that SQLite
 * runs apart (a co-routine, or a table it materializes, which an index for `IN (...)` is
 * not): the sub-query's concatenated column may be concatenated again, level after level.
 */
function growsByConcatenation(steps: readonly ProgramStep[]): boolean {
  let concatenations = 0;
  let subQueries = false;
  for (const step of steps) {
    if (step.opcode === 'Concat' || (FUNCTION_CALLS.has(step.opcode) && CONCAT_FUNCTIONS.has(calledFunctionName(step.p4)))) concatenations++;
    else if (step.opcode === 'InitCoroutine' || (step.opcode === 'OpenEphemeral' && step.p4 === null)) subQueries = true;
  }
  return concatenations > MAX_CONCATENATIONS || (concatenations > 1 && subQueries);
}

function jumpTargets(step: ProgramStep): number[] {
  return step.opcode === 'Jump' ? [step.p1, step.p2, step.p3] : [step.p2];
}

/** `inner` runs once per iteration of `outer`, unless a Once inside `outer` guards it. */
function runsInside(inner: Span, outer: Span, onceOnly: readonly Span[]): boolean {
  if (!contains(outer, inner)) return false;
  return !onceOnly.some((guarded) => contains(outer, guarded) && contains(guarded, inner));
}

/**
 * A subroutine (Gosub) or coroutine (InitCoroutine) entered from inside a loop whose body
 * holds a loop of its own: the two nest at run time though their addresses do not.
 */
function callsLoopFromLoop(step: ProgramStep, steps: readonly ProgramStep[], loops: readonly Span[]): boolean {
  let body: Span | undefined;
  if (step.opcode === 'Gosub') body = spanUntil(steps, step.p2, 'Return', step.p1);
  else if (step.opcode === 'InitCoroutine') body = spanUntil(steps, step.p3, 'EndCoroutine', step.p1);
  if (body === undefined) return false;
  const callSite = { start: step.addr, end: step.addr };
  return loops.some((loop) => contains(loop, callSite)) && loops.some((loop) => contains(body, loop));
}

/** From `start` to the first `opcode` on register `register`, or to the program's end. */
function spanUntil(steps: readonly ProgramStep[], start: number, opcode: string, register: number): Span {
  const end = steps.find((step) => step.addr >= start && step.opcode === opcode && step.p1 === register);
  return { start, end: end?.addr ?? steps.length - 1 };
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end && (outer.start !== inner.start || outer.end !== inner.end);
}
