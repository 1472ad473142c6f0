/**
 * The program of the child process that runs a plugin's unbounded statements on a connection
 * of its own, so that the host can stop it. Plain JavaScript given to `node -e`: the same text
 * runs from the compiled library and under a TypeScript test runner, with no build step and
 * nothing of the host loaded. Arguments: better-sqlite3's path, the database file, the busy
 * timeout, whether to open read-only. It says `{ ready }` once the database is open, answers
 * each `{ statements, timeoutMs }` message with `{ result }` or `{ error }`, shaped as TypeORM's
 * `query` shapes them (rows, or the last inserted rowid), and exits when the host disconnects.
 * A watchdog thread kills the process at the statement's deadline: the host's own timer may
 * not get to run, since a host write that waits on this connection's lock blocks its thread.
 */
export const SQLITE_CHILD_PROGRAM = String.raw`
'use strict';
const [modulePath, file, busyTimeout, readonly] = process.argv.slice(1);
const Database = require(modulePath);
const db = new Database(file, { fileMustExist: true, readonly: readonly === 'true', timeout: Number(busyTimeout) });
const runOne = ({ sql, params }) => {
  const statement = db.prepare(sql);
  return statement.reader ? statement.all(...params) : statement.run(...params).lastInsertRowid;
};
const runAll = db.transaction((statements) => statements.map(runOne).pop());
const { Worker } = require('node:worker_threads');
const watchdog = new Worker(
  "const { parentPort } = require('node:worker_threads'); let timer;" +
    "parentPort.on('message', (ms) => { clearTimeout(timer); if (ms > 0) timer = setTimeout(() => process.kill(process.pid, 'SIGKILL'), ms); });",
  { eval: true },
);
watchdog.unref();
process.on('message', ({ statements, timeoutMs }) => {
  watchdog.postMessage(timeoutMs);
  try {
    process.send({ result: statements.length === 1 ? runOne(statements[0]) : runAll(statements) });
  } catch (error) {
    process.send({ error: { name: error.name, code: error.code, message: error.message } });
  } finally {
    watchdog.postMessage(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;
