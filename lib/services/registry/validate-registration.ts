import valid from 'semver/functions/valid.js';
import { InvalidServiceRegistrationError } from '../../errors/service.errors.js';
import { describeValue as describe } from '../../metadata/problem-text.js';
import type { RemoteServiceRegistration, ServiceEndpoint, ServiceEndpointMethod } from './service.types.js';

const METHODS: readonly ServiceEndpointMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Checks a registration that may come straight from a remote process's JSON and returns a
 * copy (methods upper-cased), so later changes to the caller's object cannot reach the
 * registry. Every problem is reported at once.
 */
export function validateRegistration(input: unknown): RemoteServiceRegistration {
  if (!isRecord(input)) throw new InvalidServiceRegistrationError([`the registration must be an object (got ${describe(input)})`]);
  const problems: string[] = [];
  for (const field of ['pluginId', 'serviceName'] as const) {
    if (!isNonEmptyString(input[field])) problems.push(`${field} must be a non-empty string (got ${describe(input[field])})`);
  }
  if (typeof input.version !== 'string' || valid(input.version) === null) problems.push(`version must be a valid semver (got ${describe(input.version)})`);
  const baseUrlProblem = checkBaseUrl(input.baseUrl);
  if (baseUrlProblem !== undefined) problems.push(baseUrlProblem);
  if (Array.isArray(input.endpoints)) {
    input.endpoints.forEach((endpoint, index) => problems.push(...checkEndpoint(endpoint, `endpoints[${index}]`)));
  } else {
    problems.push(`endpoints must be an array (got ${describe(input.endpoints)})`);
  }
  if (input.metadata !== undefined && !isRecord(input.metadata)) problems.push(`metadata must be an object (got ${describe(input.metadata)})`);
  if (problems.length > 0) throw new InvalidServiceRegistrationError(problems);

  const registration = input as unknown as RemoteServiceRegistration;
  return {
    pluginId: registration.pluginId,
    serviceName: registration.serviceName,
    version: registration.version,
    baseUrl: registration.baseUrl,
    endpoints: registration.endpoints.map(copyEndpoint),
    ...(registration.metadata === undefined ? {} : { metadata: { ...registration.metadata } }),
  };
}

function checkBaseUrl(baseUrl: unknown): string | undefined {
  const problem = `baseUrl must be an http(s) URL without query or fragment (got ${describe(baseUrl)})`;
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) return problem;
  const url = new URL(baseUrl);
  // Endpoint paths are appended to it, which a query or fragment would swallow.
  const usable = (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  return usable ? undefined : problem;
}

function checkEndpoint(endpoint: unknown, where: string): string[] {
  if (!isRecord(endpoint)) return [`${where} must be an object (got ${describe(endpoint)})`];
  const problems: string[] = [];
  if (typeof endpoint.method !== 'string' || !METHODS.includes(endpoint.method.toUpperCase() as ServiceEndpointMethod)) {
    problems.push(`${where}.method must be one of ${METHODS.join(', ')} (got ${describe(endpoint.method)})`);
  }
  if (!isNonEmptyString(endpoint.path)) problems.push(`${where}.path must be a non-empty string (got ${describe(endpoint.path)})`);
  if (endpoint.description !== undefined && typeof endpoint.description !== 'string') {
    problems.push(`${where}.description must be a string (got ${describe(endpoint.description)})`);
  }
  return problems;
}

function copyEndpoint(endpoint: ServiceEndpoint): ServiceEndpoint {
  return {
    method: endpoint.method.toUpperCase() as ServiceEndpointMethod,
    path: endpoint.path,
    ...(endpoint.description === undefined ? {} : { description: endpoint.description }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
