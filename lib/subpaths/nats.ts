// `nestjs-plugins/nats`: topics over a NATS server. Its own entry because it needs `nats` (an optional peer).
export { NatsTopicTransport } from '../resources/topics/nats.topic-transport.js';
export type { NatsTopicTransportOptions } from '../resources/topics/nats.topic-transport.js';
export type { DurableTopicOptions } from '../resources/topics/jetstream-delivery.js';
