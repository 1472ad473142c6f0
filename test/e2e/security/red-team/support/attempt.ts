import { PluginError } from 'nestjs-plugins';

/** How a statement ended: refused by the library, run, or failed inside the engine. */
export type Outcome = 'refused' | 'ran' | 'failed';

/** One statement the attacker sent and everything that came back from it. */
export interface Attempt {
  readonly sql: string;
  readonly outcome: Outcome;
  /** every text the attacker got to see: result values, or the error's message and details */
  readonly seen: readonly string[];
  readonly elapsedMs: number;
}

/** A statement still pending after this long is abandoned (the bound is judged separately). */
const ABANDON_AFTER_MS = 15_000;

export async function attempt(sql: string, run: (sql: string) => Promise<unknown>): Promise<Attempt> {
  const started = performance.now();
  let abandon: NodeJS.Timeout | undefined;
  try {
    const abandoned = new Promise<never>((_, reject) => {
      abandon = setTimeout(() => reject(new Error(`abandoned after ${ABANDON_AFTER_MS} ms`)), ABANDON_AFTER_MS);
    });
    const result = await Promise.race([run(sql), abandoned]);
    return { sql, outcome: 'ran', seen: [...textsOf(result)], elapsedMs: performance.now() - started };
  } catch (error) {
    const outcome = error instanceof PluginError ? 'refused' : 'failed';
    return { sql, outcome, seen: [...errorTexts(error)], elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(abandon);
  }
}

/** Every scalar in a result, as text; binary values both as bytes and as hex. */
function* textsOf(value: unknown): Generator<string> {
  if (value === null || value === undefined) return;
  if (Buffer.isBuffer(value)) {
    yield value.toString('latin1');
    yield value.toString('hex');
  } else if (Array.isArray(value)) {
    for (const item of value) yield* textsOf(item);
  } else if (typeof value === 'object') {
    for (const item of Object.values(value)) yield* textsOf(item);
  } else {
    yield String(value);
  }
}

/** An error's message and the details a driver attaches (PostgreSQL's detail, hint, where). */
function* errorTexts(error: unknown): Generator<string> {
  for (const candidate of [error, (error as { driverError?: unknown })?.driverError, (error as { cause?: unknown })?.cause]) {
    if (candidate === null || typeof candidate !== 'object') continue;
    for (const key of ['message', 'detail', 'hint', 'where', 'internalQuery']) {
      const text = (candidate as Record<string, unknown>)[key];
      if (typeof text === 'string') yield text;
    }
  }
}
