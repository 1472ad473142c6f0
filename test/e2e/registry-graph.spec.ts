import 'reflect-metadata';
import { Plugin, type PluginRegistry } from 'nestjs-plugins';
import { createPluginTestingModule, type PluginTestingModule } from 'nestjs-plugins/testing';
import type { PluginGraphFormat } from '../../lib/graph/render-plugin-graph.js';

@Plugin({ name: 'ledger', version: '1.0.0' })
class LedgerPlugin {}

@Plugin({ name: 'payouts', version: '1.1.0', dependencies: [{ name: 'ledger', version: '^1.0.0' }] })
class PayoutsPlugin {
  onPluginInit(): void {
    throw new Error('bank API unreachable');
  }
}

/** Needs payouts only optionally, so it starts although payouts failed. */
@Plugin({
  name: 'statements',
  version: '0.2.0',
  dependencies: ['ledger', { name: 'payouts', optional: true }, { name: 'tax-rates', version: '^3.0.0', optional: true }],
})
class StatementsPlugin {}

describe('PluginRegistry.graph', () => {
  let kit: PluginTestingModule;
  let registry: PluginRegistry;

  // Booted with the testing kit, as a plugin author would test theirs.
  beforeAll(async () => {
    kit = await createPluginTestingModule({ plugins: [LedgerPlugin, PayoutsPlugin, StatementsPlugin], onError: 'isolate', database: false });
    registry = kit.registry;
  });
  afterAll(() => kit.close());

  it('json: every plugin with its state after boot, absent dependencies as missing, and each declared edge', () => {
    expect(JSON.parse(registry.graph('json'))).toEqual({
      nodes: [
        { name: 'ledger', version: '1.0.0', state: 'active' },
        { name: 'payouts', version: '1.1.0', state: 'failed' },
        { name: 'statements', version: '0.2.0', state: 'active' },
        { name: 'tax-rates', state: 'missing' },
      ],
      edges: [
        { from: 'payouts', to: 'ledger', range: '^1.0.0', optional: false, satisfied: true },
        { from: 'statements', to: 'ledger', range: '*', optional: false, satisfied: true },
        { from: 'statements', to: 'payouts', range: '*', optional: true, satisfied: true },
        { from: 'statements', to: 'tax-rates', range: '^3.0.0', optional: true, satisfied: false },
      ],
    });
  });

  it('mermaid (the default): the failed plugin carries the failed class', () => {
    const mermaid = registry.graph();
    expect(mermaid).toBe(registry.graph('mermaid'));
    expect(mermaid.split('\n')).toEqual(
      expect.arrayContaining([
        '  p_payouts["payouts@1.1.0<br/>failed"]',
        '  classDef failed fill:#f8d7da,stroke:#c62828',
        '  class p_payouts failed',
        '  class p_tax_rates missing',
        '  p_statements -.->|"^3.0.0"| p_tax_rates',
      ]),
    );
  });

  it('dot: names the plugins as quoted ids', () => {
    const dot = registry.graph('dot');
    expect(dot.startsWith('digraph plugins {')).toBe(true);
    expect(dot).toContain('"payouts" -> "ledger" [label="^1.0.0"];');
  });

  it('refuses an unknown format, naming the allowed ones', () => {
    expect(() => registry.graph('svg' as PluginGraphFormat)).toThrow(
      new TypeError('Unknown plugin graph format "svg": expected one of mermaid, dot, json'),
    );
  });
});
