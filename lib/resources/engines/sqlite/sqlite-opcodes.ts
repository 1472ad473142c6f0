/**
 * The VDBE operations a plain SELECT, INSERT, UPDATE or DELETE on ordinary tables compiles
 * to. An allow-list rather than a deny-list: an operation a future SQLite adds, or one that
 * only schema changes, pragmas, VACUUM, ATTACH, transactions or virtual tables use
 * (ParseSchema, VacuumInto, JournalMode, Expire, SqlExec, AutoCommit, VOpen...), is refused
 * until someone reads what it does. `Offset` (sqlite_offset) and the page counters are left
 * out: they read the file's layout, not rows.
 */
export const DATA_OPCODES: ReadonlySet<string> = new Set([
  // control flow, registers and values
  'Init', 'Goto', 'Gosub', 'Return', 'BeginSubrtn', 'InitCoroutine', 'EndCoroutine', 'Yield', 'Halt', 'HaltIfNull',
  'Once', 'If', 'IfNot', 'IfPos', 'IfNotZero', 'DecrJumpZero', 'Jump', 'Noop', 'Explain', 'Trace', 'Abortable',
  'Integer', 'Int64', 'Real', 'String', 'String8', 'Null', 'SoftNull', 'Blob', 'Variable', 'Move', 'Copy', 'SCopy',
  'IntCopy', 'ReleaseReg', 'ZeroOrNull', 'ResultRow', 'Param', 'FkCounter', 'FkIfZero', 'FkCheck', 'ResetCount',
  'MemMax', 'OffsetLimit', 'AddImm', 'MustBeInt', 'RealAffinity', 'Cast', 'Affinity', 'TypeCheck', 'IsType',
  'IsNull', 'NotNull', 'IsTrue', 'IfNullRow', 'ElseEq', 'Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge', 'Compare', 'Permutation',
  'CollSeq', 'And', 'Or', 'Not', 'BitAnd', 'BitOr', 'BitNot', 'ShiftLeft', 'ShiftRight', 'Add', 'Subtract',
  'Multiply', 'Divide', 'Remainder', 'Concat', 'GetSubtype', 'SetSubtype', 'ClrSubtype',
  // function calls (their names are checked separately)
  'Function', 'PureFunc', 'AggStep', 'AggStep1', 'AggFinal', 'AggValue', 'AggInverse',
  // cursors on b-trees (their root pages are checked separately) and ephemeral tables
  'Transaction', 'OpenRead', 'OpenWrite', 'ReopenIdx', 'OpenDup', 'OpenAutoindex', 'OpenEphemeral', 'OpenPseudo',
  'SorterOpen', 'Close', 'ColumnsUsed', 'CursorHint', 'CursorLock', 'CursorUnlock', 'NullRow', 'Clear', 'ResetSorter',
  'Rewind', 'Last', 'Next', 'Prev', 'SeekRowid', 'NotExists', 'SeekGE', 'SeekGT', 'SeekLE', 'SeekLT', 'SeekEnd',
  'SeekScan', 'SeekHit', 'IfNoHope', 'IfNotOpen', 'IfEmpty', 'IfSizeBetween', 'Found', 'NotFound', 'NoConflict',
  'IFindKey', 'IdxGE', 'IdxGT', 'IdxLE', 'IdxLT', 'IdxRowid', 'IdxInsert', 'IdxDelete', 'DeferredSeek', 'FinishSeek',
  'Column', 'Rowid', 'RowData', 'RowCell', 'MakeRecord', 'Count', 'NewRowid', 'Insert', 'Delete', 'Sequence',
  'SequenceTest', 'Sort', 'SorterSort', 'SorterNext', 'SorterData', 'SorterCompare', 'SorterInsert', 'Filter',
  'FilterAdd', 'RowSetAdd', 'RowSetRead', 'RowSetTest',
  // a trigger or foreign-key action the host defined on the plugin's table
  'Program',
]);

/** Operations that open a cursor on a stored b-tree: P2 is its root page, P3 the database (0 = main). */
export const BTREE_OPENERS: ReadonlySet<string> = new Set(['OpenRead', 'OpenWrite', 'ReopenIdx']);

/** OPFLAG_P2ISREG: the root page is in a register, chosen at run time (only schema changes do this). */
export const ROOT_PAGE_IN_REGISTER = 0x10;

/** Operations that call a function: P4 reads `name(argc)`. */
export const FUNCTION_CALLS: ReadonlySet<string> = new Set(['Function', 'PureFunc', 'AggStep', 'AggStep1', 'AggFinal', 'AggValue', 'AggInverse']);

/** Operations that end a loop iteration by jumping back to the loop's body (P2). */
export const LOOP_BACK_EDGES: ReadonlySet<string> = new Set(['Next', 'Prev', 'SorterNext']);

/** Operations whose P2 is a jump target (SQLite's OPFLG_JUMP); `Jump` also jumps to P1 and P3. */
export const JUMPS: ReadonlySet<string> = new Set([
  'VFilter', 'Init', 'Goto', 'Gosub', 'InitCoroutine', 'Yield', 'MustBeInt', 'Jump', 'Once', 'If', 'IfNot', 'IsType',
  'IfNullRow', 'SeekLT', 'SeekLE', 'SeekGE', 'SeekGT', 'IfNotOpen', 'IfNoHope', 'NoConflict', 'NotFound', 'Found',
  'SeekRowid', 'NotExists', 'Last', 'IfSizeBetween', 'SorterSort', 'Sort', 'Rewind', 'IfEmpty', 'SorterNext', 'Prev',
  'Next', 'IdxLE', 'IdxGT', 'IdxLT', 'IdxGE', 'IFindKey', 'RowSetRead', 'RowSetTest', 'Program', 'IsNull', 'NotNull',
  'Ne', 'Eq', 'Gt', 'Le', 'Lt', 'Ge', 'ElseEq', 'FkIfZero', 'IfPos', 'IfNotZero', 'DecrJumpZero', 'IncrVacuum', 'VNext',
  'Filter',
]);
