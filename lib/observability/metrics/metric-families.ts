import type { MethodMeter } from './method-meter.js';
import type { PluginMeter } from './plugin-meter.js';

export type Labels = Readonly<Record<string, string>>;

export interface CounterSample {
  readonly labels: Labels;
  readonly value: number;
}

export interface HistogramSample {
  readonly labels: Labels;
  /** per bucket, not cumulative, the last one `+Inf` (bounds: `DURATION_BUCKETS_SECONDS`) */
  readonly counts: ArrayLike<number>;
  readonly sum: number;
  readonly count: number;
}

/** One metric and its series, as both exports read them (names and meanings: docs/metrics.md). */
export type MetricFamily =
  | { readonly name: string; readonly help: string; readonly type: 'counter' | 'gauge'; readonly samples: CounterSample[] }
  | { readonly name: string; readonly help: string; readonly type: 'histogram'; readonly samples: HistogramSample[] };

/** A snapshot of the plugins' metrics: families in a fixed order, plugins in the order given. */
export function collectMetricFamilies(plugins: Iterable<PluginMeter>): MetricFamily[] {
  const meters = [...plugins];
  const perPlugin = (read: (meter: PluginMeter) => CounterSample[]): CounterSample[] => meters.flatMap(read);
  const perMethod = <S>(read: (plugin: string, method: MethodMeter) => S[]): S[] =>
    meters.flatMap((meter) => [...meter.methods.values()].flatMap((method) => read(meter.plugin, method)));
  return [
    {
      name: 'plugin_calls_total',
      help: 'Calls of exposed methods, by callee plugin, method, calling plugin ((host) for host code) and outcome.',
      type: 'counter',
      samples: perMethod((plugin, method) =>
        [...method.callers.values()].flatMap((slot) => {
          const labels = { plugin, method: method.name, caller: slot.caller, ...(slot.tenant === undefined ? {} : { tenant: slot.tenant }) };
          return [
            { labels: { ...labels, outcome: 'ok' }, value: slot.ok },
            { labels: { ...labels, outcome: 'error' }, value: slot.error },
          ];
        }),
      ),
    },
    {
      name: 'plugin_call_errors_total',
      help: 'Calls that threw or rejected, by plugin, method and the error code (UNKNOWN without one).',
      type: 'counter',
      samples: perMethod((plugin, method) => [...method.errorsByCode].map(([code, value]) => ({ labels: { plugin, method: method.name, code }, value }))),
    },
    {
      name: 'plugin_call_duration_seconds',
      help: 'Duration of timed calls: every call of a method that returns promises; of a synchronous one, one call per caller in each 50 ms (every call at lower rates).',
      type: 'histogram',
      samples: perMethod((plugin, method) =>
        method.durations.count === 0
          ? []
          : [{ labels: { plugin, method: method.name }, counts: method.durations.counts, sum: method.durations.sumSeconds, count: method.durations.count }],
      ),
    },
    {
      name: 'plugin_sql_statements_total',
      help: 'Raw SQL statements of ctx.database, by outcome: ok, error (from the database), refused (by the guard, before the database).',
      type: 'counter',
      samples: perPlugin(({ plugin, sql }) =>
        sql.ok + sql.error + sql.refused === 0
          ? []
          : [
              { labels: { plugin, outcome: 'ok' }, value: sql.ok },
              { labels: { plugin, outcome: 'error' }, value: sql.error },
              { labels: { plugin, outcome: 'refused' }, value: sql.refused },
            ],
      ),
    },
    {
      name: 'plugin_sql_seconds_total',
      help: 'Time spent in raw SQL statements of ctx.database (guard and database).',
      type: 'counter',
      samples: perPlugin(({ plugin, sql }) => (sql.ok + sql.error + sql.refused === 0 ? [] : [{ labels: { plugin }, value: sql.seconds }])),
    },
    {
      name: 'plugin_topic_messages_total',
      help: 'Topic messages the plugin sent, and those delivered to its handlers.',
      type: 'counter',
      samples: perPlugin((meter) => pair(meter, 'direction', ['sent', meter.topicMessagesSent], ['received', meter.topicMessagesReceived])),
    },
    {
      name: 'plugin_bucket_bytes_total',
      help: 'Bytes the plugin uploaded to and downloaded from its buckets.',
      type: 'counter',
      samples: perPlugin((meter) => pair(meter, 'direction', ['uploaded', meter.bucketBytesUploaded], ['downloaded', meter.bucketBytesDownloaded])),
    },
    {
      name: 'plugin_restarts_total',
      help: 'Restarts of an isolated plugin after its guest crashed.',
      type: 'counter',
      samples: perPlugin(({ plugin, restarts }) => (restarts === 0 ? [] : [{ labels: { plugin }, value: restarts }])),
    },
    {
      name: 'plugin_guest_memory_bytes',
      help: "Resident memory of a process plugin's guest (its process tree), read at each scrape.",
      type: 'gauge',
      samples: perPlugin(({ plugin, guestMemory }) => {
        const bytes = guestMemory?.();
        return bytes === undefined ? [] : [{ labels: { plugin }, value: bytes }];
      }),
    },
  ];
}

/** Two series of one plugin told apart by one label; none while both are zero. */
function pair(meter: PluginMeter, label: string, [a, aValue]: [string, number], [b, bValue]: [string, number]): CounterSample[] {
  if (aValue === 0 && bValue === 0) return [];
  return [
    { labels: { plugin: meter.plugin, [label]: a }, value: aValue },
    { labels: { plugin: meter.plugin, [label]: b }, value: bValue },
  ];
}
