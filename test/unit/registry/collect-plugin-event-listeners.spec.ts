import { OnPluginEvent } from '../../../lib/decorators/on-plugin-event.decorator.js';
import { collectPluginEventListeners, type PluginEventListener } from '../../../lib/registry/collect-plugin-event-listeners.js';

class BaseAudit {
  @OnPluginEvent('audit:legacy')
  record(): string {
    return 'base';
  }

  @OnPluginEvent('audit:flush')
  flush(): string {
    return 'base flush';
  }
}

class UserAudit extends BaseAudit {
  // Redeclared: replaces the parent's 'audit:legacy'.
  @OnPluginEvent('user:created')
  @OnPluginEvent('user:deleted')
  override record(): string {
    return 'derived';
  }

  // Overridden without the decorator: still listens to the parent's event.
  override flush(): string {
    return 'derived flush';
  }

  plain(): void {}
}

const summary = (listeners: PluginEventListener[]) => listeners.map(({ event, owner, fn, target }) => `${event} -> ${owner} = ${String(fn.apply(target, []))}`);

describe('collectPluginEventListeners', () => {
  it('gives one listener per stacked decorator, bound to the instance', () => {
    const audit = new UserAudit();
    const listeners = collectPluginEventListeners([audit]);
    expect(listeners.filter(({ owner }) => owner === 'UserAudit.record').map(({ event }) => event).sort()).toEqual(['user:created', 'user:deleted']);
    expect(listeners.every(({ target }) => target === audit)).toBe(true);
  });

  it('keeps inherited declarations; a redeclaring subclass replaces their events, an override is what runs', () => {
    expect(summary(collectPluginEventListeners([new UserAudit()])).sort()).toEqual([
      'audit:flush -> UserAudit.flush = derived flush',
      'user:created -> UserAudit.record = derived',
      'user:deleted -> UserAudit.record = derived',
    ]);
    expect(summary(collectPluginEventListeners([new BaseAudit()])).sort()).toEqual([
      'audit:flush -> BaseAudit.flush = base flush',
      'audit:legacy -> BaseAudit.record = base',
    ]);
  });

  it('finds nothing on undecorated instances', () => {
    expect(collectPluginEventListeners([{}, new (class Plain {})()])).toEqual([]);
  });
});
