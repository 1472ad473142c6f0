/** `isolation: 'process'` as written in a module: key quoted or not, any quotes, any spacing. */
const DECLARES_PROCESS = /\bisolation['"`]?\s*:\s*(['"`])process\1/;

/**
 * Whether a module's text declares `isolation: 'process'`, read, never run. A computed value is
 * not seen; a mention in a comment counts, which only costs a describe (the guest then says).
 */
export function declaresProcessIsolation(text: string): boolean {
  return DECLARES_PROCESS.test(text);
}
