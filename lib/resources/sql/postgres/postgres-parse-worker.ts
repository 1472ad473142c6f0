import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ParseResult } from 'libpg-query';

/** An idle worker is stopped after this long; the next long statement starts another. */
const IDLE_MS = 30_000;

/** The parser's failure as it crosses the thread boundary: what analyze-postgres.ts reads of it. */
interface ParseAnswer {
  readonly tree?: string;
  readonly error?: { readonly message: string; readonly cursorPosition?: number };
}

// The tree crosses as JSON text: one string to copy, parsed here in a fraction of the parse.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const parser = require(workerData.parserPath);
const ready = parser.loadModule();
parentPort.on('message', async (text) => {
  await ready;
  try {
    parentPort.postMessage({ tree: JSON.stringify(parser.parseSync(text)) });
  } catch (error) {
    const cursorPosition = error && error.sqlDetails ? error.sqlDetails.cursorPosition : undefined;
    parentPort.postMessage({ error: { message: String((error && error.message) || error), cursorPosition } });
  }
});`;

/** Parsing took longer than the statement may run: the worker was terminated. */
export class ParseTimeout extends Error {}

/**
 * PostgreSQL's parser in a worker thread, for long texts: the host's event loop pays only for
 * reading the tree's JSON, and a parse past its deadline is stopped by terminating the thread.
 * One text at a time, in order.
 */
export class PostgresParseWorker {
  private worker?: Worker;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer?: NodeJS.Timeout;

  /** The parse tree of `text`; rejects with the parser's error, or ParseTimeout after `timeoutMs`. */
  parse(text: string, timeoutMs: number): Promise<ParseResult> {
    const turn = this.queue.then(() => this.parseNow(text, timeoutMs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private parseNow(text: string, timeoutMs: number): Promise<ParseResult> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= this.start());
    return new Promise<ParseResult>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        this.idleTimer = setTimeout(() => this.close(), IDLE_MS).unref();
        outcome();
      };
      const onMessage = ({ tree, error }: ParseAnswer) =>
        settle(() => (error === undefined ? resolve(JSON.parse(tree!) as ParseResult) : reject(Object.assign(new Error(error.message), { sqlDetails: error }))));
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
      worker.postMessage(text);
    });
  }

  private start(): Worker {
    const parserPath = createRequire(import.meta.url).resolve('libpg-query');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parserPath } });
    // A parser thread must not keep the application alive.
    worker.unref();
    return worker;
  }
}
