import { CONSOLE_ASSETS } from '../../../../lib/gateway-module/console/page/console-assets.js';
import { renderConsolePage } from '../../../../lib/gateway-module/console/page/console-page.html.js';

describe('renderConsolePage', () => {
  it('points at its assets below the page and tells the script the gateway path and key header', () => {
    const html = renderConsolePage({ pagePath: '/v1/api/plugin-gateway/console', gatewayPath: '/v1/api/plugin-gateway', keyHeader: 'X-Operator-Key' });
    expect(html).toContain('<script type="module" src="/v1/api/plugin-gateway/console/assets/main.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/v1/api/plugin-gateway/console/assets/console.css">');
    expect(html).toContain('data-gateway="/v1/api/plugin-gateway" data-key-header="X-Operator-Key"');
  });

  it('escapes what it puts in attributes', () => {
    const html = renderConsolePage({ pagePath: '/a"><script>x</script>', gatewayPath: '/g', keyHeader: 'K' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('/a&#34;&#62;&#60;script&#62;x&#60;/script&#62;/assets/main.js');
  });
});

describe('console assets', () => {
  it('ships every module main.js imports', () => {
    const imported = [...CONSOLE_ASSETS.get('main.js')!.body.matchAll(/from '\.\/([\w.-]+)'/g)].map((match) => match[1]);
    expect(imported.length).toBeGreaterThan(0);
    for (const file of imported) expect(CONSOLE_ASSETS.has(file)).toBe(true);
  });
});
