import { clearedConsoleKeySetCookie, consoleKeySetCookie, readConsoleKeyCookie, streamPathBeside } from '../../../../lib/gateway-module/console/console-key-cookie.js';

describe('readConsoleKeyCookie', () => {
  it('finds the key among other cookies and decodes it', () => {
    expect(readConsoleKeyCookie('theme=dark; plugin-console-key=a%3Bb%3Dc; other=1')).toBe('a;b=c');
  });

  it.each([
    ['no Cookie header', undefined],
    ['no console cookie', 'theme=dark'],
    ['a cookie whose name only ends like it', 'my-plugin-console-key=x'],
    ['a malformed encoding', 'plugin-console-key=%E0%A4%A'],
  ])('answers undefined for %s', (_case, header) => {
    expect(readConsoleKeyCookie(header)).toBeUndefined();
  });
});

describe('the key cookie the server sets', () => {
  it('is HttpOnly and SameSite=Strict on the stream’s path, Secure over https, its value encoded', () => {
    expect(consoleKeySetCookie('a;b', '/api/console/events', false)).toBe('plugin-console-key=a%3Bb; Path=/api/console/events; HttpOnly; SameSite=Strict');
    expect(consoleKeySetCookie('k', '/api/console/events', true)).toBe('plugin-console-key=k; Path=/api/console/events; HttpOnly; SameSite=Strict; Secure');
    expect(clearedConsoleKeySetCookie('/api/console/events', true)).toBe('plugin-console-key=; Path=/api/console/events; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });

  it('names the stream beside the route that set it, whatever the prefix', () => {
    expect(streamPathBeside('/v2/api/plugin-gateway/console/stream-cookie', 'stream-cookie')).toBe('/v2/api/plugin-gateway/console/events');
    expect(streamPathBeside('/api/plugin-gateway/console/stream-cookie/', 'stream-cookie')).toBe('/api/plugin-gateway/console/events');
  });
});
