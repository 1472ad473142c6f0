import { BTREE_OPENERS, DATA_OPCODES, FUNCTION_CALLS, ROOT_PAGE_IN_REGISTER } from './sqlite-opcodes.js';
import { ALLOWED_FUNCTIONS, calledFunctionName } from './sqlite-functions.js';
import type { ProgramStep } from './sqlite-program.js';

/** What a compiled program reaches that the plugin may not. */
export type ProgramRefusal =
  | { readonly kind: 'table'; readonly name: string }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'operation'; readonly opcode: string };

/** The tables of the main database, by root page (a table's and each of its indexes'). */
export interface ProgramObjects {
  /** the table a root page belongs to, case-folded; undefined for a page no schema entry names */
  tableAt(rootPage: number): string | undefined;
  /** whether the plugin may touch this (case-folded) table */
  allows(table: string): boolean;
}

/** The name a refusal gives b-trees that no schema entry names, or that live outside `main`. */
export const UNNAMED_OBJECT = 'sqlite_schema';

/**
 * The first thing a program reaches outside the plugin's scope: an operation outside the
 * data-access allow-list (virtual tables among them), a b-tree that is not one of the
 * plugin's tables or their indexes (anything outside `main`, the schema itself at root page
 * 1), or a function outside the allow-list. Undefined when it stays inside.
 */
export function findProgramRefusal(steps: readonly ProgramStep[], objects: ProgramObjects): ProgramRefusal | undefined {
  for (const step of steps) {
    const refusal = refusalOf(step, objects);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}

function refusalOf(step: ProgramStep, objects: ProgramObjects): ProgramRefusal | undefined {
  const { opcode } = step;
  if (!DATA_OPCODES.has(opcode)) return { kind: 'operation', opcode };
  if (FUNCTION_CALLS.has(opcode)) {
    const name = calledFunctionName(step.p4);
    return ALLOWED_FUNCTIONS.has(name) ? undefined : { kind: 'function', name };
  }
  if (BTREE_OPENERS.has(opcode)) {
    if ((step.p5 & ROOT_PAGE_IN_REGISTER) !== 0) return { kind: 'table', name: UNNAMED_OBJECT };
    return btreeRefusal(step.p2, step.p3, objects);
  }
  // DELETE without WHERE empties the b-tree at root page P1 of database P2.
  if (opcode === 'Clear') return btreeRefusal(step.p1, step.p2, objects);
  if (opcode === 'Transaction' && step.p1 !== 0) return { kind: 'table', name: UNNAMED_OBJECT };
  return undefined;
}

function btreeRefusal(rootPage: number, database: number, objects: ProgramObjects): ProgramRefusal | undefined {
  const table = database === 0 && rootPage !== 1 ? objects.tableAt(rootPage) : undefined;
  if (table === undefined) return { kind: 'table', name: UNNAMED_OBJECT };
  return objects.allows(table) ? undefined : { kind: 'table', name: table };
}
