import { GatewayKeyTable } from '../../../lib/gateway-module/keys/gateway-key-table.js';

describe('GatewayKeyTable', () => {
  const table = new GatewayKeyTable('operator-key', { alpha: 'alpha-key', beta: 'a much longer key for beta, of another length' });

  it('tells the operator and each plugin apart by their keys', () => {
    expect(table.identify('operator-key')).toEqual({ kind: 'operator' });
    expect(table.identify('alpha-key')).toEqual({ kind: 'plugin', pluginId: 'alpha' });
    expect(table.identify('a much longer key for beta, of another length')).toEqual({ kind: 'plugin', pluginId: 'beta' });
  });

  it('knows no one by a missing, empty, partial, extended or differently cased key', () => {
    for (const key of [undefined, '', 'alpha-ke', 'alpha-key ', 'alpha-keyx', 'ALPHA-KEY', 'beta']) {
      expect(table.identify(key)).toBeUndefined();
    }
  });

  it('keeps only digests, so the keys are not in the table', () => {
    expect(JSON.stringify(table)).not.toMatch(/operator-key|alpha-key|longer key/);
  });
});
