/**
 * The console's event stream is read with `EventSource`, which cannot send headers: the server
 * puts the operator key in this cookie (`HttpOnly`, so no page script can read it), scoped to the
 * stream's path, and the stream's guard reads it back. Not a query parameter, which proxies and
 * access logs would record.
 */
export const CONSOLE_KEY_COOKIE = 'plugin-console-key';

/** The key in a `Cookie` header (stored URI-encoded); undefined when absent or malformed. */
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

/** The `Set-Cookie` value that holds the key for the stream at `streamPath`; `Secure` over https. */
export function consoleKeySetCookie(key: string, streamPath: string, secure: boolean): string {
  return `${CONSOLE_KEY_COOKIE}=${encodeURIComponent(key)}; Path=${streamPath}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that removes the key cookie. */
export function clearedConsoleKeySetCookie(streamPath: string, secure: boolean): string {
  return `${CONSOLE_KEY_COOKIE}=; Path=${streamPath}; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The stream's path beside a console route (`…/console/stream-cookie` → `…/console/events`), so a global prefix keeps working. */
export function streamPathBeside(routePath: string, route: string): string {
  return `${routePath.replace(/\/+$/, '').slice(0, -route.length)}events`;
}
