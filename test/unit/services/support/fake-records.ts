import type { PluginDependency } from '../../../../lib/interfaces/plugin-metadata.interface.js';
import type { PluginState } from '../../../../lib/interfaces/plugin-state.interface.js';
import { normalizeDependency } from '../../../../lib/metadata/normalize-dependency.js';
import type { PluginRecord } from '../../../../lib/registry/plugin-record.js';
import { PluginRecordStore } from '../../../../lib/registry/plugin-record.store.js';

export interface FakePlugin {
  name: string;
  version?: string;
  state?: PluginState;
  /** exposed method names */
  methods?: string[];
  dependencies?: PluginDependency[];
}

/**
 * A record with just what the services layer and the record store read (name, metadata, state, dependencies,
 * exposed method names): the real one needs a whole Nest module behind it.
 */
export function fakeRecord(plugin: FakePlugin): PluginRecord {
  const metadata = { name: plugin.name, version: plugin.version ?? '1.0.0', dependencies: plugin.dependencies ?? [] };
  const pluginClass = class {};
  return {
    name: plugin.name,
    metadata,
    state: plugin.state ?? 'active',
    dependencies: metadata.dependencies.map(normalizeDependency),
    methods: new Map((plugin.methods ?? []).map((name) => [name, { name }])),
    pluginClass,
    origin: { kind: 'boot', declaredClass: pluginClass, modules: [] },
    controllers: [],
  } as unknown as PluginRecord;
}

export function storeOf(...plugins: FakePlugin[]): PluginRecordStore {
  const store = new PluginRecordStore();
  for (const plugin of plugins) store.add(fakeRecord(plugin));
  return store;
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public nowMs = Date.parse('2026-01-22T10:00:00.000Z')) {}

  readonly now = (): number => this.nowMs;

  advance(ms: number): void {
    this.nowMs += ms;
  }
}
