import type { PreparedStatement } from '../../sql/prepared-statement.js';

/** One statement's outcome, as node-postgres' `client.query` resolves it. */
export interface PgResult {
  readonly rows: Record<string, unknown>[];
  readonly rowCount: number | null;
  readonly command: string;
}

/** Which part of the pipeline PostgreSQL refused: the frame's `BEGIN`, a statement, or the check that the role held. */
export type PipelineStep = 'opening' | 'statement' | 'check';

/** A pipeline that failed: PostgreSQL's error and the part that raised it (nothing after it ran; the transaction is rolled back). */
export class PipelineFailure {
  constructor(
    readonly step: PipelineStep,
    readonly error: unknown,
  ) {}
}

/** A statement of the frame: prepared once per connection under its name, then only bound and run. */
export interface FrameStatement {
  readonly name: string;
  readonly text: string;
}

/** What a pipeline sends around the statements: the check after them (the session already holds the role). */
export interface PipelineFrame {
  /** an explicit transaction to open first (`BEGIN …`), which the Sync then leaves open */
  readonly begin?: string;
  /** run last, fails when the work must not stand */
  readonly check: FrameStatement;
}

/** The connections on which the frame's statements are prepared (forgotten after any failure: it may have stopped a Parse). */
const prepared = new WeakMap<PgWire, Set<string>>();
const typeParsers = new WeakMap<object, TypeParsers>();
const withoutSyncs = new WeakMap<PgWire, PgWire>();

/** Makes the frame's statements prepared anew on `client`'s connection (their text changed). */
export function forgetPrepared(client: unknown): void {
  const wire = (client as { connection?: PgWire }).connection;
  if (wire !== undefined) prepared.delete(wire);
}

/** node-postgres' protocol writer (its Connection), as its own Query class drives it. */
interface PgWire {
  readonly stream: { cork?(): void; uncork?(): void };
  parse(message: { text: string; name?: string }): void;
  bind(message: { statement?: string; values: readonly string[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string }): void;
  close(message: unknown): void;
  flush(): void;
  sync(): void;
}

/** node-postgres' Query: writes its statement's messages and builds its result, as `client.query` would. */
interface PgQuery {
  callback?: (error: Error | null, result?: PgResult) => void;
  prepare(wire: PgWire): void;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, wire: PgWire): void;
  handleReadyForQuery(wire: PgWire): void;
}

type PgQueryClass = new (text: string, values: unknown[]) => PgQuery & { readonly _result: { _types?: TypeParsers } };

interface TypeParsers {
  getTypeParser(oid: number, format?: string): unknown;
}

/** The node-postgres client features a pipeline needs; the native client and pipeline mode lack them. */
interface PipelineCapableClient extends TypeParsers {
  readonly connection?: PgWire;
  readonly pipeline?: boolean;
  readonly constructor: { Query?: PgQueryClass };
  query(submittable: RolePipeline): unknown;
}

/**
 * Runs `statements` (after the frame's `BEGIN`, if any) and the frame's check in ONE round trip: every message is
 * written at once and a single Sync ends them, so PostgreSQL runs them as one implicit
 * transaction that commits at the Sync only if all succeeded, the check included, and rolls
 * back otherwise (with `begin`, the explicit transaction stays open, aborted on a failure).
 * Values stay bound parameters (extended protocol, one statement per Parse).
 * Undefined when the client cannot pipeline (the native driver, a client in pipeline mode).
 */
export function runPipelined(client: unknown, frame: PipelineFrame, statements: readonly PreparedStatement[]): Promise<PgResult[]> | undefined {
  const capable = client as PipelineCapableClient;
  const Query = capable.constructor?.Query;
  if (Query === undefined || capable.connection === undefined || capable.pipeline === true || typeof capable.getTypeParser !== 'function') return undefined;
  const types = typeParsersOf(capable);
  return new Promise((resolve, reject) => {
    const queries = statements.map((statement) => {
      // Text and values apart: a config object would be copied property by property. The types
      // go where the client's own `query` puts them.
      const query = new Query(statement.sql, [...statement.params]);
      query._result._types = types;
      return query;
    });
    capable.query(new RolePipeline(frame, queries, resolve, reject));
  });
}

/** The client's type parsers as a statement's result reads them; one per client. */
function typeParsersOf(client: PipelineCapableClient): TypeParsers {
  let types = typeParsers.get(client);
  if (types === undefined) typeParsers.set(client, (types = { getTypeParser: (oid, format) => client.getTypeParser(oid, format) }));
  return types;
}

/** The connection's writer with each statement's own Sync held back: one Sync closes the whole pipeline. One per connection. */
function withoutSyncOf(wire: PgWire): PgWire {
  let writer = withoutSyncs.get(wire);
  if (writer === undefined) {
    writer = {
      stream: wire.stream,
      parse: (message) => wire.parse(message),
      bind: (message) => wire.bind(message),
      describe: (message) => wire.describe(message),
      execute: (message) => wire.execute(message),
      close: (message) => wire.close(message),
      flush: () => wire.flush(),
      sync: () => undefined,
    };
    withoutSyncs.set(wire, writer);
  }
  return writer;
}

/** The pipeline as node-postgres' client drives a custom query: it writes, then receives each backend message in turn. */
class RolePipeline {
  /** counts completed statements: first the frame's `BEGIN`, then the plugin's, then the check */
  private step = 0;
  private readonly lead: number;
  private wire: PgWire | undefined;
  private prepareError: Error | undefined;
  private readonly results: PgResult[] = [];

  constructor(
    private readonly frame: PipelineFrame,
    private readonly queries: PgQuery[],
    private readonly resolve: (results: PgResult[]) => void,
    private readonly reject: (failure: PipelineFailure) => void,
  ) {
    this.lead = frame.begin === undefined ? 0 : 1;
    for (const query of queries) {
      query.callback = (error, result) => {
        if (error !== null) this.prepareError ??= error;
        else this.results.push(result!);
      };
    }
  }

  submit(wire: PgWire): null {
    const withoutSync = withoutSyncOf(wire);
    this.wire = wire;
    const known = prepared.get(wire);
    wire.stream.cork?.();
    try {
      if (this.frame.begin !== undefined) writeStatement(wire, { name: '', text: this.frame.begin }, [], undefined);
      for (const query of this.queries) query.prepare(withoutSync);
      writeStatement(wire, this.frame.check, [], known);
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: unknown): void {
    this.current()?.handleRowDescription(message);
  }

  handleDataRow(message: unknown): void {
    this.current()?.handleDataRow(message);
  }

  handleCommandComplete(message: unknown, wire: PgWire): void {
    this.current()?.handleCommandComplete(message, wire);
    this.step += 1;
  }

  handleEmptyQuery(): void {
    this.step += 1;
  }

  handlePortalSuspended(): void {}

  handleError(error: Error): void {
    if (this.wire !== undefined) prepared.delete(this.wire);
    const step: PipelineStep = this.step < this.lead ? 'opening' : this.step >= this.lead + this.queries.length ? 'check' : 'statement';
    // A value that could not be bound is the cause; the server only saw a statement without its portal.
    this.reject(new PipelineFailure(step, this.prepareError ?? error));
  }

  handleReadyForQuery(wire: PgWire): void {
    for (const query of this.queries) query.handleReadyForQuery(wire);
    if (this.prepareError !== undefined) {
      prepared.delete(wire);
      this.reject(new PipelineFailure('statement', this.prepareError));
    } else {
      const known = prepared.get(wire);
      if (known === undefined) prepared.set(wire, new Set([this.frame.check.name]));
      else known.add(this.frame.check.name);
      this.resolve(this.results);
    }
  }

  private current(): PgQuery | undefined {
    return this.queries[this.step - this.lead];
  }
}

/**
 * A frame statement with text values: Parse (a named one the first time on this connection, after a
 * Close, which is no error when there is nothing to close), Bind, Execute (no Describe: its rows
 * are not read).
 */
function writeStatement(wire: PgWire, statement: FrameStatement, values: readonly string[], known: Set<string> | undefined): void {
  if (statement.name === '') {
    wire.parse({ text: statement.text });
  } else if (known?.has(statement.name) !== true) {
    wire.close({ type: 'S', name: statement.name });
    wire.parse({ text: statement.text, name: statement.name });
  }
  wire.bind({ statement: statement.name, values });
  wire.execute({ portal: '' });
}
