import { Logger } from '@nestjs/common';
import { PluginSandboxUnavailableError } from '../../errors/index.js';
import { sandboxAvailability } from '../sandbox/sandbox-availability.js';
import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';

let warned = false;

/**
 * The bwrap binary a `'process'` guest of `pluginName` runs in, or undefined: Node's
 * permission model alone. Where the OS cannot sandbox, `'required'` throws
 * `PluginSandboxUnavailableError` and `'preferred'` warns, once per process; `'off'` never asks.
 */
export function sandboxCommandFor(pluginName: string, mode: SandboxMode): string | undefined {
  if (mode === 'off') return undefined;
  const availability = sandboxAvailability();
  if (availability.available) return availability.command;
  if (mode === 'required') throw new PluginSandboxUnavailableError(pluginName, availability.reason);
  if (!warned) {
    warned = true;
    new Logger('PluginHost').warn(
      `Process plugins run without an operating-system sandbox, under Node's permission model only: ${availability.reason}. ` +
        `forRoot({ sandbox: 'required' }) refuses to start them instead; 'off' accepts this without a warning (docs/isolation.md)`,
    );
  }
  return undefined;
}
