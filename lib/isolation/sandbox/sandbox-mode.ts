/**
 * `forRoot({ sandbox })`: what a `'process'` plugin runs in where the operating system cannot
 * sandbox it. `'required'` refuses to start it, `'preferred'` (default) runs it under Node's
 * permission model with a warning, `'off'` never sandboxes.
 */
export type SandboxMode = 'required' | 'preferred' | 'off';

export const DEFAULT_SANDBOX_MODE: SandboxMode = 'preferred';
