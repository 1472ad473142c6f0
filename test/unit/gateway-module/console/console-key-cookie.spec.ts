import { readConsoleKeyCookie } from '../../../../lib/gateway-module/console/console-key-cookie.js';

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
