export { skoposHooksDir } from './hooks-dir.ts';
export type { PocketBaseStoreOptions } from './options.ts';
export type { PocketBaseStore } from './pocketbase-store.ts';
export { pocketbaseStore } from './pocketbase-store.ts';
export { RequestTimeout } from './request-timeout.ts';
export type { WebsiteInput, WebsitePatch } from './websites.ts';
export type { WritePath } from './write-path.ts';
