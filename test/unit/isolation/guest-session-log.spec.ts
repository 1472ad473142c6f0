import { Logger } from '@nestjs/common';
import { GuestSession } from '../../../lib/isolation/host/guest-session.js';
import { PendingCalls } from '../../../lib/isolation/host/pending-calls.js';
import { pluginLogBook } from '../../../lib/observability/logs/plugin-log-book.js';
import { StructuredPluginLogger } from '../../../lib/observability/logs/structured-plugin-logger.js';

/** A guest's `ctx.logger` line, as the host keeps it: the caller the guest names counts only if that plugin called it. */
describe('GuestSession.log', () => {
  const logger = new StructuredPluginLogger('guest-logs');
  const pending = new PendingCalls();
  const session = new GuestSession({ logger } as never, undefined as never, pending);
  beforeAll(() => Logger.overrideLogger(false));
  const lineSaying = (message: string) => pluginLogBook.of('guest-logs').lines.find((line) => line.message === message);

  it('keeps the tenant and the caller of the call the line was written in', () => {
    pending.add('billing');
    session.log('log', 'for billing', { callerPluginId: 'billing', tenantId: 'acme' });
    expect(lineSaying('for billing')).toMatchObject({ plugin: 'guest-logs', caller: 'billing', tenant: 'acme' });
  });

  it('drops a caller that never called the guest', () => {
    session.log('warn', 'forged', { callerPluginId: 'admin' });
    expect(lineSaying('forged')).toMatchObject({ plugin: 'guest-logs', level: 'warn' });
    expect(lineSaying('forged')).not.toHaveProperty('caller');
  });
});
