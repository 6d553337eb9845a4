export type { ClickHouseStore } from './clickhouse-store.ts';
export { clickHouseStore } from './clickhouse-store.ts';
export { ClickHouseError, isClickHouseError, REFUSED_DATA_CODES } from './errors.ts';
export type { ClickHouseHttpOptions } from './http-client.ts';
export { ClickHouseHttp } from './http-client.ts';
export type { ClickHouseStoreOptions } from './options.ts';
export { sqlString } from './sql.ts';
export type { WebsiteInput, WebsitePatch } from './websites.ts';
