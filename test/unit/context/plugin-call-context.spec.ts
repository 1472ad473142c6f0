import { setTimeout as sleep } from 'node:timers/promises';
import { CallerMismatchError } from '../../../lib/errors/index.js';
import { assertActingAs, ownFrame, PluginCallContext, runAsHost, runAsPlugin, runInFrame } from '../../../lib/context/plugin-call-context.js';

/** The acting plugin: set on entry into a plugin's code, kept across await and timers, never set by naming a caller. */
describe('the acting plugin in the call context', () => {
  const seen = () => ({ acting: PluginCallContext.actingPluginId(), caller: PluginCallContext.callerPluginId() });

  it('is the entered plugin, with its caller, and survives await and timers it starts', async () => {
    const later = await runInFrame(
      { callerPluginId: 'friend', actingPluginId: 'worker' },
      {
        target: {},
        fn: async () => {
          await sleep(1);
          return new Promise((resolve) => setTimeout(() => resolve(seen()), 1));
        },
      },
      [],
    );
    expect(later).toEqual({ acting: 'worker', caller: 'friend' });
    expect(seen()).toEqual({ acting: undefined, caller: undefined });
  });

  it('is kept by PluginCallContext.run naming another caller', () => {
    const inside = runAsPlugin(ownFrame('attacker'), () => PluginCallContext.run({ callerPluginId: 'friend', tenantId: 't1' }, seen));
    expect(inside).toEqual({ acting: 'attacker', caller: 'friend' });
  });

  it('is cleared for host code a plugin triggers (runAsHost)', () => {
    expect(runAsPlugin(ownFrame('emitter'), () => runAsHost(seen))).toEqual({ acting: undefined, caller: undefined });
  });

  it('lets plugin code name only itself; host code any plugin', () => {
    expect(() => runAsPlugin(ownFrame('attacker'), () => assertActingAs('friend'))).toThrow(CallerMismatchError);
    expect(() => runAsPlugin(ownFrame('attacker'), () => assertActingAs('friend'))).toThrow('Plugin "attacker" may not call as "friend"');
    expect(() => runAsPlugin(ownFrame('friend'), () => assertActingAs('friend'))).not.toThrow();
    expect(() => assertActingAs('friend')).not.toThrow();
  });
});
