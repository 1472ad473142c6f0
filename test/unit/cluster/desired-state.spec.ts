import { planReconcile, type DesiredPlugin } from '../../../lib/cluster/desired-state.js';

const line = (name: string, revision: number, loaded = true, source: string | null = `/plugins/${name}.plugin.js`): DesiredPlugin => ({ name, source, loaded, revision });

describe('planReconcile', () => {
  it('loads what should run and does not, in the order the loads were made', () => {
    const plan = planReconcile({ revision: 3, plugins: [line('reports', 3), line('users', 1)] }, new Set(), new Map(), false);
    expect(plan).toEqual([
      { kind: 'load', name: 'users', source: '/plugins/users.plugin.js', revision: 1 },
      { kind: 'load', name: 'reports', source: '/plugins/reports.plugin.js', revision: 3 },
    ]);
  });

  it('unloads before it loads, latest unload first', () => {
    const plan = planReconcile(
      { revision: 5, plugins: [line('users', 4, false), line('reports', 5, false), line('billing', 3)] },
      new Set(['users', 'reports']),
      new Map(),
      false,
    );
    expect(plan.map((step) => `${step.kind} ${step.name}`)).toEqual(['unload reports', 'unload users', 'load billing']);
  });

  it('skips lines already applied at their revision', () => {
    expect(planReconcile({ revision: 2, plugins: [line('users', 2)] }, new Set(), new Map([['users', 2]]), false)).toEqual([]);
  });

  it('reloads a running plugin whose line moved on (a reload elsewhere), but adopts it on boot: it was just imported', () => {
    const desired = { revision: 7, plugins: [line('users', 7)] };
    expect(planReconcile(desired, new Set(['users']), new Map([['users', 2]]), false)).toEqual([{ kind: 'reload', name: 'users', revision: 7 }]);
    expect(planReconcile(desired, new Set(['users']), new Map(), true)).toEqual([{ kind: 'adopt', name: 'users', revision: 7 }]);
  });

  it('adopts what it cannot act on: an unload of a plugin not running, a load with no source', () => {
    const plan = planReconcile({ revision: 2, plugins: [line('gone', 1, false), line('boot-only', 2, true, null)] }, new Set(), new Map(), false);
    expect(plan).toEqual([
      { kind: 'adopt', name: 'gone', revision: 1 },
      { kind: 'adopt', name: 'boot-only', revision: 2 },
    ]);
  });
});
