/**
 * sqlmap and fuzzdb payloads carry placeholders that the tool fills in per target. We fill
 * them with values aimed at the canaries: what sqlmap would infer or query reads another
 * plugin's or the host's secret, and a sleep lasts one second so that one that got through
 * shows up as elapsed time.
 */
export const SLEEP_SECONDS = 2;

/** A boolean-ish probe that, if the engine evaluated it, would read the victim's secret. */
export const INFERENCE = '(SELECT secret FROM victim_secrets LIMIT 1)';
/** A query whose value, if it ran, would be the host's secret. */
export const QUERY = 'SELECT secret FROM host_accounts LIMIT 1';

const FIXED: Record<string, string> = {
  '[SLEEPTIME]': String(SLEEP_SECONDS),
  '__TIME__': String(SLEEP_SECONDS),
  '[INFERENCE]': INFERENCE,
  '[QUERY]': QUERY,
  '[RANDSTR]': 'qwzk',
  '[ORIGVALUE]': '1',
  '[DELIMITER_START]': 'qvkxq',
  '[DELIMITER_STOP]': 'qpjkq',
  '[GENERIC_SQL_COMMENT]': '-- ',
};

export function fillPlaceholders(payload: string): string {
  let filled = payload.replace(/\[RANDNUM(\d?)\]/g, (_match, index: string) => String(4721 + Number(index || 0)));
  for (const [placeholder, value] of Object.entries(FIXED)) filled = filled.split(placeholder).join(value);
  return filled;
}
