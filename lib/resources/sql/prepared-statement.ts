/** One statement as it will run: real table names, and the values to bind, in order. */
export interface PreparedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}
