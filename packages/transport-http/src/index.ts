export * from './client/index.ts';
export { createHttpHandler } from './handler.ts';
export type { CorsOptions, HttpHandler, HttpHandlerOptions, RequestInfo } from './options.ts';
export type { RateLimitOptions } from './rate-limit.ts';
export { MAX_READ_LIMIT } from './read-query.ts';
export type { ReadAnswer } from './read-route.ts';
export type { RouteMatcher, RouteName } from './routes.ts';
export { createRouteMatcher } from './routes.ts';
export type { WriteOutcome } from './write-outcome.ts';
