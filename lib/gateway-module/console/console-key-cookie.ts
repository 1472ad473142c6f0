/**
 * The console's event stream is read with `EventSource`, which cannot send headers: the page
 * puts the operator key in this cookie, scoped to the stream's path, and the stream's guard
 * reads it back. Not a query parameter, which proxies and access logs would record.
 */
export const CONSOLE_KEY_COOKIE = 'plugin-console-key';

/** The key in a `Cookie` header (the page stores it URI-encoded); undefined when absent or malformed. */
export function readConsoleKeyCookie(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== CONSOLE_KEY_COOKIE) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
