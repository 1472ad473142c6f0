import { InvalidServiceRegistrationError } from '../../../../lib/errors/service.errors.js';
import { validateRegistration } from '../../../../lib/services/registry/validate-registration.js';

const valid = {
  pluginId: 'plugin-crm',
  serviceName: 'crm.contacts',
  version: '1.0.0',
  baseUrl: 'https://crm.internal:3100/api/',
  endpoints: [{ method: 'get', path: '/contacts', description: 'List all contacts' }],
};

function problemsOf(input: unknown): readonly string[] {
  try {
    validateRegistration(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidServiceRegistrationError);
    return (error as InvalidServiceRegistrationError).problems;
  }
  throw new Error('expected the registration to be refused');
}

describe('validateRegistration', () => {
  it('accepts a valid registration, upper-casing methods', () => {
    expect(validateRegistration(valid)).toEqual({ ...valid, endpoints: [{ method: 'GET', path: '/contacts', description: 'List all contacts' }] });
  });

  it('accepts an empty endpoint list (the service can then be discovered, not called)', () => {
    expect(validateRegistration({ ...valid, endpoints: [] }).endpoints).toEqual([]);
  });

  it('reports every problem at once, in one message', () => {
    expect(() => validateRegistration({ pluginId: '', serviceName: 3, version: '1.x', baseUrl: 'ftp://crm', endpoints: 'all' })).toThrow(
      'Invalid service registration: pluginId must be a non-empty string (got ""); serviceName must be a non-empty string (got 3); ' +
        'version must be a valid semver (got "1.x"); baseUrl must be an http(s) URL without query or fragment (got "ftp://crm"); ' +
        'endpoints must be an array (got "all")',
    );
  });

  it.each([
    [{ ...valid, baseUrl: 'not a url' }, 'baseUrl must be an http(s) URL without query or fragment (got "not a url")'],
    [{ ...valid, baseUrl: 'http://crm/?x=1' }, 'baseUrl must be an http(s) URL without query or fragment (got "http://crm/?x=1")'],
    [{ ...valid, endpoints: [null] }, 'endpoints[0] must be an object (got null)'],
    [{ ...valid, endpoints: [{ method: 'HEAD', path: '/x' }] }, 'endpoints[0].method must be one of GET, POST, PUT, PATCH, DELETE (got "HEAD")'],
    [{ ...valid, endpoints: [{ method: 'GET', path: ' ' }] }, 'endpoints[0].path must be a non-empty string (got " ")'],
    [{ ...valid, endpoints: [{ method: 'GET', path: '/x', description: 1 }] }, 'endpoints[0].description must be a string (got 1)'],
    [{ ...valid, metadata: 'x' }, 'metadata must be an object (got "x")'],
  ])('refuses %j', (input, problem) => {
    expect(problemsOf(input)).toEqual([problem]);
  });

  it('refuses what is not an object at all', () => {
    expect(problemsOf(undefined)).toEqual(['the registration must be an object (got undefined)']);
  });
});
