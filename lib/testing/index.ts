export { createPluginTestingModule, type PluginTestingModule, type PluginTestingOptions } from './create-plugin-testing-module.js';
export { createMockPluginContext, type MockPluginContext, type MockPluginContextOptions } from './create-mock-plugin-context.js';
export type { MockDependencies } from './mock-dependencies.js';
export { MockMemberMissingError } from './mock-member-missing.error.js';
export { InMemoryStorageDriver } from './in-memory.storage-driver.js';
export { RecordingEventBus, type EmittedEvent } from './recording-event-bus.js';
export { RecordingLogger, type LogEntry } from './recording.logger.js';
export { ManualTasks, type ScheduledTask } from './manual-tasks.js';
