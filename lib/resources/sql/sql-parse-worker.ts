import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqlDialect } from './sql-dialect.js';

/** An idle worker is stopped after this long; the next long statement starts another. */
const IDLE_MS = 30_000;

/** The parser's failure as it crosses the thread boundary: what parse-sql.ts reads of it. */
interface ParseFailure {
  readonly message: string;
  readonly found?: unknown;
  readonly location?: unknown;
  readonly stackOverflow: boolean;
}

interface ParseAnswer {
  readonly ast?: unknown;
  readonly error?: ParseFailure;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const parser = new (require(workerData.parserPath).Parser)();
parentPort.on('message', ({ text, database }) => {
  try {
    parentPort.postMessage({ ast: parser.astify(text, { database }) });
  } catch (error) {
    const { message, found, location } = error ?? {};
    parentPort.postMessage({ error: { message: String(message ?? error), found, location, stackOverflow: error instanceof RangeError } });
  }
});`;

/** Parsing took longer than the statement may run: the worker was terminated. */
export class ParseTimeout extends Error {}

/**
 * node-sql-parser in a worker thread: parsing a long text costs the host's event loop only the
 * copy of its syntax tree (a few milliseconds for 64 KiB, against hundreds for the parse), and a
 * parse past its deadline is stopped by terminating the thread. One text at a time, in order.
 */
export class SqlParseWorker {
  private worker?: Worker;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;

  /** The syntax tree of `text`; rejects with the parser's error, or ParseTimeout after `timeoutMs`. */
  astify(text: string, dialect: SqlDialect, timeoutMs: number): Promise<unknown> {
    const turn = this.queue.then(() => this.parseNow(text, dialect, timeoutMs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private parseNow(text: string, dialect: SqlDialect, timeoutMs: number): Promise<unknown> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= this.start());
    return new Promise<unknown>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        this.idleTimer = setTimeout(() => this.close(), IDLE_MS).unref();
        outcome();
      };
      const onMessage = (answer: ParseAnswer) => settle(() => (answer.error === undefined ? resolve(answer.ast) : reject(parserError(answer.error))));
      const onError = (error: Error) => settle(() => reject(error));
      const onExit = () => {
        this.worker = undefined;
        settle(() => reject(new Error('the SQL parser thread stopped')));
      };
      const timer = setTimeout(() => {
        this.close();
        settle(() => reject(new ParseTimeout()));
      }, timeoutMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ text, database: dialect });
    });
  }

  private start(): Worker {
    const parserPath = createRequire(import.meta.url).resolve('node-sql-parser');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parserPath } });
    // A parser thread must not keep the application alive.
    worker.unref();
    return worker;
  }
}

/** The parser's error as parse-sql.ts reads it: a stack overflow is a RangeError, a syntax error carries what was found where. */
function parserError(failure: ParseFailure): Error {
  if (failure.stackOverflow) return new RangeError('Maximum call stack size exceeded');
  return Object.assign(new Error(failure.message), { found: failure.found, location: failure.location });
}
