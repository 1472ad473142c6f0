import { RemoteService } from '../../../../lib/services/registry/remote-service.js';
import { parseAnswer, remoteHeaders, remoteTarget } from '../../../../lib/services/gateway/remote-request.js';

function serviceAt(baseUrl: string): RemoteService {
  return new RemoteService('id', undefined, { pluginId: 'plugin-crm', serviceName: 'crm.contacts', version: '1.0.0', baseUrl, endpoints: [] }, 0);
}

describe('remoteTarget', () => {
  const api = serviceAt('http://127.0.0.1:3100/api/');

  it('appends the path to the base URL with one slash, and the query', () => {
    const target = remoteTarget(api, 'contacts/9', { expand: 'deals', tag: ['a', 'b'] })!;
    expect(target.url.href).toBe('http://127.0.0.1:3100/api/contacts/9?expand=deals&tag=a&tag=b');
    expect(target.segments).toEqual(['contacts', '9']);
  });

  it('keeps a query written into the path', () => {
    expect(remoteTarget(api, '/contacts?limit=10', { offset: '5' })!.url.href).toBe('http://127.0.0.1:3100/api/contacts?limit=10&offset=5');
  });

  it('matches what will really be sent: dot segments are resolved first', () => {
    expect(remoteTarget(api, '/contacts/../admin', undefined)!.segments).toEqual(['admin']);
    expect(remoteTarget(api, '/contacts/%2e%2e/admin', undefined)!.segments).toEqual(['admin']);
    expect(remoteTarget(api, '/contacts\\..\\admin', undefined)!.segments).toEqual(['admin']);
  });

  it('refuses a path that leaves the base URL', () => {
    expect(remoteTarget(api, '/../internal', undefined)).toBeUndefined();
    expect(remoteTarget(api, '/%2e%2e/internal', undefined)).toBeUndefined();
    expect(remoteTarget(serviceAt('http://h/api'), '/../api-private/x', undefined)).toBeUndefined();
  });

  it('keeps the host whatever the path holds', () => {
    expect(remoteTarget(serviceAt('http://h:1'), '@evil.example/x', undefined)!.url.host).toBe('h:1');
    expect(remoteTarget(serviceAt('http://h:1'), '//evil.example/x', undefined)!.url.host).toBe('h:1');
  });
});

describe('remoteHeaders', () => {
  const request = { callerPluginId: 'plugin-analytics', targetPluginId: 't', targetServiceName: 's', method: 'GET' as const, path: '/' };

  it('sends the caller and the tenant; a body gets its content type', () => {
    expect(remoteHeaders(request, { tenantId: 'acme-id', tenantSlug: 'acme' }, true)).toEqual({
      'content-type': 'application/json',
      'x-caller-plugin-id': 'plugin-analytics',
      'x-tenant-id': 'acme-id',
      'x-tenant-slug': 'acme',
    });
  });

  it('never lets the caller’s headers speak for the gateway, whatever their case', () => {
    const spoofing = { ...request, headers: { 'X-Tenant-Id': 'globex', 'x-CALLER-plugin-id': 'admin', 'X-Tenant-Slug': 'globex', 'Content-Type': 'text/xml', 'X-Trace': 't1' } };
    expect(remoteHeaders(spoofing, {}, false)).toEqual({
      'x-caller-plugin-id': 'plugin-analytics',
      'x-trace': 't1',
    });
  });
});

describe('parseAnswer', () => {
  it.each([
    ['{"a":1}', 'application/json; charset=utf-8', { a: 1 }],
    ['{"a":1}', 'text/plain', '{"a":1}'],
    ['not json', 'application/json', 'not json'],
    ['', 'application/json', undefined],
    ['ok', null, 'ok'],
  ])('%j as %s', (text, contentType, expected) => {
    expect(parseAnswer(text, contentType)).toEqual(expected);
  });
});
