import {
  GatewayTimeoutError,
  InvalidDependencyRegistrationError,
  InvalidServiceRegistrationError,
  RemoteServiceError,
  ServiceCallError,
  ServiceNotFoundError,
  UndeclaredEndpointError,
} from '../../../lib/errors/service.errors.js';
import { PluginError } from '../../../lib/errors/plugin.error.js';

const call = { pluginId: 'plugin-crm', serviceName: 'crm.contacts', method: 'GET', path: '/contacts/9' };

describe('service errors', () => {
  it.each([
    [new ServiceNotFoundError({ serviceName: 'crm.contacts' }, 'acme'), 'PLUGIN_SERVICE_NOT_FOUND', 'No healthy service "crm.contacts" for tenant "acme"'],
    [
      new ServiceNotFoundError({ serviceName: 'crm.contacts', pluginId: 'plugin-crm' }, undefined),
      'PLUGIN_SERVICE_NOT_FOUND',
      'No healthy service "crm.contacts" of plugin "plugin-crm" (no tenant)',
    ],
    [new ServiceNotFoundError({ serviceId: 'abc' }, 'acme'), 'PLUGIN_SERVICE_NOT_FOUND', 'No service with id "abc" for tenant "acme"'],
    [
      new UndeclaredEndpointError(call, ['GET /contacts', 'POST /contacts']),
      'PLUGIN_UNDECLARED_ENDPOINT',
      'Service "crm.contacts" of plugin "plugin-crm" declares no endpoint GET /contacts/9 (declared: GET /contacts, POST /contacts)',
    ],
    [new UndeclaredEndpointError(call, []), 'PLUGIN_UNDECLARED_ENDPOINT', 'Service "crm.contacts" of plugin "plugin-crm" declares no endpoint GET /contacts/9 (declared: none)'],
    [new GatewayTimeoutError(call, 5000), 'PLUGIN_GATEWAY_TIMEOUT', 'Service "crm.contacts" of plugin "plugin-crm" did not answer GET /contacts/9 within 5000 ms'],
    [
      new RemoteServiceError(call, { status: 404, body: { message: 'not found' } }),
      'PLUGIN_REMOTE_SERVICE_ERROR',
      'Service "crm.contacts" of plugin "plugin-crm" answered 404 to GET /contacts/9: {"message":"not found"}',
    ],
    [new RemoteServiceError(call, { status: 503, body: undefined }), 'PLUGIN_REMOTE_SERVICE_ERROR', 'Service "crm.contacts" of plugin "plugin-crm" answered 503 to GET /contacts/9'],
    [
      new RemoteServiceError(call, { cause: new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }) }),
      'PLUGIN_REMOTE_SERVICE_ERROR',
      'Service "crm.contacts" of plugin "plugin-crm" could not be reached for GET /contacts/9: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    ],
    [new InvalidServiceRegistrationError(['a', 'b']), 'PLUGIN_INVALID_SERVICE_REGISTRATION', 'Invalid service registration: a; b'],
    [new InvalidDependencyRegistrationError(['a']), 'PLUGIN_INVALID_DEPENDENCY_REGISTRATION', 'Invalid dependency registration: a'],
  ])('%s', (error: PluginError, code: string, message: string) => {
    expect(error).toBeInstanceOf(PluginError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it('keeps what callers need to react: the call, the status and the body', () => {
    const error = new RemoteServiceError(call, { status: 404, body: { message: 'not found' } });
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ ...call, status: 404, body: { message: 'not found' } });
    const unreached = new RemoteServiceError(call, { cause: new Error('down') });
    expect(unreached.status).toBeUndefined();
    expect(unreached.cause).toEqual(new Error('down'));
    expect(new ServiceNotFoundError({ serviceName: 'crm.contacts', pluginId: 'plugin-crm' }, 'acme')).toMatchObject({
      serviceName: 'crm.contacts',
      pluginId: 'plugin-crm',
      tenantId: 'acme',
    });
  });

  it('cuts a long body in the message but keeps it whole on the error', () => {
    const page = `<html>${'x'.repeat(1000)}</html>`;
    const error = new RemoteServiceError(call, { status: 500, body: page });
    expect(error.message).toBe(`Service "crm.contacts" of plugin "plugin-crm" answered 500 to GET /contacts/9: ${page.slice(0, 200)}…`);
    expect(error.body).toBe(page);
  });
});
