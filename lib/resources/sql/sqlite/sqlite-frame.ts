/** What the SQLite reader keeps while it reads. */

/** A result column being read: whether it has an alias, and the literal markers in it. */
export interface ColumnItem {
  aliased: boolean;
  readonly markers: number[];
}

/** What one parenthesis level (or the statement) is reading. */
export interface Frame {
  clause: string;
  /** a FROM item, or an INSERT/UPDATE/DELETE target, comes next */
  expect?: 'from' | 'target';
  item?: ColumnItem;
  /** CTE names this level's WITH defined, folded */
  ctes?: Set<string>;
  /** reading a WITH list: a CTE's name comes next, or its body has been read */
  cte?: 'name' | 'body';
  recursive?: boolean;
  /** a CTE whose name is in scope once its body is read (at once under RECURSIVE) */
  pendingCte?: string;
  readonly inlining: boolean;
  /** a sub-query or parenthesised join in FROM: an alias may follow its `)` */
  readonly fromItem?: boolean;
}
