export type { RedisSessionsFailure } from './errors.ts';
export { RedisSessionsError } from './errors.ts';
export type { RedisSessionStoreOptions } from './options.ts';
export type { RedisSessionStore } from './redis-session-store.ts';
export { redisSessionStore } from './redis-session-store.ts';
