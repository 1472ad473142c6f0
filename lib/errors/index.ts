export * from './plugin.error.js';
export * from './resolution.errors.js';
export * from './registration.errors.js';
export * from './call.errors.js';
export * from './runtime.errors.js';
export * from './resource.errors.js';
export * from './call-guard.errors.js';
export * from './shared-data.errors.js';
