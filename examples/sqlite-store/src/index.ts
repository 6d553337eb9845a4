export type { SqliteStore, SqliteStoreOptions, WebsiteInput } from './sqlite-store.ts';
export { sqliteStore } from './sqlite-store.ts';
