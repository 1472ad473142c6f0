import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { pluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import { MeteredStatements } from '../../../lib/observability/metrics/metered-statement.js';
import { SqlCounters } from '../../../lib/observability/metrics/plugin-meter.js';
import { observeStatement } from '../../../lib/observability/observed-work.js';

/** The statement hook makes one reaction: every statement must still be counted once, and each failure noted once in the error ring. */
describe('observeStatement', () => {
  const refused = Object.assign(new Error('table "users" is not allowed'), { code: 'PLUGIN_TABLE_ACCESS_DENIED' });
  const failed = Object.assign(new Error('no such column: nope'), { code: 'SQLITE_ERROR' });
  const statement = (plugin: string, counters: SqlCounters, sql: string, run: (sql: string, value: number) => Promise<number>) =>
    observeStatement(plugin, sql, new MeteredStatements(counters), run, 1);
  const errorsOf = (plugin: string) => pluginLogBook.of(plugin).errors.map((entry) => entry.message);

  afterEach(() => trace.disable());

  it('counts each statement once by outcome, with its time, and notes each failure once in the error ring', async () => {
    const counters = new SqlCounters();
    await expect(statement('stmt-a', counters, 'select 1', async (_, value) => value)).resolves.toBe(1);
    await expect(statement('stmt-a', counters, '  delete FROM users', () => Promise.reject(refused))).rejects.toBe(refused);
    await expect(statement('stmt-a', counters, 'SELECT nope FROM t', () => Promise.reject(failed))).rejects.toBe(failed);
    // Thrown before the engine (the guard, the size limits): still a rejection, counted and noted at once.
    const thrown = statement('stmt-a', counters, '(SELECT 1)', () => {
      throw refused;
    });
    expect(counters).toMatchObject({ ok: 1, refused: 2, error: 1 });
    await expect(thrown).rejects.toBe(refused);

    expect(counters).toMatchObject({ ok: 1, refused: 2, error: 1 });
    expect(counters.seconds).toBeGreaterThan(0);
    expect(errorsOf('stmt-a')).toEqual([
      'sql DELETE failed: PLUGIN_TABLE_ACCESS_DENIED table "users" is not allowed',
      'sql SELECT failed: SQLITE_ERROR no such column: nope',
      'sql SQL failed: PLUGIN_TABLE_ACCESS_DENIED table "users" is not allowed',
    ]);
  });

  it('gives each statement its span when an SDK is registered, failed ones with their error and trace id in the ring', async () => {
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const counters = new SqlCounters();
    await statement('stmt-b', counters, 'SELECT id FROM rows', async () => 1);
    await expect(statement('stmt-b', counters, 'UPDATE rows SET x = 1', () => Promise.reject(failed))).rejects.toBe(failed);

    const [ok, bad] = exporter.getFinishedSpans();
    expect(ok).toMatchObject({ name: 'plugin stmt-b sql SELECT', status: { code: 0 } });
    expect(ok!.attributes).toMatchObject({ 'db.operation.name': 'SELECT', 'db.query.text': 'SELECT id FROM rows' });
    expect(bad).toMatchObject({ name: 'plugin stmt-b sql UPDATE', status: { code: 2, message: 'no such column: nope' } });
    expect(pluginLogBook.of('stmt-b').errors).toEqual([
      expect.objectContaining({ message: 'sql UPDATE failed: SQLITE_ERROR no such column: nope', traceId: bad!.spanContext().traceId }),
    ]);
    expect(counters).toMatchObject({ ok: 1, error: 1, refused: 0 });
  });
});
