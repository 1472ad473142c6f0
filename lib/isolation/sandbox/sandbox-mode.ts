import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';

export const DEFAULT_SANDBOX_MODE: SandboxMode = 'preferred';

const SANDBOX_MODES: readonly SandboxMode[] = ['required', 'preferred', 'off'];

/** `forRoot({ sandbox })` with its default; a misspelt mode must not weaken the sandbox silently. */
export function sandboxModeOption(value: unknown): SandboxMode {
  if (value === undefined) return DEFAULT_SANDBOX_MODE;
  if (SANDBOX_MODES.includes(value as SandboxMode)) return value as SandboxMode;
  throw new TypeError(`sandbox must be one of ${SANDBOX_MODES.map((mode) => `'${mode}'`).join(', ')}, got ${JSON.stringify(value)}`);
}
