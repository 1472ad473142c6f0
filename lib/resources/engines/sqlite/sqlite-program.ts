/** One instruction of a compiled SQLite program, as `EXPLAIN <statement>` lists it. */
export interface ProgramStep {
  readonly addr: number;
  readonly opcode: string;
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
  readonly p4: string | number | null;
  readonly p5: number;
}
