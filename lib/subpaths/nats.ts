// `nestjs-plugins/nats`: topics over a NATS server. Its own entry because it needs `nats` (an optional peer).
export { NatsTopicTransport } from '../resources/topics/nats.topic-transport.js';
