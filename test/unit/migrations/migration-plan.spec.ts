import { PluginRevertError, PluginSchemaAheadError } from '../../../lib/errors/index.js';
import { planMigrations, planRevert } from '../../../lib/migrations/migration-plan.js';

const plugin = { name: 'notes', version: '1.0.0' };
const m = (name: string, checksum = `sum-${name}`) => ({ name, checksum });

describe('planMigrations', () => {
  it('is pending: every declared migration not in the ledger, in the given (name) order', () => {
    const plan = planMigrations(plugin, [m('A1'), m('B2'), m('C3')], [m('A1')]);
    expect(plan.pending.map((migration) => migration.name)).toEqual(['B2', 'C3']);
    expect(plan.changed).toEqual([]);
  });

  it('has nothing pending when the ledger has them all', () => {
    expect(planMigrations(plugin, [m('A1')], [m('A1')]).pending).toEqual([]);
  });

  it('names applied migrations whose code changed since they ran', () => {
    expect(planMigrations(plugin, [m('A1', 'new'), m('B2')], [m('A1', 'old'), m('B2')]).changed).toEqual(['A1']);
  });

  it('refuses a version that does not know every applied migration, naming them', () => {
    const run = () => planMigrations(plugin, [m('A1')], [m('A1'), m('C3'), m('B2')]);
    expect(run).toThrow(PluginSchemaAheadError);
    expect(run).toThrow('Plugin "notes" 1.0.0 does not know the applied migrations B2, C3: the schema is ahead of this version');
  });
});

describe('planRevert', () => {
  const declared = [m('A1'), m('B2'), m('C3')];

  it('undoes every applied migration after `to`, newest first, and keeps `to`', () => {
    expect(planRevert('notes', declared, [m('A1'), m('B2'), m('C3')], 'A1').map((migration) => migration.name)).toEqual(['C3', 'B2']);
    expect(planRevert('notes', declared, [m('A1'), m('B2'), m('C3')], 'C3')).toEqual([]);
  });

  it('goes by the timestamps in the names, as the migrations run', () => {
    const named = [m('CreateNotes1700000001000'), m('AddTag1700000002000')];
    expect(planRevert('notes', named, named, 'CreateNotes1700000001000').map((migration) => migration.name)).toEqual(['AddTag1700000002000']);
  });

  it('refuses a `to` that is not applied', () => {
    expect(() => planRevert('notes', declared, [m('A1')], 'B2')).toThrow(
      new PluginRevertError('notes', 'migration "B2" is not applied (applied: A1)'),
    );
  });

  it('refuses when a migration to undo is not one the running version has', () => {
    expect(() => planRevert('notes', [m('A1')], [m('A1'), m('B2')], 'A1')).toThrow(
      'Cannot revert plugin "notes": the running version does not have the migrations B2, whose down would run',
    );
  });
});
